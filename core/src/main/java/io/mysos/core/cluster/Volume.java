package io.mysos.core.cluster;

import io.mysos.core.task.TaskId;
import java.time.Instant;
import java.util.Optional;

/**
 * A persistent volume a cluster holds on one agent, on resources reserved for the framework's
 * role: the data directory of {@code task}, its latest instance there. {@code freeSince}: when that
 * task ended (empty while it may run); a free volume waits for the instance to be relaunched on it.
 */
public record Volume(String id, String agentId, String host, TaskId task, Optional<Instant> freeSince) {
    public Volume {
        freeSince = freeSince == null ? Optional.empty() : freeSince;
    }

    public boolean free() {
        return freeSince.isPresent();
    }

    /** The volume id a new instance's volume gets: its task id, which is never reused. */
    public static String idFor(TaskId task) {
        return task.value();
    }
}

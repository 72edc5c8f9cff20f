package io.mysos.core.cluster;

import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Instant;
import java.util.Optional;

/**
 * One MySQL instance, as far as the journal knows. {@code removed}: let go by a resize, not to be
 * replaced. {@code changedAt}: when its task last changed state ({@link Instant#EPOCH} when the
 * journal does not say, for events written before it recorded the time).
 */
public record Instance(TaskId taskId, String agentId, String host, int port, Resources resources,
                       TaskState state, String message, boolean removed, Instant changedAt) {
    public Instance {
        // Snapshots taken before changedAt existed lack it.
        changedAt = changedAt == null ? Instant.EPOCH : changedAt;
    }

    /** Not ended: it may still run, or be about to. */
    public boolean live() {
        return !state.isTerminal();
    }

    public boolean running() {
        return state == TaskState.RUNNING;
    }

    /** When it ended, if it did and the journal recorded the time. */
    public Optional<Instant> endedAt() {
        return live() || changedAt.equals(Instant.EPOCH) ? Optional.empty() : Optional.of(changedAt);
    }

    public Instance with(TaskState newState, String newMessage, Instant at) {
        return new Instance(taskId, agentId, host, port, resources, newState, newMessage, removed, at);
    }

    public Instance asRemoved() {
        return new Instance(taskId, agentId, host, port, resources, state, message, true, changedAt);
    }
}

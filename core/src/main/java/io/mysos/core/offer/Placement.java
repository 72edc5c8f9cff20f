package io.mysos.core.offer;

import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import java.util.Optional;

/**
 * One instance of {@code cluster} to be launched from an offer, on its agent, listening on {@code port}.
 * {@code reuse}: the persistent volume it is relaunched on; otherwise, on a {@code persistent}
 * offer, it gets a new one.
 */
public record Placement(String cluster, String offerId, String agentId, String host, int port, Resources resources,
                        Optional<String> reuse, boolean persistent) {
    public Placement {
        reuse = reuse == null ? Optional.empty() : reuse;
    }

    public Placement(String cluster, String offerId, String agentId, String host, int port, Resources resources) {
        this(cluster, offerId, agentId, host, port, resources, Optional.empty(), false);
    }

    /** The volume of the task launched for this placement, if any: the one reused, or a new one named for the task. */
    public Optional<VolumeUse> volumeFor(TaskId task) {
        if (reuse.isPresent()) {
            return Optional.of(new VolumeUse(reuse.get(), false));
        }
        return persistent ? Optional.of(new VolumeUse(task.value(), true)) : Optional.empty();
    }

    /** A persistent volume a launch uses: {@code create} it (RESERVE + CREATE), or use it as it is. */
    public record VolumeUse(String id, boolean create) {}
}

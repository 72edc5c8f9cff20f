package io.mysos.core.endpoint;

import io.mysos.core.cluster.Lag;
import io.mysos.core.task.TaskState;
import java.util.List;
import java.util.Optional;

/**
 * What the endpoint rule needs to know of one cluster, taken from its view: the epoch, whether a
 * master change is under way ({@code failingOver}: from MasterLost or the start of a switchover
 * until the new master confirmed it is writable), the master and the other live instances.
 */
public record RoutingView(long epoch, boolean failingOver, Optional<Member> master, List<Member> replicas) {
    public RoutingView {
        master = master == null ? Optional.empty() : master;
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
    }

    /** A cluster with nothing to route to (none yet, or one being deleted). */
    public static RoutingView empty() {
        return new RoutingView(0, false, Optional.empty(), List.of());
    }

    /**
     * One instance. {@code confirmed}: for the master, it said it is writable in this epoch; for a
     * replica, it said it replicates from this epoch's master. {@code lag}: how far behind a replica
     * last said it is. {@code backingUp}: a backup is being taken from it.
     */
    public record Member(String taskId, String host, int port, TaskState state, boolean confirmed, Optional<Lag> lag,
                         boolean backingUp) {
        public Member {
            lag = lag == null ? Optional.empty() : lag;
        }

        public Target target(long epoch) {
            return new Target(taskId, host, port, epoch);
        }
    }
}

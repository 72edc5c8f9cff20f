package io.mysos.core.endpoint;

import io.mysos.core.task.TaskState;
import java.util.List;
import java.util.Optional;

/**
 * Which instances a cluster's endpoints route to: the fencing rule. The read-write endpoint
 * targets the master of the current epoch only once it confirmed it is writable, and nothing
 * while a failover or switchover is under way. The read-only endpoint spreads over the replicas
 * that run, replicate from this epoch's master within the lag limits and are not being backed up;
 * the writable master takes the reads only when no replica runs at all (while replicas run but none
 * qualifies, read-only connections wait, as read-write ones do while fenced).
 */
public final class EndpointRouting {
    private EndpointRouting() {}

    public static Targets targets(RoutingView view, ReadOnlyLimits limits) {
        var writable = view.failingOver() ? Optional.<RoutingView.Member>empty()
                : view.master().filter(m -> m.state() == TaskState.RUNNING && m.confirmed());
        var readWrite = writable.map(m -> m.target(view.epoch()));
        List<Target> readOnly = view.replicas().stream()
                .filter(r -> readable(r, limits))
                .map(r -> r.target(view.epoch()))
                .toList();
        // Reads go to the master only when no replica runs at all: one that runs but does not
        // qualify now (reparenting, catching up) will shortly, and a read must not land on the master meanwhile.
        boolean replicaRuns = view.replicas().stream().anyMatch(r -> r.state() == TaskState.RUNNING);
        if (readOnly.isEmpty() && !replicaRuns) {
            readOnly = readWrite.stream().toList();
        }
        return new Targets(view.epoch(), readWrite, readOnly);
    }

    /**
     * A replica that takes reads: running, confirmed replicating from this epoch's master, not
     * backing up, and within the lag limits. One that has not reported its lag yet counts as in
     * sync once it confirmed (it reports when it starts, and again when it falls behind).
     */
    static boolean readable(RoutingView.Member replica, ReadOnlyLimits limits) {
        return replica.state() == TaskState.RUNNING && replica.confirmed() && !replica.backingUp()
                && replica.lag().map(limits::allow).orElse(true);
    }

    /**
     * Whether {@code next} may replace {@code current} in a forwarder: never a view of an older
     * epoch (a late or stale answer must not route back to a fenced master).
     */
    public static boolean supersedes(Targets next, Targets current) {
        return next.epoch() >= current.epoch();
    }
}

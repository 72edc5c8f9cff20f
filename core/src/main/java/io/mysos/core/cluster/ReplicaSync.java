package io.mysos.core.cluster;

import java.util.Optional;

/**
 * Whether a running replica keeps up with its master, from the last lag its health checks
 * reported: it is behind when it is catching up or its replication stopped (either thread not
 * running: an unreachable master, a stopped SQL thread). A replica that has not reported yet is
 * not called behind, but it is not known to be in sync either: a replica confirms its role when it
 * starts replicating, a health check later it says how far behind it is, and until then a read
 * from it may miss anything (a new replica replaying the master's whole history).
 */
public final class ReplicaSync {
    private ReplicaSync() {}

    /** Whether a replica that reported {@code lag} is behind its master: catching up or not replicating. */
    public static boolean behind(Optional<Lag> lag) {
        return lag.map(l -> l.catchingUp() || !l.replicating()).orElse(false);
    }

    /** Whether a replica is known to keep up: it reported its lag, and is neither catching up nor stopped. */
    public static boolean inSync(Optional<Lag> lag) {
        return lag.isPresent() && !behind(lag);
    }

    /** Why a replica is behind, for the cluster's {@code reason}; empty when it is not. */
    public static Optional<String> reason(String taskId, Optional<Lag> lag) {
        if (!behind(lag)) {
            return Optional.empty();
        }
        var l = lag.get();
        if (!l.replicating()) {
            return Optional.of("replica " + taskId + " stopped replicating from the master (" + l.describe() + ")");
        }
        return Optional.of("replica " + taskId + " is catching up with the master: " + l.describe());
    }
}

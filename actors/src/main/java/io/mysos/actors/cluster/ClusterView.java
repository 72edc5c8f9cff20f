package io.mysos.actors.cluster;

import io.mysos.actors.JsonSerializable;
import io.mysos.core.cluster.ClusterStatus;
import io.mysos.core.cluster.Lag;
import io.mysos.core.endpoint.RoutingView;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the API shows of one cluster: a read-only snapshot taken from its actor's state.
 * {@code replicas} are the live instances besides the master (staging, starting or running);
 * {@code ended} the instances whose tasks ended, newest first and capped; {@code routing} what the
 * cluster's endpoints route by ({@code EndpointRouting}); {@code restoreTo} the point a restored
 * cluster's backup was rolled forward to ({@code restore_to}).
 */
public record ClusterView(
        String name,
        ClusterStatus status,
        int numNodes,
        long epoch,
        Optional<InstanceView> master,
        List<InstanceView> replicas,
        Resources size,
        String user,
        Instant createdAt,
        Optional<String> reason,
        Optional<String> backupId,
        boolean semiSync,
        Optional<Failover> lastFailover,
        List<EndedView> ended,
        RoutingView routing,
        Optional<String> restoreTo,
        Optional<BackupsView> backups) implements JsonSerializable {

    public ClusterView {
        routing = routing == null ? RoutingView.empty() : routing;
        restoreTo = restoreTo == null ? Optional.empty() : restoreTo;
        backups = backups == null ? Optional.empty() : backups;
    }

    /** A view without backups (none taken, none scheduled). */
    public ClusterView(String name, ClusterStatus status, int numNodes, long epoch, Optional<InstanceView> master,
                       List<InstanceView> replicas, Resources size, String user, Instant createdAt, Optional<String> reason,
                       Optional<String> backupId, boolean semiSync, Optional<Failover> lastFailover, List<EndedView> ended,
                       RoutingView routing, Optional<String> restoreTo) {
        this(name, status, numNodes, epoch, master, replicas, size, user, createdAt, reason, backupId, semiSync, lastFailover,
                ended, routing, restoreTo, Optional.empty());
    }

    /**
     * The cluster's backups at a glance (for alerts on stale or failing backups): the schedule ({@code intervalSeconds},
     * 0 when off, and {@code keep}), the newest completed and the newest failed backup, the one running, if any, and
     * whether the master's binary log archive fails (point-in-time recovery falls behind), why and since when.
     */
    public record BackupsView(long intervalSeconds, int keep, Optional<String> lastCompletedId, Optional<Instant> lastCompletedAt,
                              Optional<String> lastFailedId, Optional<Instant> lastFailedAt, Optional<String> lastFailure,
                              Optional<String> running, Optional<String> archiveFailing, Optional<Instant> archiveFailingSince)
            implements JsonSerializable {
        /** Without a failing binary log archive. */
        public BackupsView(long intervalSeconds, int keep, Optional<String> lastCompletedId, Optional<Instant> lastCompletedAt,
                           Optional<String> lastFailedId, Optional<Instant> lastFailedAt, Optional<String> lastFailure, Optional<String> running) {
            this(intervalSeconds, keep, lastCompletedId, lastCompletedAt, lastFailedId, lastFailedAt, lastFailure, running,
                    Optional.empty(), Optional.empty());
        }
    }

    /** A view of a cluster not rolled forward to a point in time. */
    public ClusterView(String name, ClusterStatus status, int numNodes, long epoch, Optional<InstanceView> master,
                       List<InstanceView> replicas, Resources size, String user, Instant createdAt, Optional<String> reason,
                       Optional<String> backupId, boolean semiSync, Optional<Failover> lastFailover, List<EndedView> ended,
                       RoutingView routing) {
        this(name, status, numNodes, epoch, master, replicas, size, user, createdAt, reason, backupId, semiSync, lastFailover,
                ended, routing, Optional.empty());
    }

    /** A view without what the endpoints route to (nothing to route to). */
    public ClusterView(String name, ClusterStatus status, int numNodes, long epoch, Optional<InstanceView> master,
                       List<InstanceView> replicas, Resources size, String user, Instant createdAt, Optional<String> reason,
                       Optional<String> backupId, boolean semiSync, Optional<Failover> lastFailover, List<EndedView> ended) {
        this(name, status, numNodes, epoch, master, replicas, size, user, createdAt, reason, backupId, semiSync, lastFailover,
                ended, RoutingView.empty());
    }

    /** The last completed failover or switchover: lost (or handed over) at {@code startedAt}, writable {@code millis} later. */
    public record Failover(long epoch, Optional<String> from, String to, Instant startedAt, long millis, String cause)
            implements JsonSerializable {}

    /**
     * One live MySQL instance as the API shows it: {@code role} is master or replica; {@code lag} how
     * far a running replica last said it is behind the master (empty before it said, and for the master).
     */
    public record InstanceView(String taskId, String host, int port, TaskState state, String role, Optional<Lag> lag)
            implements JsonSerializable {
        public boolean catchingUp() {
            return lag.map(Lag::catchingUp).orElse(false);
        }

        /** Whether both replication threads ran at its last report; false before it reported (see {@link #lag}). */
        public boolean replicating() {
            return lag.map(Lag::replicating).orElse(false);
        }
    }

    /** An instance whose task ended: its last state, the reason given, and when (if the journal recorded it). */
    public record EndedView(String taskId, String host, int port, TaskState state, String reason, Optional<Instant> at)
            implements JsonSerializable {}
}

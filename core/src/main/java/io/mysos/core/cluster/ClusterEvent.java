package io.mysos.core.cluster;

import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything that ever happened to one cluster, as its journal records it (JSON through Jackson).
 * Past-tense facts with every field needed to replay them. A field added later gets a default in
 * the record's constructor, so events written before it keep replaying; the actors module names the
 * event versions and the class names that events had before they moved here.
 */
public sealed interface ClusterEvent {

    /** The cause {@link ElectionStarted} and {@link FailoverCompleted} record for a planned switchover. */
    String PLANNED = "planned";

    record ClusterCreated(ClusterSpec spec, ClusterSecrets secrets, Instant createdAt) implements ClusterEvent {}

    /** An instance was given resources; recorded before its launch is sent. */
    record ReplicaAdded(TaskId taskId, String agentId, String host, int port, Resources resources) implements ClusterEvent {}

    /**
     * An instance's task changed state at {@code at} (as the scheduler's clock saw the update).
     * Events written before {@code at} existed replay with {@link Instant#EPOCH}: the time is unknown.
     */
    record TaskStateChanged(TaskId taskId, TaskState state, String message, Instant at) implements ClusterEvent {
        public TaskStateChanged {
            at = at == null ? Instant.EPOCH : at;
        }

        /** A change whose time is not known (an event written before {@code at} existed, or a test's fixture). */
        public TaskStateChanged(TaskId taskId, TaskState state, String message) {
            this(taskId, state, message, Instant.EPOCH);
        }
    }

    /**
     * A replica's task ended without being asked to; a replacement follows, at once or after a
     * back-off ({@link ReplacementBackoff}). {@code at}: when; events written before it was recorded
     * replay with {@link Instant#EPOCH}, too long ago to delay anything.
     */
    record ReplicaLost(TaskId taskId, String cause, Instant at) implements ClusterEvent {
        public ReplicaLost {
            at = at == null ? Instant.EPOCH : at;
        }
    }

    /** The master of {@code epoch} is gone; its task is fenced (killed) and an election follows. */
    record MasterLost(long epoch, TaskId taskId, String cause, Instant at) implements ClusterEvent {}

    /**
     * An election for {@code epoch} is open to replace {@code previousMaster}; {@code candidates} are
     * the replicas running when it opened (every replica that runs before it ends is asked too). For
     * a planned switchover the previous master is alive: it turns read-only, and the one candidate
     * must reach its last position first.
     */
    record ElectionStarted(long epoch, Optional<TaskId> previousMaster, List<TaskId> candidates, String cause,
                           boolean planned, Instant at) implements ClusterEvent {}

    /**
     * {@code taskId} is the master from {@code epoch} on; {@code positions} are the candidates'
     * replication positions. Version 2: {@code overruled}, for a promotion an operator forced over
     * diverged histories, names per instance the GTIDs it held that the new master lacks (empty in
     * version 1 events, and for every election that needed no force).
     */
    record MasterElected(long epoch, TaskId taskId, Map<String, String> positions, Map<String, List<String>> overruled)
            implements ClusterEvent {
        public MasterElected {
            positions = positions == null ? Map.of() : positions;
            overruled = overruled == null ? Map.of() : overruled;
        }

        public MasterElected(long epoch, TaskId taskId, Map<String, String> positions) {
            this(epoch, taskId, positions, Map.of());
        }
    }

    /**
     * The election for {@code epoch} found no candidate with every transaction: {@code mostAdvanced}
     * lacks, from each instance named in {@code lacking}, the GTIDs listed there. Nothing is promoted
     * until an operator forces one ({@link MasterElected#overruled}).
     */
    record HistoriesDiverged(long epoch, Map<String, String> positions, TaskId mostAdvanced,
                             Map<String, List<String>> lacking, Instant at) implements ClusterEvent {}

    /** The master elected for {@code epoch} confirmed it is writable, {@code millis} after the failover began. */
    record FailoverCompleted(long epoch, Optional<TaskId> oldMaster, TaskId newMaster, long millis, String cause)
            implements ClusterEvent {}

    /** The cluster now wants {@code to} instances; {@code removed} are the replicas let go to get there. */
    record ClusterResized(int from, int to, List<TaskId> removed) implements ClusterEvent {}

    /**
     * Resources were reserved for the framework's role and a persistent volume {@code volumeId} was
     * created on them for {@code taskId}, on {@code agentId}; recorded with its ReplicaAdded, before
     * the launch (RESERVE, CREATE and LAUNCH in one accept) is sent.
     */
    record VolumeCreated(String volumeId, TaskId taskId, String agentId, String host) implements ClusterEvent {}

    /** {@code taskId} is launched on the existing volume {@code volumeId}, keeping its data; recorded with its ReplicaAdded. */
    record VolumeReused(String volumeId, TaskId taskId) implements ClusterEvent {}

    /** The cluster gives the volume up (its agent stayed away, or its instance was let go): it is destroyed and unreserved when offered. */
    record VolumeReleased(String volumeId, String cause, Instant at) implements ClusterEvent {}

    record ClusterDeletionRequested(Instant at) implements ClusterEvent {}

    record ClusterTerminated(Instant at) implements ClusterEvent {}

    // ---------------------------------------------------------------- backups (see io.mysos.core.backup)

    /** Events about a cluster's backups; they change the cluster's {@code BackupLog}, not its life. */
    sealed interface BackupEvent extends ClusterEvent {}

    /** A backup {@code id} was asked for ({@code cause}: {@code api} or {@code schedule}). */
    record BackupRequested(String id, String cause, Instant at) implements BackupEvent {}

    /** The instance {@code source} was told to take backup {@code id}. */
    record BackupStarted(String id, TaskId source, Instant at) implements BackupEvent {}

    /** Backup {@code id} is complete in the store at {@code location}: {@code bytes}, everything up to GTID {@code position}. */
    record BackupCompleted(String id, String location, long bytes, String position, long millis, Instant at) implements BackupEvent {}

    /** Backup {@code id} failed; nothing of it counts as complete. */
    record BackupFailed(String id, String reason, Instant at) implements BackupEvent {}

    /** Backup {@code id} was let go by the retention rule (or an operator); it is deleted from the store. */
    record BackupDeleted(String id, Instant at) implements BackupEvent {}

    /** The backup schedule changed: a backup every {@code intervalSeconds} (0: none), {@code keep} complete backups kept (0: all). */
    record BackupScheduleChanged(long intervalSeconds, int keep) implements BackupEvent {}
}

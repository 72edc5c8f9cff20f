package io.mysos.actors.cluster;

import io.mysos.actors.JsonSerializable;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterEvent.ClusterCreated;
import io.mysos.core.cluster.ClusterEvent.ClusterDeletionRequested;
import io.mysos.core.cluster.ClusterEvent.ClusterTerminated;
import io.mysos.core.cluster.ClusterEvent.ReplicaAdded;
import io.mysos.core.backup.BackupLog;
import io.mysos.core.cluster.ClusterLife;
import java.time.Instant;
import java.util.Optional;

/**
 * The journal's view of one cluster name, in one of three phases: no cluster (never created, or
 * ended), active, or being deleted. Every phase keeps the last server id ever used (server ids and
 * task ids are never reused, not even by a later cluster of the same name) and when the last life
 * was created, so that a re-sent create of a cluster that has ended does not revive it. Each phase
 * applies the events that can happen in it.
 */
public sealed interface ClusterState extends JsonSerializable {
    long lastServerId();

    Optional<Instant> lastCreatedAt();

    /** The cluster's life, unless there is no cluster. */
    Optional<ClusterLife> current();

    ClusterState apply(ClusterEvent event);

    /** The name's backups and schedule: they outlive a cluster's life (deleting a cluster keeps its backups). */
    BackupLog backups();

    static ClusterState empty() {
        return new NoCluster(0, Optional.empty());
    }

    record NoCluster(long lastServerId, Optional<Instant> lastCreatedAt, BackupLog backups) implements ClusterState {
        public NoCluster {
            // Snapshots taken before backups existed have none.
            backups = backups == null ? BackupLog.empty() : backups;
        }

        public NoCluster(long lastServerId, Optional<Instant> lastCreatedAt) {
            this(lastServerId, lastCreatedAt, BackupLog.empty());
        }

        @Override
        public Optional<ClusterLife> current() {
            return Optional.empty();
        }

        @Override
        public ClusterState apply(ClusterEvent event) {
            if (event instanceof ClusterCreated created) {
                var policy = created.spec().backupPolicy();
                return new Active(ClusterLife.created(created), lastServerId, Optional.of(created.createdAt()),
                        backups.apply(new ClusterEvent.BackupScheduleChanged(policy.interval().toSeconds(), policy.keep())));
            }
            if (event instanceof ClusterEvent.BackupEvent backup) {
                return new NoCluster(lastServerId, lastCreatedAt, backups.apply(backup));
            }
            throw new IllegalStateException(event + " before ClusterCreated");
        }
    }

    record Active(ClusterLife life, long lastServerId, Optional<Instant> lastCreatedAt, BackupLog backups) implements ClusterState {
        public Active {
            backups = backups == null ? BackupLog.empty() : backups;
        }

        public Active(ClusterLife life, long lastServerId, Optional<Instant> lastCreatedAt) {
            this(life, lastServerId, lastCreatedAt, BackupLog.empty());
        }

        @Override
        public Optional<ClusterLife> current() {
            return Optional.of(life);
        }

        @Override
        public ClusterState apply(ClusterEvent event) {
            if (event instanceof ClusterDeletionRequested) {
                return new Deleting(life, lastServerId, lastCreatedAt, backups);
            }
            if (event instanceof ClusterTerminated) {
                return new NoCluster(lastServerId, lastCreatedAt, backups);
            }
            if (event instanceof ClusterEvent.BackupEvent backup) {
                return new Active(life, lastServerId, lastCreatedAt, backups.apply(backup));
            }
            long serverId = event instanceof ReplicaAdded added ? Math.max(lastServerId, added.taskId().serverId()) : lastServerId;
            return new Active(life.apply(event), serverId, lastCreatedAt, backups);
        }
    }

    /** Deletion was requested: every instance is being killed; the life ends when none is left. */
    record Deleting(ClusterLife life, long lastServerId, Optional<Instant> lastCreatedAt, BackupLog backups) implements ClusterState {
        public Deleting {
            backups = backups == null ? BackupLog.empty() : backups;
        }

        @Override
        public Optional<ClusterLife> current() {
            return Optional.of(life);
        }

        @Override
        public ClusterState apply(ClusterEvent event) {
            if (event instanceof ClusterTerminated) {
                return new NoCluster(lastServerId, lastCreatedAt, backups);
            }
            if (event instanceof ClusterEvent.BackupEvent backup) {
                return new Deleting(life, lastServerId, lastCreatedAt, backups.apply(backup));
            }
            return new Deleting(life.apply(event), lastServerId, lastCreatedAt, backups);
        }
    }
}

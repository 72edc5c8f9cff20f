package io.mysos.core.audit;

import io.mysos.core.cluster.ClusterEvent;

/** One line of a cluster's readable timeline: what an event says, without its secrets. */
public final class EventText {
    private EventText() {}

    public static String describe(ClusterEvent event) {
        if (event instanceof ClusterEvent.ClusterCreated e) {
            return "created: " + e.spec().numNodes() + " x " + e.spec().size().describe() + ", user " + e.spec().user()
                    + (e.spec().semiSync() ? ", semi-synchronous" : "") + e.spec().backupId().map(b -> ", from backup " + b).orElse("")
                    + e.spec().restoreTo().map(t -> " rolled forward to " + t).orElse("");
        }
        if (event instanceof ClusterEvent.ReplicaAdded e) {
            return "instance " + e.taskId() + " added on " + e.host() + ":" + e.port() + " (agent " + e.agentId() + ")";
        }
        if (event instanceof ClusterEvent.TaskStateChanged e) {
            return e.taskId() + " " + e.state() + (e.message() == null || e.message().isEmpty() ? "" : ": " + e.message());
        }
        if (event instanceof ClusterEvent.ReplicaLost e) {
            return "replica " + e.taskId() + " lost: " + e.cause();
        }
        if (event instanceof ClusterEvent.MasterLost e) {
            return "master " + e.taskId() + " of epoch " + e.epoch() + " lost: " + e.cause();
        }
        if (event instanceof ClusterEvent.ElectionStarted e) {
            return (e.planned() ? "switchover" : "election") + " for epoch " + e.epoch() + " started"
                    + e.previousMaster().map(m -> " to replace " + m).orElse("") + ", candidates " + e.candidates()
                    + " (" + e.cause() + ")";
        }
        if (event instanceof ClusterEvent.HistoriesDiverged e) {
            return "epoch " + e.epoch() + ": histories diverged, most advanced " + e.mostAdvanced() + " lacks " + e.lacking()
                    + "; positions " + e.positions();
        }
        if (event instanceof ClusterEvent.MasterElected e) {
            return e.taskId() + " elected master of epoch " + e.epoch()
                    + (e.positions().isEmpty() ? "" : ", positions compared " + e.positions())
                    + (e.overruled().isEmpty() ? "" : ", forced over " + e.overruled());
        }
        if (event instanceof ClusterEvent.FailoverCompleted e) {
            return (ClusterEvent.PLANNED.equals(e.cause()) ? "switchover" : "failover") + " to " + e.newMaster()
                    + e.oldMaster().map(m -> " from " + m).orElse("") + " completed in " + e.millis() + " ms (epoch " + e.epoch() + ")";
        }
        if (event instanceof ClusterEvent.ClusterResized e) {
            return "resized from " + e.from() + " to " + e.to() + " nodes" + (e.removed().isEmpty() ? "" : ", letting go " + e.removed());
        }
        if (event instanceof ClusterEvent.ClusterDeletionRequested) {
            return "deletion requested";
        }
        if (event instanceof ClusterEvent.ClusterTerminated) {
            return "terminated";
        }
        if (event instanceof ClusterEvent.VolumeCreated e) {
            return "persistent volume " + e.volumeId() + " created for " + e.taskId() + " on " + e.host() + " (agent " + e.agentId() + ")";
        }
        if (event instanceof ClusterEvent.VolumeReused e) {
            return e.taskId() + " relaunched on persistent volume " + e.volumeId();
        }
        if (event instanceof ClusterEvent.VolumeReleased e) {
            return "persistent volume " + e.volumeId() + " released: " + e.cause();
        }
        return describeBackup(event);
    }

    private static String describeBackup(ClusterEvent event) {
        if (event instanceof ClusterEvent.BackupRequested e) {
            return "backup " + e.id() + " requested (" + e.cause() + ")";
        }
        if (event instanceof ClusterEvent.BackupStarted e) {
            return "backup " + e.id() + " started from " + e.source();
        }
        if (event instanceof ClusterEvent.BackupCompleted e) {
            return "backup " + e.id() + " completed in " + e.millis() + " ms: " + e.bytes() + " bytes at " + e.position()
                    + " in " + e.location();
        }
        if (event instanceof ClusterEvent.BackupFailed e) {
            return "backup " + e.id() + " failed: " + e.reason();
        }
        if (event instanceof ClusterEvent.BackupDeleted e) {
            return "backup " + e.id() + " deleted";
        }
        if (event instanceof ClusterEvent.BackupScheduleChanged e) {
            return e.intervalSeconds() == 0 ? "scheduled backups off, keeping " + e.keep()
                    : "backups every " + e.intervalSeconds() + " s, keeping " + e.keep();
        }
        return event.toString();
    }
}

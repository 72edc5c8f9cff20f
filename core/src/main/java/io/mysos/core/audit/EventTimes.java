package io.mysos.core.audit;

import io.mysos.core.cluster.ClusterEvent;
import java.time.Instant;
import java.util.Optional;

/** The scheduler's own time of an event, for the events that record one (and have it: not 1970, written before it existed). */
final class EventTimes {
    private EventTimes() {}

    static Optional<Instant> of(ClusterEvent event) {
        Instant at = null;
        if (event instanceof ClusterEvent.ClusterCreated e) {
            at = e.createdAt();
        } else if (event instanceof ClusterEvent.TaskStateChanged e) {
            at = e.at();
        } else if (event instanceof ClusterEvent.ReplicaLost e) {
            at = e.at();
        } else if (event instanceof ClusterEvent.MasterLost e) {
            at = e.at();
        } else if (event instanceof ClusterEvent.ElectionStarted e) {
            at = e.at();
        } else if (event instanceof ClusterEvent.HistoriesDiverged e) {
            at = e.at();
        } else if (event instanceof ClusterEvent.ClusterDeletionRequested e) {
            at = e.at();
        } else if (event instanceof ClusterEvent.ClusterTerminated e) {
            at = e.at();
        } else if (event instanceof ClusterEvent.VolumeReleased e) {
            at = e.at();
        } else if (event instanceof ClusterEvent.BackupRequested e) {
            at = e.at();
        } else if (event instanceof ClusterEvent.BackupStarted e) {
            at = e.at();
        } else if (event instanceof ClusterEvent.BackupCompleted e) {
            at = e.at();
        } else if (event instanceof ClusterEvent.BackupFailed e) {
            at = e.at();
        } else if (event instanceof ClusterEvent.BackupDeleted e) {
            at = e.at();
        }
        return Optional.ofNullable(at).filter(t -> !t.equals(Instant.EPOCH));
    }
}

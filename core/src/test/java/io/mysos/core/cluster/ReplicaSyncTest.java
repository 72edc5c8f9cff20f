package io.mysos.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicaSyncTest {
    @Test
    void aReplicaInSyncAndReplicatingIsNotBehindAndNeedsNoReason() {
        assertFalse(ReplicaSync.behind(Optional.of(Lag.inSync())));
        assertEquals(Optional.empty(), ReplicaSync.reason("mysos-orders-2", Optional.of(Lag.inSync())));
    }

    @Test
    void aReplicaThatHasNotReportedIsNotCalledBehind() {
        assertFalse(ReplicaSync.behind(Optional.empty()));
        assertEquals(Optional.empty(), ReplicaSync.reason("mysos-orders-2", Optional.empty()));
    }

    @Test
    void onlyAReplicaThatReportedAndKeepsUpIsInSync() {
        assertTrue(ReplicaSync.inSync(Optional.of(Lag.inSync())));
        assertFalse(ReplicaSync.inSync(Optional.empty()), "not reported yet: it may still replay the master's history");
        assertFalse(ReplicaSync.inSync(Optional.of(new Lag(3912, Optional.of(12L), true))));
        assertFalse(ReplicaSync.inSync(Optional.of(Lag.inSync().withReplicating(false))));
    }

    @Test
    void aReplicaWhoseReplicationStoppedIsBehindEvenWithNoBacklogAndTheReasonNamesIt() {
        var stopped = Lag.inSync().withReplicating(false);
        assertTrue(ReplicaSync.behind(Optional.of(stopped)));
        assertEquals(Optional.of("replica mysos-orders-3 stopped replicating from the master (0 transactions (0 s) behind)"),
                ReplicaSync.reason("mysos-orders-3", Optional.of(stopped)));
    }

    @Test
    void aStoppedReplicaWithABacklogIsReportedAsStoppedNotAsCatchingUp() {
        var stopped = new Lag(500, Optional.empty(), true, false);
        assertEquals(Optional.of("replica mysos-orders-3 stopped replicating from the master (500 transactions behind)"),
                ReplicaSync.reason("mysos-orders-3", Optional.of(stopped)));
    }

    @Test
    void aReplicaCatchingUpIsBehindWithItsBacklogInTheReason() {
        var catching = new Lag(3912, Optional.of(12L), true);
        assertTrue(ReplicaSync.behind(Optional.of(catching)));
        assertEquals(Optional.of("replica mysos-orders-4 is catching up with the master: 3912 transactions (12 s) behind"),
                ReplicaSync.reason("mysos-orders-4", Optional.of(catching)));
    }
}

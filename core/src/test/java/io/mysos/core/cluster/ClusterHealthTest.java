package io.mysos.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClusterHealthTest {
    @Test
    void deletingWinsOverEverything() {
        assertEquals(ClusterStatus.DELETING, ClusterHealth.status(true, true, true, 3, true, 3, 0, 3));
    }

    @Test
    void runningNeedsAWritableMasterAndEveryInstanceInItsRole() {
        assertEquals(ClusterStatus.RUNNING, ClusterHealth.status(false, true, true, 3, true, 3, 0, 3));
        assertEquals(ClusterStatus.PENDING, ClusterHealth.status(false, true, true, 3, true, 2, 0, 3));
        assertEquals(ClusterStatus.PENDING, ClusterHealth.status(false, true, true, 3, false, 3, 0, 3));
    }

    @Test
    void aNewClusterIsPendingUntilItFirstRuns() {
        assertEquals(ClusterStatus.PENDING, ClusterHealth.status(false, false, false, 0, false, 0, 0, 3));
        assertEquals(ClusterStatus.PENDING, ClusterHealth.status(false, false, true, 2, true, 2, 0, 3));
    }

    @Test
    void aClusterThatRanIsDegradedWhenAnInstanceOrTheMasterIsDown() {
        assertEquals(ClusterStatus.DEGRADED, ClusterHealth.status(false, true, true, 2, true, 2, 0, 3));
        assertEquals(ClusterStatus.DEGRADED, ClusterHealth.status(false, true, false, 2, false, 2, 0, 3));
    }

    @Test
    void aClusterWithAReplicaCatchingUpIsDegradedUntilItIsInSync() {
        // Three running, the master writable, two in their roles and in sync, one still replaying its backlog.
        assertEquals(ClusterStatus.DEGRADED, ClusterHealth.status(false, true, true, 3, true, 2, 1, 3));
        assertEquals(ClusterStatus.RUNNING, ClusterHealth.status(false, true, true, 3, true, 3, 0, 3));
    }
}

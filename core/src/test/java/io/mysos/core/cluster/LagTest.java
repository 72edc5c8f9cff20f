package io.mysos.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.election.Position;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LagTest {
    @Test
    void aReplicaWithAReceivedBacklogIsCatchingUpByTheTransactionsItHasNotApplied() {
        var applied = Position.mariadb("0-1-100");
        var reachable = applied.union(Position.mariadb("0-1-4100"));
        var lag = Lag.measure(applied, reachable, Optional.of(12L));
        assertEquals(new Lag(4000, Optional.of(12L), true), lag);
        assertEquals("4000 transactions (12 s) behind", lag.describe());
    }

    @Test
    void aReplicaAFewTransactionsBehindABusyMasterIsInSync() {
        var lag = Lag.measure(Position.mariadb("0-1-100"), Position.mariadb("0-1-103"), Optional.of(0L));
        assertEquals(new Lag(3, Optional.of(0L), false), lag);
    }

    @Test
    void secondsBehindAloneMakeAReplicaCatchUp() {
        assertTrue(Lag.measure(Position.mariadb("0-1-100"), Position.mariadb("0-1-100"), Optional.of(30L)).catchingUp());
        assertFalse(Lag.measure(Position.mariadb("0-1-100"), Position.mariadb("0-1-100"), Optional.empty()).catchingUp());
    }

    @Test
    void mySqlGtidSetsCountTheMissingIntervals() {
        var uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        var lag = Lag.measure(Position.mysql(uuid + ":1-100"), Position.mysql(uuid + ":1-500"), Optional.empty());
        assertEquals(new Lag(400, Optional.empty(), true), lag);
        assertEquals("400 transactions behind", lag.describe());
    }

    @Test
    void reportsTheFirstMeasurementAndEveryChangeBetweenCatchingUpAndInSync() {
        var catching = Lag.of(500, Optional.of(9L));
        var inSync = Lag.inSync();
        assertTrue(Lag.worthReporting(Optional.empty(), inSync, Duration.ZERO));
        assertTrue(Lag.worthReporting(Optional.of(inSync), catching, Duration.ofSeconds(1)));
        assertTrue(Lag.worthReporting(Optional.of(catching), inSync, Duration.ofSeconds(1)));
    }

    @Test
    void reportsProgressEveryFewSecondsWhileCatchingUpAndAnUnchangedLagRarely() {
        var catching = Lag.of(500, Optional.of(9L));
        var less = Lag.of(300, Optional.of(6L));
        assertFalse(Lag.worthReporting(Optional.of(catching), less, Duration.ofSeconds(1)));
        assertTrue(Lag.worthReporting(Optional.of(catching), less, Lag.PROGRESS_INTERVAL));
        assertFalse(Lag.worthReporting(Optional.of(Lag.inSync()), Lag.inSync(), Duration.ofSeconds(59)));
        assertTrue(Lag.worthReporting(Optional.of(Lag.inSync()), Lag.inSync(), Lag.REFRESH_INTERVAL));
    }

    @Test
    void reportsReplicationStoppingAndStartingAgainAtOnce() {
        var stopped = Lag.inSync().withReplicating(false);
        assertTrue(Lag.worthReporting(Optional.of(Lag.inSync()), stopped, Duration.ofSeconds(1)));
        assertTrue(Lag.worthReporting(Optional.of(stopped), Lag.inSync(), Duration.ofSeconds(1)));
        assertFalse(Lag.worthReporting(Optional.of(stopped), stopped, Duration.ofSeconds(1)));
    }
}

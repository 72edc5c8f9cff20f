package io.mysos.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.cluster.ReplacementBackoff.Failure;
import io.mysos.core.cluster.ReplacementBackoff.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplacementBackoffTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String BROKEN = "replication broke: its IO thread gave up with error 1236: Got fatal error 1236 "
            + "from master when reading data from binary log: 'Could not find GTID state requested by slave in any binlog "
            + "files. Probably the slave state is too old and required binlog files have been purged.'";

    private static Failure replica(String cause, long secondsAfterT0) {
        return new Failure("replica", cause, T0.plusSeconds(secondsAfterT0));
    }

    @Test
    void aClusterWithoutFailuresLaunchesAtOnce() {
        var decision = ReplacementBackoff.decide(List.of(), T0);
        assertTrue(decision.allowsLaunchAt(T0));
        assertEquals(0, decision.repeats());
        assertEquals(Optional.empty(), decision.reason(T0));
    }

    @Test
    void aFirstFailureIsReplacedAtOnceAndSaysNothing() {
        var decision = ReplacementBackoff.decide(List.of(replica(BROKEN, 0)), T0.plusMillis(10));
        assertTrue(decision.allowsLaunchAt(T0.plusMillis(10)));
        assertEquals(1, decision.repeats());
        assertEquals(Optional.empty(), decision.reason(T0.plusMillis(10)));
    }

    @Test
    void eachRepeatOfTheSameCauseDoublesTheWaitUpToTheMaximum() {
        var failures = new ArrayList<Failure>();
        var waits = new ArrayList<Duration>();
        long at = 0;
        for (int i = 0; i < 10; i++) {
            failures.add(replica(BROKEN, at));
            var decision = ReplacementBackoff.decide(failures, T0.plusSeconds(at));
            waits.add(decision.waitFrom(T0.plusSeconds(at)));
            at = Duration.between(T0, decision.notBefore()).toSeconds() + 1;
        }
        assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(40), Duration.ofSeconds(80), Duration.ofSeconds(160), Duration.ofMinutes(5),
                Duration.ofMinutes(5), Duration.ofMinutes(5)), waits);
    }

    @Test
    void theReasonNamesTheRoleTheRepeatsTheCauseAndTheNextTry() {
        var failures = List.of(replica(BROKEN, 0), replica(BROKEN, 2), replica(BROKEN, 8), replica(BROKEN, 20),
                replica(BROKEN, 41));
        var decision = ReplacementBackoff.decide(failures, T0.plusSeconds(41));

        assertEquals(5, decision.repeats());
        var reason = decision.reason(T0.plusSeconds(41)).orElseThrow();
        assertTrue(reason.startsWith("replica failed 5 times with 'replication broke: its IO thread gave up with error 1236"), reason);
        assertTrue(reason.endsWith("...'; next try in 40s"), reason);
        assertTrue(reason.length() < 200, "a reason is one readable line: " + reason);
        assertEquals("replica failed 5 times with '" + decision.cause() + "'; next try now",
                decision.reason(T0.plusSeconds(90)).orElseThrow());
    }

    @Test
    void failuresThatDifferOnlyInAddressesPathsPidsAndTimesHaveOneCause() {
        var first = "mysqld exited with code 1 (pid 48213): [ERROR] Can't start server: Bind on TCP/IP port: "
                + "Address already in use on 127.0.0.1:31001; see /var/lib/mysos/instances/mysos-orders-4/mysqld.log after 1520 ms";
        var second = "mysqld exited with code 1 (pid 50007): [ERROR] Can't start server: Bind on TCP/IP port: "
                + "Address already in use on 127.0.0.1:31017; see /var/lib/mysos/instances/mysos-orders-9/mysqld.log after 1.4 s";
        assertEquals(ReplacementBackoff.causeKey(first), ReplacementBackoff.causeKey(second));
        assertEquals(2, ReplacementBackoff.decide(List.of(replica(first, 0), replica(second, 1)), T0.plusSeconds(1)).repeats());

        assertNotEquals(ReplacementBackoff.causeKey("SQL thread stopped with error 1062: Duplicate entry"),
                ReplacementBackoff.causeKey("SQL thread stopped with error 1032: Can't find record"));
        assertNotEquals(ReplacementBackoff.causeKey("mysqld exited with code 1"), ReplacementBackoff.causeKey("mysqld exited with code 137"));
    }

    @Test
    void onlyTheLatestCausesRepeatsCount() {
        var failures = List.of(replica(BROKEN, 0), replica(BROKEN, 6), replica("mysqld exited with code 137", 20));
        var decision = ReplacementBackoff.decide(failures, T0.plusSeconds(20));
        assertEquals(1, decision.repeats());
        assertTrue(decision.allowsLaunchAt(T0.plusSeconds(20)));

        var alternating = List.of(replica(BROKEN, 0), replica("disk full", 5), replica(BROKEN, 10), replica("disk full", 20),
                replica(BROKEN, 40));
        var again = ReplacementBackoff.decide(alternating, T0.plusSeconds(40));
        assertEquals(3, again.repeats(), "another cause in between does not hide a loop");
        assertEquals(T0.plusSeconds(50), again.notBefore());
    }

    @Test
    void aStablePeriodForgetsTheStreak() {
        var failures = new ArrayList<>(List.of(replica(BROKEN, 0), replica(BROKEN, 5), replica(BROKEN, 15), replica(BROKEN, 35)));
        var loop = ReplacementBackoff.decide(failures, T0.plusSeconds(35));
        assertEquals(4, loop.repeats());

        long afterCalm = 35 + Duration.ofMinutes(10).toSeconds();
        assertEquals(List.of(), ReplacementBackoff.currentStretch(failures, T0.plusSeconds(afterCalm), Policy.DEFAULT));
        failures.add(replica(BROKEN, afterCalm));
        var fresh = ReplacementBackoff.decide(failures, T0.plusSeconds(afterCalm));
        assertEquals(1, fresh.repeats());
        assertTrue(fresh.allowsLaunchAt(T0.plusSeconds(afterCalm)));
        assertEquals(List.of(replica(BROKEN, afterCalm)),
                ReplacementBackoff.currentStretch(failures, T0.plusSeconds(afterCalm), Policy.DEFAULT));
    }

    @Test
    void theOrderOfTheListDoesNotMatter() {
        var failures = List.of(replica(BROKEN, 20), replica(BROKEN, 0), replica(BROKEN, 5));
        var decision = ReplacementBackoff.decide(failures, T0.plusSeconds(20));
        assertEquals(3, decision.repeats());
        assertEquals(T0.plusSeconds(30), decision.notBefore());
    }

    @Test
    void describesWaitsTheWayPeopleSayThem() {
        assertEquals("1s", ReplacementBackoff.describe(Duration.ofMillis(200)));
        assertEquals("45s", ReplacementBackoff.describe(Duration.ofSeconds(45)));
        assertEquals("2m", ReplacementBackoff.describe(Duration.ofMinutes(2)));
        assertEquals("1m30s", ReplacementBackoff.describe(Duration.ofSeconds(90)));
    }

    @Test
    void refusesPoliciesThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> new Policy(Duration.ZERO, Duration.ofMinutes(5), Duration.ofMinutes(10)));
        assertThrows(IllegalArgumentException.class, () -> new Policy(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMinutes(10)));
        assertThrows(IllegalArgumentException.class, () -> new Policy(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(1)));
        assertFalse(ReplacementBackoff.decide(List.of(replica("x", 0), replica("x", 1)), T0.plusSeconds(1)).allowsLaunchAt(T0.plusSeconds(5)));
    }
}

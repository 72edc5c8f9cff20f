package io.mysos.actors.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure rules behind the gateway's paced calls: reconciliation rounds and the REVIVE rate limit. */
class CallPacingRulesTest {
    private static final TaskId ONE = TaskId.of("orders", 1);
    private static final TaskId TWO = TaskId.of("orders", 2);

    @Test
    void reconciliationAsksAgainAboutTheSilentTasksWithADoublingPauseUpToTheCap() {
        var r = Reconciliation.idle(Duration.ofSeconds(4), Duration.ofSeconds(30)).start(List.of(ONE, TWO));
        assertEquals(Set.of(ONE, TWO), r.pending());
        assertEquals(Duration.ofSeconds(4), r.nextPause());
        r = r.heardOf(ONE);
        assertEquals(Set.of(TWO), r.pending());
        r = r.askedAgain();
        assertEquals(Duration.ofSeconds(8), r.nextPause());
        r = r.askedAgain().askedAgain();
        assertEquals(Duration.ofSeconds(30), r.nextPause(), "16 s, then capped at 30 s");
        assertEquals(Duration.ofSeconds(30), r.askedAgain().nextPause());
        assertFalse(r.done());
        assertTrue(r.heardOf(TWO).done());
        // A new round (a new subscription) starts over at the first pause.
        assertEquals(Duration.ofSeconds(4), r.start(List.of(ONE)).nextPause());
        assertEquals(Set.of(ONE, TWO), r.start(List.of(ONE)).pending());
    }

    @Test
    void aReviveWaitsForTheIntervalSinceTheLastOne() {
        var t0 = Instant.parse("2026-01-01T00:00:00Z");
        var limit = ReviveLimit.of(Duration.ofSeconds(5));
        assertEquals(Duration.ZERO, limit.waitAt(t0));
        limit = limit.revivedAt(t0);
        assertEquals(Duration.ofSeconds(3), limit.waitAt(t0.plusSeconds(2)));
        assertEquals(Duration.ZERO, limit.waitAt(t0.plusSeconds(5)));
        assertEquals(Duration.ZERO, limit.waitAt(t0.plusSeconds(60)));
    }
}

package io.mysos.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CreateDeadlineTest {
    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
    private static final Duration CREATE = Duration.ofSeconds(10);

    private static CreateDeadline in(long millis) {
        return new CreateDeadline(Optional.of(NOW.plusMillis(millis)));
    }

    @Test
    void aCreateStartsOnlyIfItsClusterActorHasItsWholeTimeBeforeTheAskerGivesUp() {
        assertTrue(in(15_000).leavesRoomFor(CREATE, NOW));
        assertTrue(in(10_000).leavesRoomFor(CREATE, NOW));
        assertFalse(in(9_999).leavesRoomFor(CREATE, NOW), "it waited out a restart of the registry");
        assertTrue(CreateDeadline.NONE.leavesRoomFor(CREATE, NOW));
    }

    @Test
    void aRecordedCreateIsConfirmedInTimeForItsAnswerToArriveOrUndone() {
        assertEquals(Optional.of(CREATE), in(15_000).confirmWithin(CREATE, NOW), "a quick journal leaves the whole time");
        assertEquals(Optional.of(Duration.ofSeconds(3)), in(4_000).confirmWithin(CREATE, NOW), "a slow one leaves less");
        assertEquals(Optional.empty(), in(1_000).confirmWithin(CREATE, NOW), "no time left for the reply to arrive");
        assertEquals(Optional.empty(), in(-5_000).confirmWithin(CREATE, NOW), "the asker has given up");
        assertEquals(Optional.of(CREATE), CreateDeadline.NONE.confirmWithin(CREATE, NOW));
    }
}

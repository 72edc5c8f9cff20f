package io.mysos.core.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RestoreTargetTest {
    static final Instant FINISHED = Instant.parse("2026-12-01T06:00:00Z");
    static final BinlogArchive.Recoverable LATEST = new BinlogArchive.Recoverable(GtidState.parse("0-1-200"), FINISHED.plusSeconds(60));

    @Test
    void parsesTimesAndPositions() {
        assertEquals(new RestoreTarget.AtTime(Instant.parse("2026-12-01T05:30:00Z")), RestoreTarget.parse("2026-12-01T06:30:00+01:00"));
        assertEquals(new RestoreTarget.AtTime(Instant.parse("2026-12-01T06:30:00.250Z")), RestoreTarget.parse("2026-12-01 06:30:00.25Z"));
        assertEquals(new RestoreTarget.AtPosition(GtidState.parse("0-1-100")), RestoreTarget.parse("0-1-100"));
        var e = assertThrows(InvalidInputException.class, () -> RestoreTarget.parse("yesterday"));
        assertTrue(e.getMessage().contains("RFC 3339"));
        var local = assertThrows(InvalidInputException.class, () -> RestoreTarget.parse("2026-12-01T06:30:00"), "a time needs its offset");
        assertTrue(local.getMessage().contains("has no time zone: add Z for UTC (2026-12-01T06:30:00Z)"), local.getMessage());
    }

    @Test
    void refusesTargetsBeforeTheBackupOrAfterTheLatestRecoverablePoint() {
        var position = GtidState.parse("0-1-100");
        RestoreTarget.parse("2026-12-01T06:00:30Z").checkWithin("o/1", position, FINISHED, LATEST);
        RestoreTarget.parse("0-1-150").checkWithin("o/1", position, FINISHED, LATEST);
        var before = assertThrows(InvalidInputException.class,
                () -> RestoreTarget.parse("2026-12-01T05:59:00Z").checkWithin("o/1", position, FINISHED, LATEST));
        assertTrue(before.getMessage().contains("before backup o/1"));
        var after = assertThrows(InvalidInputException.class,
                () -> RestoreTarget.parse("2026-12-01T06:02:00Z").checkWithin("o/1", position, FINISHED, LATEST));
        assertTrue(after.getMessage().contains("after the latest recoverable point"));
        assertThrows(InvalidInputException.class, () -> RestoreTarget.parse("0-1-99").checkWithin("o/1", position, FINISHED, LATEST));
        assertThrows(InvalidInputException.class, () -> RestoreTarget.parse("0-1-201").checkWithin("o/1", position, FINISHED, LATEST));
    }

    @Test
    void anEmptyPositionIsNamedInTheMessageNotLeftBlank() {
        var empty = new BinlogArchive.Recoverable(GtidState.EMPTY, FINISHED.plusSeconds(60));
        var after = assertThrows(InvalidInputException.class,
                () -> RestoreTarget.parse("0-1-1").checkWithin("o/1", GtidState.EMPTY, FINISHED, empty));
        assertTrue(after.getMessage().endsWith("(no transaction yet, " + FINISHED.plusSeconds(60) + ")"), after.getMessage());
        var late = assertThrows(InvalidInputException.class,
                () -> RestoreTarget.parse("2026-12-01T07:00:00Z").checkWithin("o/1", GtidState.EMPTY, FINISHED, empty));
        assertTrue(late.getMessage().endsWith(", no transaction yet)"), late.getMessage());
    }
}

package io.mysos.core.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackupPolicyTest {
    @Test
    void intervalsInMinutesHoursAndDaysAndOff() {
        assertEquals(Duration.ofMinutes(30), BackupPolicy.parseInterval("30m"));
        assertEquals(Duration.ofHours(6), BackupPolicy.parseInterval(" 6h "));
        assertEquals(Duration.ofHours(6), BackupPolicy.parseInterval("6H"));
        assertEquals(Duration.ofDays(1), BackupPolicy.parseInterval("1d"));
        assertEquals(Duration.ofDays(2), BackupPolicy.parseInterval("2 D"));
        for (var none : new String[] {"off", "OFF", "0", ""}) {
            assertEquals(Duration.ZERO, BackupPolicy.parseInterval(none), none);
        }
    }

    @Test
    void aCapitalMIsRefusedRatherThanReadAsMinutes() {
        var refused = assertThrows(InvalidInputException.class, () -> BackupPolicy.parseInterval("6M"));
        assertTrue(refused.getMessage().contains("'6M' is ambiguous"), refused.getMessage());
        assertThrows(InvalidInputException.class, () -> BackupPolicy.parseInterval("30 M"));
    }

    @Test
    void malformedIntervalsAreRefusedNamingTheField() {
        for (var bad : new String[] {"1w", "-5m", "1.5h", "PT6H", "5m5m", "9999999d", "６h", "h", "6"}) {
            var refused = assertThrows(InvalidInputException.class, () -> BackupPolicy.parseInterval(bad), bad);
            assertTrue(refused.getMessage().startsWith("backup_interval"), refused.getMessage());
        }
    }

    @Test
    void intervalsBelowFiveMinutesAndKeepsOutOfRangeAreRefused() {
        assertThrows(InvalidInputException.class, () -> BackupPolicy.NONE.with(Map.of("backup_interval", "4m")));
        assertThrows(InvalidInputException.class, () -> BackupPolicy.NONE.with(Map.of("backup_keep", -1)));
        assertThrows(InvalidInputException.class, () -> BackupPolicy.NONE.with(Map.of("backup_keep", BackupPolicy.MAX_KEEP + 1)));
        assertThrows(InvalidInputException.class, () -> BackupPolicy.NONE.with(Map.of("backup_keep", 1.5)));
    }

    @Test
    void aChangeKeepsWhatItDoesNotMentionAndShowsAsGiven() {
        var policy = BackupPolicy.NONE.with(Map.of("backup_interval", "90m", "backup_keep", 7));
        assertEquals("90m", policy.describeInterval());
        var changed = policy.with(Map.of("backup_keep", 3));
        assertEquals(Duration.ofMinutes(90), changed.interval());
        assertEquals(3, changed.keep());
        assertEquals("1d", BackupPolicy.NONE.with(Map.of("backup_interval", "24h")).describeInterval());
        assertEquals("off", changed.with(Map.of("backup_interval", "off")).describeInterval());
    }
}

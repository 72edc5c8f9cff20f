package io.mysos.core.binlog;

import io.mysos.core.InvalidInputException;
import io.mysos.core.cluster.RequestFields;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Where a point-in-time restore ({@code restore_to}) stops: at a time (RFC 3339), replaying every
 * transaction the binary log stamps before that time's whole second, or at a GTID position, replaying
 * every transaction up to and including it.
 */
public sealed interface RestoreTarget {
    /** Stop before the first transaction stamped at or after {@code time}'s second (binary log times have whole seconds). */
    record AtTime(Instant time) implements RestoreTarget {
        public Instant stopSecond() {
            return Instant.ofEpochSecond(time.getEpochSecond());
        }

        @Override
        public String toString() {
            return time.toString();
        }
    }

    /** Replay every transaction within {@code position}, none after it. */
    record AtPosition(GtidState position) implements RestoreTarget {
        @Override
        public String toString() {
            return position.toString();
        }
    }

    /** Whether the transaction {@code gtid} stamped {@code time} comes before the target. */
    default boolean admits(Gtid gtid, Instant time) {
        if (this instanceof AtTime at) {
            return time.isBefore(at.stopSecond());
        }
        return ((AtPosition) this).position().includes(gtid);
    }

    /** {@code restore_to} as given: an RFC 3339 time ({@code 2026-12-01T06:30:00Z}) or a GTID position ({@code 0-1-10004}). */
    static RestoreTarget parse(String text) {
        var t = text.strip();
        if (t.matches("[0-9]+-[0-9]+-[0-9]+(,[0-9]+-[0-9]+-[0-9]+)*")) {
            return new AtPosition(GtidState.parse(t));
        }
        try {
            return new AtTime(OffsetDateTime.parse(t.replace(' ', 'T')).toInstant());
        } catch (DateTimeParseException e) {
            if (isLocalTime(t.replace(' ', 'T'))) {
                throw new InvalidInputException("restore_to '" + RequestFields.shown(text) + "' has no time zone: add Z for UTC ("
                        + RequestFields.shown(t) + "Z) or an offset (+01:00)");
            }
            throw new InvalidInputException("restore_to must be an RFC 3339 time (2026-12-01T06:30:00Z) or a GTID position"
                    + " (0-1-10004), not '" + RequestFields.shown(text) + "'");
        }
    }

    private static boolean isLocalTime(String text) {
        try {
            java.time.LocalDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** A position as a message shows it: an empty one (no transaction yet) by name, not as nothing. */
    private static String shown(GtidState position) {
        return position.isEmpty() ? "no transaction yet" : position.toString();
    }

    /**
     * Whether the backup (holding everything up to {@code backupPosition}, finished at {@code backupFinished})
     * and the archive, recoverable up to {@code latest}, reach this target; the message says why not.
     */
    default void checkWithin(String backupId, GtidState backupPosition, Instant backupFinished, BinlogArchive.Recoverable latest) {
        if (this instanceof AtTime at) {
            if (at.time().isBefore(backupFinished)) {
                throw new InvalidInputException("restore_to " + at.time() + " is before backup " + backupId + " finished ("
                        + backupFinished + "): pick a later time or an earlier backup");
            }
            if (at.time().isAfter(latest.time())) {
                throw new InvalidInputException("restore_to " + at.time() + " is after the latest recoverable point of backup "
                        + backupId + " (" + latest.time() + ", " + shown(latest.position()) + ")");
            }
            return;
        }
        var position = ((AtPosition) this).position();
        if (!position.covers(backupPosition)) {
            throw new InvalidInputException("restore_to " + position + " is before backup " + backupId + " (which holds "
                    + shown(backupPosition) + "): pick a later position or an earlier backup");
        }
        if (!latest.position().covers(position)) {
            throw new InvalidInputException("restore_to " + position + " is after the latest recoverable point of backup "
                    + backupId + " (" + shown(latest.position()) + ", " + latest.time() + ")");
        }
    }
}

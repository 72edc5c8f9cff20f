package io.mysos.core.backup;

import io.mysos.core.InvalidInputException;
import io.mysos.core.cluster.RequestFields;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A cluster's backup schedule: a backup every {@code interval} (none when zero, the default) and how
 * many complete backups to {@code keep} (zero keeps all). From the request fields {@code backup_interval}
 * ({@code 30m}, {@code 6h}, {@code 1d}; {@code off} or {@code 0}) and {@code backup_keep}.
 */
public record BackupPolicy(Duration interval, int keep) {
    public static final BackupPolicy NONE = new BackupPolicy(Duration.ZERO, 0);
    /** Shorter would back up more often than a backup of a big instance takes. */
    public static final Duration MIN_INTERVAL = Duration.ofMinutes(5);
    public static final int MAX_KEEP = 1000;
    private static final Pattern INTERVAL = Pattern.compile("([0-9]{1,6})\\s*(m|h|d)");

    public BackupPolicy {
        interval = interval == null ? Duration.ZERO : interval;
        if (interval.isNegative() || (!interval.isZero() && interval.compareTo(MIN_INTERVAL) < 0)) {
            throw new InvalidInputException("backup_interval must be off or at least 5m, not " + interval.toMinutes() + "m");
        }
        if (keep < 0 || keep > MAX_KEEP) {
            throw new InvalidInputException("backup_keep must be between 0 (keep all) and " + MAX_KEEP + ", not " + keep);
        }
    }

    public boolean scheduled() {
        return !interval.isZero();
    }

    /** This policy with what {@code fields} say ({@code backup_interval}, {@code backup_keep}); absent fields keep their value. */
    public BackupPolicy with(Map<String, ?> fields) {
        var newInterval = RequestFields.string(fields, "backup_interval").map(BackupPolicy::parseInterval).orElse(interval);
        var newKeep = RequestFields.wholeNumber(fields, "backup_keep", "a whole number between 0 and " + MAX_KEEP)
                .map(n -> (int) Math.min(n, Integer.MAX_VALUE)).orElse(keep);
        return new BackupPolicy(newInterval, newKeep);
    }

    /** Whether {@code fields} set any part of a backup policy. */
    public static boolean mentionedIn(Map<String, ?> fields) {
        return fields.containsKey("backup_interval") || fields.containsKey("backup_keep");
    }

    /** {@code 30m}, {@code 6h}, {@code 1d} ({@code H} and {@code D} too, never {@code M}: months or minutes?); {@code off}, {@code 0} or empty for none. */
    public static Duration parseInterval(String text) {
        var t = text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty() || t.equals("off") || t.equals("0")) {
            return Duration.ZERO;
        }
        if (text.trim().endsWith("M")) {
            // Read as minutes, "6M" (six months?) would back up every six minutes.
            throw new InvalidInputException("backup_interval '" + RequestFields.shown(text) + "' is ambiguous: write minutes with a small m"
                    + " (30m); for longer intervals use h or d (1d, 30d)");
        }
        var m = INTERVAL.matcher(t);
        if (!m.matches()) {
            throw new InvalidInputException("backup_interval must look like 30m, 6h or 1d (or off), not '" + RequestFields.shown(text) + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    /** As the API shows it: {@code 6h}, or {@code off}. */
    public String describeInterval() {
        if (interval.isZero()) {
            return "off";
        }
        long minutes = interval.toMinutes();
        return minutes % 1440 == 0 ? minutes / 1440 + "d" : minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m";
    }

    public Optional<Duration> every() {
        return scheduled() ? Optional.of(interval) : Optional.empty();
    }
}

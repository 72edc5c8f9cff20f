package io.mysos.core.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * When a cluster may launch the next replacement for a failed instance. The first failure is
 * replaced at once; each further failure for the same cause (a crash loop: a replica that cannot
 * replicate because its master purged the binlogs it needs fails the same way every time) doubles
 * the wait, up to a few minutes, so a loop neither burns disk and offers nor floods the journal.
 * A stable period without failures forgets the streak. The reason says what repeats, for the
 * cluster's {@code reason}.
 */
public final class ReplacementBackoff {
    private static final int MAX_CAUSE_CHARS = 120;
    private static final Pattern ADDRESS = Pattern.compile("\\[?[0-9a-f:.]*[0-9a-f]\\]?:\\d{1,5}\\b");
    private static final Pattern PATH = Pattern.compile("(/[\\w.@+-]+)+/?");
    private static final Pattern TASK = Pattern.compile("mysos-[a-z0-9][a-z0-9_-]*-\\d+");
    private static final Pattern DURATION = Pattern.compile("\\d+(\\.\\d+)?\\s?(ms|s)\\b");
    private static final Pattern PID = Pattern.compile("pid \\d+");
    private static final Pattern LONG_NUMBER = Pattern.compile("\\b\\d{5,}\\b");

    private ReplacementBackoff() {}

    /**
     * How long waits grow: {@code first} before the second replacement for one cause, doubling up
     * to {@code max}; {@code stable} without any failure forgets the streak.
     */
    public record Policy(Duration first, Duration max, Duration stable) {
        public static final Policy DEFAULT = new Policy(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(10));

        public Policy {
            if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || stable.compareTo(max) < 0) {
                throw new IllegalArgumentException("backoff needs 0 < first <= max <= stable, not " + first + ", " + max
                        + ", " + stable);
            }
        }
    }

    /**
     * One instance that failed: its role then ("replica", "master"), why (the task's last message) and when.
     */
    public record Failure(String role, String cause, Instant at) {}

    /**
     * @param notBefore the earliest time the next replacement may launch
     * @param repeats   how often the latest failure's cause failed in a row (1 for a first failure, 0 for none)
     * @param cause     the repeating cause, shortened
     */
    public record Decision(Instant notBefore, int repeats, String role, String cause) {
        public boolean allowsLaunchAt(Instant now) {
            return !now.isBefore(notBefore);
        }

        /** How long from {@code now} until a launch is allowed; zero when it already is. */
        public Duration waitFrom(Instant now) {
            return allowsLaunchAt(now) ? Duration.ZERO : Duration.between(now, notBefore);
        }

        /**
         * Says what repeats, for the cluster's reason: "replica failed 5 times with 'replication
         * broke: ... error 1236 ...'; next try in 2m". Nothing for a first failure: that one is routine.
         */
        public Optional<String> reason(Instant now) {
            if (repeats < 2) {
                return Optional.empty();
            }
            var wait = waitFrom(now);
            return Optional.of(role + " failed " + repeats + " times with '" + cause + "'; next try "
                    + (wait.isZero() ? "now" : "in " + describe(wait)));
        }
    }

    /** With the default policy. */
    public static Decision decide(List<Failure> failures, Instant now) {
        return decide(failures, now, Policy.DEFAULT);
    }

    /**
     * When the next replacement may launch, given the cluster's failures (any order; older ones
     * than the current unstable stretch are ignored).
     */
    public static Decision decide(List<Failure> failures, Instant now, Policy policy) {
        var streak = currentStretch(failures, now, policy);
        if (streak.isEmpty()) {
            return new Decision(now, 0, "", "");
        }
        var latest = streak.get(streak.size() - 1);
        var key = causeKey(latest.cause());
        int repeats = (int) streak.stream().filter(f -> causeKey(f.cause()).equals(key)).count();
        return new Decision(latest.at().plus(delay(repeats, policy)), repeats, latest.role(), shorten(latest.cause()));
    }

    /** The failures that still count; what a caller keeps, so its list stays short. */
    public static List<Failure> currentStretch(List<Failure> failures, Instant now, Policy policy) {
        var sorted = failures.stream().sorted(Comparator.comparing(Failure::at)).toList();
        if (sorted.isEmpty() || !Duration.between(sorted.get(sorted.size() - 1).at(), now).minus(policy.stable()).isNegative()) {
            return List.of();
        }
        int start = sorted.size() - 1;
        while (start > 0 && Duration.between(sorted.get(start - 1).at(), sorted.get(start).at()).compareTo(policy.stable()) < 0) {
            start--;
        }
        return sorted.subList(start, sorted.size());
    }

    /** No wait for the first failure, {@code first} for the second, doubling up to {@code max}. */
    static Duration delay(int repeats, Policy policy) {
        if (repeats < 2) {
            return Duration.ZERO;
        }
        var wait = policy.first();
        for (int i = 2; i < repeats && wait.compareTo(policy.max()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(policy.max()) > 0 ? policy.max() : wait;
    }

    /**
     * Two failures have the same cause when their messages differ only in what changes from one
     * instance to the next: addresses, paths, task ids, pids, durations, long numbers.
     */
    static String causeKey(String cause) {
        var key = cause.toLowerCase(Locale.ROOT);
        key = TASK.matcher(key).replaceAll("<task>");
        key = PATH.matcher(key).replaceAll("<path>");
        key = ADDRESS.matcher(key).replaceAll("<address>");
        key = PID.matcher(key).replaceAll("pid <n>");
        key = DURATION.matcher(key).replaceAll("<duration>");
        key = LONG_NUMBER.matcher(key).replaceAll("<n>");
        return key.strip();
    }

    private static String shorten(String cause) {
        var line = cause.strip().replaceAll("\\s+", " ");
        return line.length() <= MAX_CAUSE_CHARS ? line : line.substring(0, MAX_CAUSE_CHARS - 3) + "...";
    }

    /** {@code 45s}, {@code 2m}, {@code 1m30s}: rounded up to the second. */
    static String describe(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        if (seconds < 60) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        long rest = seconds % 60;
        return minutes + "m" + (rest == 0 ? "" : rest + "s");
    }
}

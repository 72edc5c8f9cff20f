package io.mysos.actors.mesos;

import java.time.Duration;

/**
 * How long to wait before the next subscription attempt: exponential from {@code min}, capped at
 * {@code max}, with a random share (jitter) so that many schedulers do not hit a recovering
 * master in step.
 */
record ReconnectBackoff(Duration min, Duration max, double jitter) {
    ReconnectBackoff {
        if (min.isNegative() || max.compareTo(min) < 0 || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("backoff needs 0 <= min <= max and a jitter within 0..1");
        }
    }

    /** The wait before attempt {@code attempt} (1 for the first retry); {@code random} in [0, 1). */
    Duration delay(int attempt, double random) {
        double base = min.toMillis() * Math.pow(2, Math.max(0, Math.min(attempt - 1, 30)));
        double capped = Math.min(base, max.toMillis());
        return Duration.ofMillis(Math.round(capped * (1 - jitter + jitter * random)));
    }
}

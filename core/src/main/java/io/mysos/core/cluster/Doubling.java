package io.mysos.core.cluster;

import java.time.Duration;

/** A wait that doubles with each attempt: {@code first} for the first, then twice as long each time, at most {@code max}. */
public final class Doubling {
    private Doubling() {}

    public static Duration delay(Duration first, Duration max, int attempt) {
        int doublings = Math.min(Math.max(0, attempt - 1), 30);
        var delay = first.multipliedBy(1L << doublings);
        return delay.compareTo(max) > 0 || delay.isNegative() ? max : delay;
    }
}

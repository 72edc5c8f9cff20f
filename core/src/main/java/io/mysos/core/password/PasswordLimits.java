package io.mysos.core.password;

import java.time.Duration;

/**
 * How much password checking Mysos does (each check is PBKDF2, slow on purpose): {@code threads}
 * check at once, {@code queue} more may wait, one cluster holds at most {@code perCluster} of
 * those places, and after {@code freeFailures} wrong passwords in a row a cluster's next check waits
 * {@code firstDelay}, doubling with each further failure up to {@code maxDelay}.
 */
public record PasswordLimits(int threads, int queue, int perCluster, int freeFailures, Duration firstDelay, Duration maxDelay) {
    public PasswordLimits {
        if (threads < 1 || queue < 0 || perCluster < 1 || freeFailures < 0) {
            throw new IllegalArgumentException("password limits need at least one thread and one check per cluster, not "
                    + threads + " threads, " + queue + " queued, " + perCluster + " per cluster, " + freeFailures + " free failures");
        }
        if (firstDelay.isNegative() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException("password failure delays must grow from " + firstDelay + " to at most " + maxDelay);
        }
    }

    /** How long a cluster's next check waits after {@code failures} wrong passwords in a row. */
    public Duration delayAfter(int failures) {
        if (failures < freeFailures || failures <= 0) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - freeFailures, 30);
        var delay = firstDelay.multipliedBy(1L << doublings);
        return delay.compareTo(maxDelay) > 0 || delay.isNegative() ? maxDelay : delay;
    }
}

package io.mysos.core.endpoint;

import io.mysos.core.cluster.Lag;

/**
 * How far behind its master a replica may be and still take reads: at most {@code maxTransactions}
 * received and not applied, and at most {@code maxSeconds} behind by its own estimate.
 */
public record ReadOnlyLimits(long maxTransactions, long maxSeconds) {
    /** What a replica in sync reports (the same bounds that make it "catching up"). */
    public static final ReadOnlyLimits DEFAULT = new ReadOnlyLimits(Lag.MAX_TRANSACTIONS, Lag.MAX_SECONDS);

    public ReadOnlyLimits {
        if (maxTransactions < 0 || maxSeconds < 0) {
            throw new IllegalArgumentException("replica lag limits cannot be negative");
        }
    }

    /** Within the limits; a replica whose SQL thread does not run (no seconds estimate) is not. */
    public boolean allow(Lag lag) {
        return !lag.catchingUp() && lag.transactions() <= maxTransactions
                && lag.seconds().map(s -> s <= maxSeconds).orElse(false);
    }
}

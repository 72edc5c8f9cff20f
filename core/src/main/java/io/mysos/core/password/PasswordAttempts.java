package io.mysos.core.password;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The password checks of one cluster: how many are queued or running, and how many wrong
 * passwords came in a row, the last one when. Decides whether the next check may start; a refused
 * request costs no hashing, so a flood of wrong passwords cannot keep the checking threads busy.
 */
public record PasswordAttempts(int inFlight, int failures, Optional<Instant> lastFailure) {
    public static final PasswordAttempts NONE = new PasswordAttempts(0, 0, Optional.empty());

    /** Whether a check may start now; empty if it may, else why not and when to try again. */
    public Optional<Refusal> refusal(Instant now, PasswordLimits limits) {
        if (inFlight >= limits.perCluster()) {
            return Optional.of(new Refusal("too many password checks for this cluster are in progress; retry shortly",
                    Duration.ofSeconds(1)));
        }
        var delay = limits.delayAfter(failures);
        if (delay.isZero() || lastFailure.isEmpty()) {
            return Optional.empty();
        }
        var wait = Duration.between(now, lastFailure.get().plus(delay));
        if (wait.isNegative() || wait.isZero()) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(failures + " wrong passwords in a row for this cluster; the next check is possible in "
                + roundUpSeconds(wait) + " s", wait));
    }

    public PasswordAttempts started() {
        return new PasswordAttempts(inFlight + 1, failures, lastFailure);
    }

    /** A started check ended without an answer (e.g. no room in the queue). */
    public PasswordAttempts abandoned() {
        return new PasswordAttempts(Math.max(0, inFlight - 1), failures, lastFailure);
    }

    /** A started check answered: a match forgets the failures, a wrong password adds one. */
    public PasswordAttempts finished(boolean matched, Instant now) {
        var running = Math.max(0, inFlight - 1);
        return matched ? new PasswordAttempts(running, 0, Optional.empty())
                : new PasswordAttempts(running, failures + 1, Optional.of(now));
    }

    /** Nothing to remember: no check running and no failure counted. */
    public boolean isIdle() {
        return inFlight == 0 && failures == 0;
    }

    static long roundUpSeconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    /** Why a check may not start, and when it may. */
    public record Refusal(String reason, Duration retryAfter) {
        public long retryAfterSeconds() {
            return roundUpSeconds(retryAfter);
        }
    }
}

package io.mysos.core.password;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PasswordAttemptsTest {
    private static final PasswordLimits LIMITS = new PasswordLimits(2, 8, 2, 3, Duration.ofMillis(250), Duration.ofSeconds(4));
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static PasswordAttempts failed(int times) {
        var attempts = PasswordAttempts.NONE;
        for (int i = 0; i < times; i++) {
            attempts = attempts.started().finished(false, T0);
        }
        return attempts;
    }

    @Test
    void theFirstWrongPasswordsCostNoWait() {
        assertTrue(failed(2).refusal(T0, LIMITS).isEmpty());
        assertTrue(failed(2).refusal(T0, LIMITS).isEmpty());
    }

    @Test
    void afterTheFreeFailuresTheNextCheckWaitsAndTheWaitDoubles() {
        assertEquals(Duration.ZERO, LIMITS.delayAfter(2));
        assertEquals(Duration.ofMillis(250), LIMITS.delayAfter(3));
        assertEquals(Duration.ofMillis(500), LIMITS.delayAfter(4));
        assertEquals(Duration.ofSeconds(2), LIMITS.delayAfter(6));
        assertEquals(Duration.ofSeconds(4), LIMITS.delayAfter(7), "capped");
        assertEquals(Duration.ofSeconds(4), LIMITS.delayAfter(1_000), "no overflow");

        var refusal = failed(4).refusal(T0.plusMillis(100), LIMITS).orElseThrow();
        assertEquals(Duration.ofMillis(400), refusal.retryAfter());
        assertEquals(1, refusal.retryAfterSeconds());
        assertTrue(refusal.reason().contains("4 wrong passwords in a row"), refusal.reason());
        assertTrue(failed(4).refusal(T0.plusMillis(500), LIMITS).isEmpty(), "the wait is over");
    }

    @Test
    void aCorrectPasswordForgetsTheFailures() {
        var attempts = failed(6).started().finished(true, T0);
        assertEquals(0, attempts.failures());
        assertTrue(attempts.refusal(T0, LIMITS).isEmpty());
        assertTrue(attempts.isIdle());
    }

    @Test
    void oneClusterHoldsAtMostItsShareOfChecks() {
        var two = PasswordAttempts.NONE.started().started();
        assertTrue(two.refusal(T0, LIMITS).isPresent());
        assertTrue(PasswordAttempts.NONE.started().refusal(T0, LIMITS).isEmpty());
        assertTrue(two.abandoned().refusal(T0, LIMITS).isEmpty(), "an abandoned check frees its place");
        assertEquals(0, two.abandoned().abandoned().abandoned().inFlight(), "never negative");
        assertFalse(two.isIdle());
    }

    @Test
    void rejectsLimitsThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> new PasswordLimits(0, 8, 2, 3, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new PasswordLimits(1, 8, 0, 3, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new PasswordLimits(1, 8, 1, 3, Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}

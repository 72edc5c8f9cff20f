package io.mysos.actors.password;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.password.PasswordHash;
import io.mysos.core.password.PasswordLimits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The limits on password checks, exact: the checks are held running by the test, time is a clock it moves. */
class PasswordChecksTest {
    private static final PasswordHash HASH = new PasswordHash("test", 1, "salt", "right");
    private final CountDownLatch release = new CountDownLatch(1);
    private final MovableClock clock = new MovableClock();
    private PasswordChecks checks;

    private static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    /** Checks that run until the test releases them; "right" is the password. */
    private PasswordChecks checks(PasswordLimits limits, boolean held) {
        checks = new PasswordChecks(limits, clock, (hash, password) -> {
            if (held) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return password.equals(hash.hash());
        });
        return checks;
    }

    @AfterEach
    void close() {
        release.countDown();
        if (checks != null) {
            checks.close();
        }
    }

    private static PasswordChecks.Verdict now(CompletionStage<PasswordChecks.Verdict> verdict) {
        var future = verdict.toCompletableFuture();
        assertTrue(future.isDone(), "answered at once, without a check");
        return future.join();
    }

    private static PasswordChecks.Verdict await(CompletionStage<PasswordChecks.Verdict> verdict) throws Exception {
        return verdict.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void oneClusterTakesAtMostItsShareAndOthersStillGetChecked() throws Exception {
        var checks = checks(new PasswordLimits(1, 8, 2, 3, Duration.ofSeconds(1), Duration.ofSeconds(1)), true);
        var flood = new ArrayList<CompletableFuture<PasswordChecks.Verdict>>();
        for (int i = 0; i < 300; i++) {
            flood.add(checks.check("attacked", HASH, "wrong").toCompletableFuture());
        }
        var refused = flood.stream().filter(CompletableFuture::isDone).toList();
        assertEquals(298, refused.size(), "all but the cluster's share answered at once");
        refused.forEach(r -> assertTrue(assertInstanceOf(PasswordChecks.Refused.class, r.join()).reason()
                .contains("too many password checks for this cluster")));
        var other = checks.check("other", HASH, "right");
        release.countDown();
        assertEquals(PasswordChecks.Checked.MATCHES, await(other));
        for (var f : flood) {
            var verdict = await(f);
            assertTrue(verdict == PasswordChecks.Checked.WRONG || verdict instanceof PasswordChecks.Refused, verdict.toString());
        }
    }

    @Test
    void aFullQueueRefusesAtOnce() throws Exception {
        var checks = checks(new PasswordLimits(1, 1, 4, 3, Duration.ofSeconds(1), Duration.ofSeconds(1)), true);
        var running = checks.check("a", HASH, "right");
        // The only thread may not have taken the first check off the queue yet: then the second is refused too.
        var queued = checks.check("b", HASH, "right");
        var refused = now(checks.check("c", HASH, "right"));
        assertTrue(assertInstanceOf(PasswordChecks.Refused.class, refused).reason().contains("too many password checks are waiting"));
        release.countDown();
        assertEquals(PasswordChecks.Checked.MATCHES, await(running));
        var second = await(queued);
        assertTrue(second == PasswordChecks.Checked.MATCHES || second instanceof PasswordChecks.Refused);
        assertEquals(PasswordChecks.Checked.MATCHES, await(checks.check("c", HASH, "right")), "room again once checks end");
    }

    @Test
    void repeatedWrongPasswordsMakeTheClusterWaitLongerAndARightOneResets() throws Exception {
        var checks = checks(new PasswordLimits(1, 8, 4, 2, Duration.ofSeconds(10), Duration.ofSeconds(40)), false);
        assertEquals(PasswordChecks.Checked.WRONG, await(checks.check("orders", HASH, "wrong")));
        assertEquals(PasswordChecks.Checked.WRONG, await(checks.check("orders", HASH, "wrong")));
        var waiting = assertInstanceOf(PasswordChecks.Refused.class, now(checks.check("orders", HASH, "right")));
        assertEquals(10, waiting.retryAfterSeconds());
        assertEquals(PasswordChecks.Checked.MATCHES, await(checks.check("other", HASH, "right")), "other clusters are not held up");

        clock.now = clock.now.plusSeconds(10);
        assertEquals(PasswordChecks.Checked.WRONG, await(checks.check("orders", HASH, "wrong")));
        var longer = assertInstanceOf(PasswordChecks.Refused.class, now(checks.check("orders", HASH, "right")));
        assertEquals(20, longer.retryAfterSeconds(), "doubled after another failure");

        clock.now = clock.now.plusSeconds(20);
        assertEquals(PasswordChecks.Checked.MATCHES, await(checks.check("orders", HASH, "right")));
        assertEquals(PasswordChecks.Checked.WRONG, await(checks.check("orders", HASH, "wrong")), "the right password reset the count");
        assertFalse(checks.check("orders", HASH, "right").toCompletableFuture().join() instanceof PasswordChecks.Refused);
        assertEquals(0, checks.clustersTracked(), "nothing kept for clusters without failures");
    }

    @Test
    void theLimitsComeFromTheConfiguration() {
        var limits = PasswordChecks.limits(com.typesafe.config.ConfigFactory.load());
        assertEquals(new PasswordLimits(2, 32, 4, 3, Duration.ofMillis(250), Duration.ofSeconds(15)), limits);
    }
}

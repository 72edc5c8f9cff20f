package io.mysos.actors.password;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import io.mysos.core.password.PasswordAttempts;
import io.mysos.core.password.PasswordHash;
import io.mysos.core.password.PasswordLimits;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;

/**
 * Where cluster passwords are checked: a few threads of their own with a bounded queue, so a flood
 * of requests (PBKDF2 is slow on purpose) neither starves the actors and the HTTP server of CPU
 * nor queues without end. Each cluster holds a bounded share of the queue and, after repeated
 * wrong passwords, waits longer and longer before its next check (the decisions are
 * {@link PasswordAttempts}'); a refused check answers at once and costs no hashing.
 * One per actor system (an Akka extension); limits from {@code mysos.passwords}.
 */
public final class PasswordChecks implements Extension {

    /** The answer to one check. */
    public sealed interface Verdict {}

    public enum Checked implements Verdict { MATCHES, WRONG }

    /** Not checked: too many checks or too many failures; try again after {@code retryAfterSeconds}. */
    public record Refused(String reason, long retryAfterSeconds) implements Verdict {}

    private static final ExtensionId<PasswordChecks> ID = new ExtensionId<>() {
        @Override
        public PasswordChecks createExtension(ActorSystem<?> system) {
            var checks = new PasswordChecks(limits(system.settings().config()), Clock.systemUTC());
            system.getWhenTerminated().thenRun(checks::close);
            return checks;
        }
    };

    private final PasswordLimits limits;
    private final Clock clock;
    private final BiPredicate<PasswordHash, String> checker;
    private final ThreadPoolExecutor pool;
    private final ConcurrentHashMap<String, PasswordAttempts> attempts = new ConcurrentHashMap<>();

    public static PasswordChecks get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    public PasswordChecks(PasswordLimits limits, Clock clock) {
        this(limits, clock, PasswordHash::matches);
    }

    /** With a checker of its own: tests hold checks running as long as they need. */
    PasswordChecks(PasswordLimits limits, Clock clock, BiPredicate<PasswordHash, String> checker) {
        this.limits = limits;
        this.clock = clock;
        this.checker = checker;
        var threadCount = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(limits.threads(), limits.threads(), 1, TimeUnit.MINUTES,
                limits.queue() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(limits.queue()),
                r -> {
                    var thread = new Thread(r, "mysos-password-check-" + threadCount.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /** From the {@code mysos.passwords} section of the configuration (see the actors' reference.conf). */
    public static PasswordLimits limits(com.typesafe.config.Config config) {
        var c = config.getConfig("mysos.passwords");
        return new PasswordLimits(c.getInt("threads"), c.getInt("queue"), c.getInt("per-cluster"), c.getInt("free-failures"),
                c.getDuration("first-delay"), c.getDuration("max-delay"));
    }

    /** Checks {@code password} against the hash of {@code cluster}; never blocks the caller. */
    public CompletionStage<Verdict> check(String cluster, PasswordHash hash, String password) {
        var refusal = new AtomicReference<Optional<PasswordAttempts.Refusal>>(Optional.empty());
        attempts.compute(cluster, (name, current) -> {
            var before = current == null ? PasswordAttempts.NONE : current;
            refusal.set(before.refusal(clock.instant(), limits));
            return refusal.get().isPresent() ? before : before.started();
        });
        if (refusal.get().isPresent()) {
            var r = refusal.get().get();
            return CompletableFuture.completedFuture(new Refused(r.reason(), r.retryAfterSeconds()));
        }
        try {
            return CompletableFuture.supplyAsync(() -> checker.test(hash, password), pool)
                    .handle((matches, failure) -> {
                        var matched = failure == null && matches;
                        update(cluster, a -> a.finished(matched, clock.instant()));
                        return matched ? Checked.MATCHES : Checked.WRONG;
                    });
        } catch (RejectedExecutionException full) {
            update(cluster, PasswordAttempts::abandoned);
            return CompletableFuture.completedFuture(new Refused("too many password checks are waiting; retry shortly", 1));
        }
    }

    /** How many clusters have checks running or failures counted (for tests and metrics). */
    public int clustersTracked() {
        return attempts.size();
    }

    private void update(String cluster, java.util.function.UnaryOperator<PasswordAttempts> change) {
        attempts.compute(cluster, (name, current) -> {
            var next = change.apply(current == null ? PasswordAttempts.NONE : current);
            return next.isIdle() ? null : next;
        });
    }

    public void close() {
        pool.shutdownNow();
    }
}

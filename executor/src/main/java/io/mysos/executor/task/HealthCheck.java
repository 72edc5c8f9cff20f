package io.mysos.executor.task;

import io.mysos.core.cluster.Lag;
import io.mysos.executor.mysql.MySqlControl;
import io.mysos.executor.mysql.MySqlControlException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings a running mysqld (an admin login and {@code SELECT 1}) every interval on its own thread, so
 * a hung server is noticed even while the task runner is busy; after {@code failures} misses in a row
 * it calls {@code onUnresponsive} once, with the reason, and stops. A replica whose replication
 * stopped for good (it would only fall further behind, and could mislead an election) is given up
 * on the same way at once, and so is a server whose data directory was deleted under it (it
 * would keep taking writes that vanish when it stops). A replica's lag behind its master is
 * measured with every check and handed to {@code onLag}, which decides whether it is worth telling.
 */
final class HealthCheck implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthCheck.class);

    private final String name;
    private final MySqlControl control;
    private final Supplier<Optional<String>> localProblem;
    private final Duration interval;
    private final int failures;
    private final Consumer<String> onUnresponsive;
    private final Consumer<Lag> onLag;
    private final ScheduledExecutorService timer;

    // Only touched on the timer's thread.
    private int missed;
    private long firstMissStarted;

    // Guarded by this: once closed, onUnresponsive is never called.
    private boolean closed;

    private HealthCheck(String name, MySqlControl control, Supplier<Optional<String>> localProblem, Duration interval,
            int failures, Consumer<String> onUnresponsive, Consumer<Lag> onLag) {
        this.name = name;
        this.control = control;
        this.localProblem = localProblem;
        this.interval = interval;
        this.failures = failures;
        this.onUnresponsive = onUnresponsive;
        this.onLag = onLag;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var thread = new Thread(runnable, "mysos-health-" + name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts checking at once. Each ping may take up to one interval, so checks start at a steady rate.
     *
     * @param localProblem what is wrong with the server on this machine beyond answering (its data directory gone), if anything
     * @param onLag        told a replica's lag after every check; on the check's thread
     */
    static HealthCheck start(String name, MySqlControl control, Supplier<Optional<String>> localProblem, Duration interval,
            int failures, Consumer<String> onUnresponsive, Consumer<Lag> onLag) {
        var check = new HealthCheck(name, control, localProblem, interval, failures, onUnresponsive, onLag);
        check.timer.scheduleAtFixedRate(check::check, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
        return check;
    }

    private void check() {
        long started = System.nanoTime();
        var problem = localProblem.get();
        if (problem.isPresent()) {
            giveUp(problem.get());
            return;
        }
        try {
            control.checkAlive(interval);
            if (missed > 0) {
                log.info("{}: mysqld answers again after {} missed health checks", name, missed);
            }
            missed = 0;
            var broken = control.replicationBroken();
            if (broken.isPresent()) {
                giveUp("replication broke: " + broken.get());
                return;
            }
            control.replicationLag().ifPresent(onLag);
        } catch (MySqlControlException e) {
            if (missed++ == 0) {
                firstMissStarted = started;
            }
            log.warn("{}: health check {} of {} failed: {}", name, missed, failures, e.getMessage());
            if (missed >= failures) {
                var silence = Duration.ofNanos(System.nanoTime() - firstMissStarted);
                giveUp(String.format(Locale.ROOT, "mysqld stopped answering health checks for %.1f s: %s",
                        silence.toMillis() / 1000.0, e.getMessage()));
            }
        } catch (RuntimeException e) {
            log.error("{}: health check failed unexpectedly", name, e);
        }
    }

    private void giveUp(String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        timer.shutdown();
        onUnresponsive.accept(reason);
    }

    /** Stops checking; after this returns, {@code onUnresponsive} is not called (unless it already was). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        timer.shutdown();
    }
}

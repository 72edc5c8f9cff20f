package io.mysos.executor.task;

import io.mysos.core.cluster.Lag;
import io.mysos.core.task.TaskId;
import io.mysos.executor.mysql.MySqlControl;
import io.mysos.executor.mysql.MySqlServer;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a task's running mysqld from outside the runner's thread: a {@link HealthCheck} pings it,
 * and a server that stops answering is killed at once, even while the runner's thread is stuck on
 * it. It also knows whether the runner was killed or let go, because a hung-mysqld kill must never
 * follow either: both are set under the same lock that kill takes.
 */
final class HealthWatch {
    private static final Logger log = LoggerFactory.getLogger(HealthWatch.class);

    private final TaskId taskId;
    private final MySqlServer server;
    private final MySqlControl control;
    private final TaskRunner.Timeouts timeouts;

    // Set from callers' threads (under this, so a hung-mysqld kill never follows them), read by the runner's.
    private volatile boolean killRequested;
    private volatile boolean detached;
    // Guarded by this.
    private Optional<HealthCheck> health = Optional.empty();
    /** Why the health checks gave up on the current mysqld; set on their thread. */
    private volatile Optional<String> unresponsive = Optional.empty();

    HealthWatch(TaskId taskId, MySqlServer server, MySqlControl control, TaskRunner.Timeouts timeouts) {
        this.taskId = taskId;
        this.server = server;
        this.control = control;
        this.timeouts = timeouts;
    }

    /** The task is being killed: from now on nothing kills mysqld for hanging, and the checks stop. */
    void requestKill() {
        synchronized (this) {
            killRequested = true;
        }
        stop();
    }

    /** The runner lets go of the instance: from now on nothing kills mysqld for hanging, and the checks stop. */
    void detach() {
        synchronized (this) {
            detached = true;
        }
        stop();
    }

    boolean killRequested() {
        return killRequested;
    }

    boolean detached() {
        return detached;
    }

    boolean abandoned() {
        return killRequested || detached;
    }

    /** Why the health checks gave up on the current mysqld, if they did: the reason its exit is reported with. */
    Optional<String> unresponsive() {
        return unresponsive;
    }

    /** A new mysqld runs: the last one's verdict no longer applies. */
    void forgetVerdict() {
        unresponsive = Optional.empty();
    }

    /**
     * Starts pinging the running mysqld (stopping earlier checks), unless the runner was killed or let
     * go. {@code afterKill} hears the reason once a hung server was killed, {@code onLag} a replica's
     * lag after each check; both on the check's thread.
     */
    void start(Consumer<String> afterKill, Consumer<Lag> onLag) {
        stop();
        synchronized (this) {
            if (abandoned()) {
                return;
            }
            health = Optional.of(HealthCheck.start(taskId.toString(), control, server::dataDirProblem,
                    timeouts.healthInterval(), timeouts.healthFailures(), reason -> onUnresponsive(reason, afterKill), onLag));
        }
    }

    void stop() {
        Optional<HealthCheck> running;
        synchronized (this) {
            running = health;
            health = Optional.empty();
        }
        running.ifPresent(HealthCheck::close);
    }

    /**
     * On the health check's thread, so it works while the runner's thread is stuck on the hung
     * server: SIGKILL, so a server that wakes up again cannot take writes next to a new master.
     */
    private void onUnresponsive(String reason, Consumer<String> afterKill) {
        synchronized (this) {
            if (abandoned()) {
                return;
            }
            unresponsive = Optional.of(reason);
        }
        log.warn("{}: {}; killing mysqld (pid {})", taskId, reason, server.pid().map(String::valueOf).orElse("?"));
        try {
            server.kill();
        } catch (RuntimeException e) {
            log.error("{}: could not kill the hung mysqld: {}", taskId, e.getMessage(), e);
        }
        // The exit watch reports it too; this covers a process that does not even die.
        afterKill.accept(reason);
    }
}

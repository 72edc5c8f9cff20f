package io.mysos.executor.task;

import io.mysos.core.InvalidInputException;
import io.mysos.core.cluster.MySqlUserName;
import io.mysos.core.password.Passwords;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.task.TaskId;
import io.mysos.executor.backup.InstanceBackups;
import io.mysos.executor.isolation.Isolation;
import io.mysos.executor.mysql.ClusterAccount;
import io.mysos.executor.mysql.MySqlConfig;
import io.mysos.executor.mysql.MySqlInstallation;
import io.mysos.executor.mysql.MySqlServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one MySQL instance for its task: launches (or recovers) its mysqld, watches it (process exit
 * and health checks), carries out the scheduler's commands (position query, promote, reparent), and
 * stops it. Every call returns at once; the work happens in order on the runner's own thread, which
 * also calls the {@link StatusListener}. The work itself is in {@link MysqldLifecycle} (launch, recover,
 * kill), {@link InstanceCommands} (the scheduler's commands) and {@link HealthWatch} (pings, and the kill
 * of a hung mysqld); {@link StatusReports} decides what the listener hears.
 */
public final class TaskRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

    /**
     * How long mysqld may take to accept logins (crash recovery of a big instance takes a while), how
     * long a clean shutdown may take before SIGKILL, and how often a running mysqld is pinged
     * ({@code healthInterval}, also each ping's time limit) and how many pings in a row it may miss
     * before it counts as hung: it is then reported FAILED and killed.
     */
    public record Timeouts(Duration startup, Duration stopGrace, Duration healthInterval, int healthFailures) {
        public static final Duration HEALTH_INTERVAL = Duration.ofSeconds(1);
        public static final int HEALTH_FAILURES = 3;
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofMinutes(5), Duration.ofSeconds(60));

        public Timeouts {
            if (healthInterval.isNegative() || healthInterval.isZero() || healthFailures < 1) {
                throw new IllegalArgumentException("health checks need a positive interval and at least one failure, not "
                        + healthInterval + " and " + healthFailures);
            }
        }

        /** With the default health checks: a ping every second, FAILED after three missed in a row. */
        public Timeouts(Duration startup, Duration stopGrace) {
            this(startup, stopGrace, HEALTH_INTERVAL, HEALTH_FAILURES);
        }

        public Timeouts withHealthChecks(Duration interval, int failures) {
            return new Timeouts(startup, stopGrace, interval, failures);
        }
    }

    private final TaskId taskId;
    private final MySqlServer server;
    private final Timeouts timeouts;
    private final Isolation isolation;
    private final ThreadPoolExecutor steps;
    /** The epoch of a position query waiting in the queue: one waiting query answers the scheduler's repeats too. */
    private final AtomicLong queuedQuery = new AtomicLong(Long.MIN_VALUE);
    // Which thread owns what: each part says it. The watch's flags are set from callers' threads and its
    // checks run on their own; the reports, the commands and the lifecycle only run on the runner's thread.
    private final HealthWatch watch;
    private final StatusReports reports;
    private final InstanceCommands commands;
    private final MysqldLifecycle lifecycle;
    /** Backups run beside the runner's thread: a long backup must not hold up an election's position query. */
    private final InstanceBackupRunner backupRunner;
    /** The binary log archive while the instance is the master. */
    private final InstanceArchive archive;

    public TaskRunner(TaskData data, Path sandbox, MySqlInstallation mysql, SchedulerKey key, StatusListener listener) {
        this(data, sandbox, mysql, key, listener, Timeouts.DEFAULT);
    }

    /**
     * @throws InvalidInputException when the task data is unusable (bad server id, user, host or port)
     * @throws SchedulerKey.WrongKeyException when the passwords were sealed with another key
     */
    public TaskRunner(TaskData data, Path sandbox, MySqlInstallation mysql, SchedulerKey key, StatusListener listener,
            Timeouts timeouts) {
        this(data, sandbox, mysql, key, listener, timeouts, Isolation.NONE);
    }

    /**
     * @param isolation keeps mysqld within the task's size (local mode); under Mesos the agent does, so none
     * @throws InvalidInputException when the task data is unusable (bad server id, user, host or port)
     * @throws SchedulerKey.WrongKeyException when the passwords were sealed with another key
     */
    public TaskRunner(TaskData data, Path sandbox, MySqlInstallation mysql, SchedulerKey key, StatusListener listener,
            Timeouts timeouts, Isolation isolation) {
        this(data, sandbox, mysql, key, listener, timeouts, isolation, Optional.empty());
    }

    /**
     * @param backups the backup store: where a task with a backup id restores from, and where TakeBackup writes
     * @throws InvalidInputException when the task data is unusable (bad server id, user, host or port)
     * @throws SchedulerKey.WrongKeyException when the passwords were sealed with another key
     */
    public TaskRunner(TaskData data, Path sandbox, MySqlInstallation mysql, SchedulerKey key, StatusListener listener,
            Timeouts timeouts, Isolation isolation, Optional<InstanceBackups> backups) {
        this.taskId = data.taskId();
        if (taskId.serverId() != data.serverId()) {
            throw new InvalidInputException("task " + taskId + " carries server id " + data.serverId()
                    + " but its id says " + taskId.serverId());
        }
        MySqlUserName.validate(data.user());
        var userPassword = Passwords.validate(key.open(data.userPassword()));
        var adminPassword = key.open(data.adminPassword());
        this.server = new MySqlServer(mysql, sandbox,
                new MySqlConfig(data.host(), data.port(), data.serverId(), data.resources().mem()), adminPassword,
                Optional.of(new ClusterAccount(data.user(), userPassword)));
        var control = server.adminControl();
        this.timeouts = timeouts;
        this.isolation = isolation;
        this.steps = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            var thread = new Thread(runnable, "mysos-task-" + taskId);
            thread.setDaemon(true);
            return thread;
        });
        this.steps.allowCoreThreadTimeOut(true);
        this.watch = new HealthWatch(taskId, server, control, timeouts);
        this.reports = new StatusReports(taskId, listener, watch);
        this.backupRunner = new InstanceBackupRunner(data, server, mysql, adminPassword, backups, this::submit, reports);
        this.archive = new InstanceArchive(data, backups, server::adminControl,
                report -> submit("report " + report.getClass().getSimpleName(), () -> reports.report(report)));
        this.commands = new InstanceCommands(data, control, userPassword, adminPassword, reports, archive);
        this.lifecycle = new MysqldLifecycle(data, mysql, server, timeouts, watch, reports, commands, isolation,
                this::submit, steps::shutdown, backups, () -> backupRunner.source(false));
    }

    public TaskId taskId() {
        return taskId;
    }

    /** The pid of the mysqld this runner started or adopted. */
    public Optional<Long> pid() {
        return server.pid();
    }

    /** Creates the data directory if needed, starts mysqld and reports STARTING, then RUNNING (or FAILED). */
    public void launch() {
        submit("launch", lifecycle::launch);
    }

    /**
     * After the scheduler restarted: adopts this sandbox's mysqld if it still runs (RUNNING),
     * restarts it on its data directory if not (STARTING, RUNNING), or reports the task LOST.
     */
    public void recover() {
        submit("recover", lifecycle::recover);
    }

    /**
     * Carries out a scheduler command; commands from an epoch older than the newest seen are ignored.
     * A command from a newer epoch first turns the instance read-only, whatever it asks for.
     */
    public void handle(ExecutorCommand command) {
        if (command instanceof ExecutorCommand.TakeBackup backup) {
            backupRunner.take(backup);
            return;
        }
        if (command instanceof ExecutorCommand.DeleteBackup deletion) {
            backupRunner.delete(deletion);
            return;
        }
        if (command instanceof ExecutorCommand.CancelBackup cancel) {
            backupRunner.cancel(cancel);
            return;
        }
        if (command instanceof ExecutorCommand.QueryPosition query) {
            if (queuedQuery.getAndAccumulate(query.epoch(), Math::max) >= query.epoch()) {
                log.debug("{}: {} already waits in the queue and answers this one too", taskId, command);
                return;
            }
            submit("handle " + command, () -> {
                queuedQuery.compareAndSet(query.epoch(), Long.MIN_VALUE);
                doHandle(command);
            });
            return;
        }
        submit("handle " + command, () -> doHandle(command));
    }

    /** Stops mysqld (cleanly, then by force) and reports KILLED. Calling it again changes nothing. */
    public void kill() {
        archive.close();
        watch.requestKill();
        submit("kill", lifecycle::kill);
    }

    /**
     * Stops mysqld cleanly because Mysos itself stops, reporting nothing: its data stays, and a
     * later {@link #recover} restarts it. The returned future completes once mysqld is gone.
     */
    public CompletableFuture<Void> shutdown() {
        archive.close();
        backupRunner.close();
        watch.detach();
        Runnable stop = () -> {
            server.stop(timeouts.stopGrace());
            isolation.release(taskId);
        };
        CompletableFuture<Void> done;
        try {
            done = CompletableFuture.runAsync(stop, steps);
        } catch (RejectedExecutionException alreadyDetached) {
            done = CompletableFuture.runAsync(stop);
        }
        steps.shutdown();
        return done;
    }

    /**
     * For a task that will not come back (failed, killed, its cluster deleted): stops mysqld at
     * once, deletes the sandbox with its data, and reports nothing more. Safe on a runner that was
     * killed, detached or never started. The future completes once the sandbox is gone.
     */
    public CompletableFuture<Void> discard() {
        archive.close();
        backupRunner.close();
        watch.detach();
        Runnable remove = () -> {
            try {
                server.discard();
                isolation.release(taskId);
                log.info("{}: discarded its mysqld and sandbox {}", taskId, server.layout().sandbox());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("could not delete the sandbox of " + taskId + ": " + e.getMessage(), e);
            }
        };
        CompletableFuture<Void> done;
        try {
            done = CompletableFuture.runAsync(remove, steps);
        } catch (RejectedExecutionException alreadyStopped) {
            done = CompletableFuture.runAsync(remove);
        }
        steps.shutdown();
        return done;
    }

    /** Lets go of the instance without touching mysqld: no more reports, the runner's thread ends. */
    public void detach() {
        archive.close();
        backupRunner.close();
        watch.detach();
        steps.shutdown();
    }

    /** Same as {@link #detach}: closing a runner never stops its mysqld. */
    @Override
    public void close() {
        detach();
    }

    /** On the runner's thread: a task that is terminal or being killed takes no more commands. */
    private void doHandle(ExecutorCommand command) {
        if (reports.isTerminal() || watch.killRequested()) {
            log.info("{}: ignoring {} for a task that is {}", taskId, command,
                    reports.lastState().map(Enum::name).orElse("killed"));
            return;
        }
        commands.handle(command);
    }

    private void submit(String step, Runnable work) {
        try {
            steps.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.error("{}: {} failed unexpectedly", taskId, step, e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("{}: ignoring {}: the runner has stopped", taskId, step);
        }
    }

    static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }

    @Override
    public String toString() {
        return "TaskRunner(" + taskId + ")";
    }
}

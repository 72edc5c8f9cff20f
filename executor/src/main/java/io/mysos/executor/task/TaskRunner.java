package io.mysos.executor.task;

import io.mysos.core.InvalidInputException;
import io.mysos.core.cluster.MySqlUserName;
import io.mysos.core.password.Passwords;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import io.mysos.executor.mysql.Endpoints;
import io.mysos.executor.mysql.MySqlConfig;
import io.mysos.executor.mysql.MySqlControl;
import io.mysos.executor.mysql.MySqlInstallation;
import io.mysos.executor.mysql.MySqlServer;
import io.mysos.executor.mysql.MysqldExit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one MySQL instance for its task: launches (or recovers) its mysqld, watches it, carries out
 * the scheduler's promote and reparent commands, and stops it. Every call returns at once; the
 * work happens in order on the runner's own thread, which also calls the {@link StatusListener}.
 */
public final class TaskRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

    /**
     * How long mysqld may take to accept logins (crash recovery of a big instance takes a while),
     * and how long a clean shutdown may take before SIGKILL.
     */
    public record Timeouts(Duration startup, Duration stopGrace) {
        public static final Timeouts DEFAULT = new Timeouts(Duration.ofMinutes(5), Duration.ofSeconds(60));
    }

    /** The role the last successful command gave the instance. */
    private record Role(long epoch, String command) {}

    private final TaskData data;
    private final TaskId taskId;
    private final MySqlInstallation mysql;
    private final MySqlServer server;
    private final MySqlControl control;
    private final StatusListener listener;
    private final String userPassword;
    private final String adminPassword;
    private final Timeouts timeouts;
    private final ThreadPoolExecutor steps;

    // Set from callers' threads, read by the runner's.
    private volatile boolean killRequested;
    private volatile boolean detached;

    // Only touched on the runner's thread.
    private boolean begun;
    private boolean stopping;
    private Optional<TaskState> lastState = Optional.empty();
    private long generation;
    private long newestEpoch = Long.MIN_VALUE;
    private Optional<Role> role = Optional.empty();

    public TaskRunner(TaskData data, Path sandbox, MySqlInstallation mysql, SchedulerKey key, StatusListener listener) {
        this(data, sandbox, mysql, key, listener, Timeouts.DEFAULT);
    }

    /**
     * @throws InvalidInputException when the task data is unusable (bad server id, user, host or port)
     * @throws SchedulerKey.WrongKeyException when the passwords were sealed with another key
     */
    public TaskRunner(TaskData data, Path sandbox, MySqlInstallation mysql, SchedulerKey key, StatusListener listener,
            Timeouts timeouts) {
        this.data = data;
        this.taskId = data.taskId();
        if (taskId.serverId() != data.serverId()) {
            throw new InvalidInputException("task " + taskId + " carries server id " + data.serverId()
                    + " but its id says " + taskId.serverId());
        }
        MySqlUserName.validate(data.user());
        this.userPassword = Passwords.validate(key.open(data.userPassword()));
        this.adminPassword = key.open(data.adminPassword());
        this.mysql = mysql;
        this.server = new MySqlServer(mysql, sandbox,
                new MySqlConfig(data.host(), data.port(), data.serverId(), data.resources().mem()), adminPassword);
        this.control = server.adminControl();
        this.listener = listener;
        this.timeouts = timeouts;
        this.steps = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            var thread = new Thread(runnable, "mysos-task-" + taskId);
            thread.setDaemon(true);
            return thread;
        });
        this.steps.allowCoreThreadTimeOut(true);
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
        submit("launch", this::doLaunch);
    }

    /**
     * After the scheduler restarted: adopts this sandbox's mysqld if it still runs (RUNNING),
     * restarts it on its data directory if not (STARTING, RUNNING), or reports the task LOST.
     */
    public void recover() {
        submit("recover", this::doRecover);
    }

    /** Carries out a scheduler command; commands from an epoch older than the newest seen are ignored. */
    public void handle(ExecutorCommand command) {
        submit("handle " + command, () -> doHandle(command));
    }

    /** Stops mysqld (cleanly, then by force) and reports KILLED. Calling it again changes nothing. */
    public void kill() {
        killRequested = true;
        submit("kill", this::doKill);
    }

    /**
     * Stops mysqld cleanly because Mysos itself stops, reporting nothing: its data stays, and a
     * later {@link #recover} restarts it. The returned future completes once mysqld is gone.
     */
    public CompletableFuture<Void> shutdown() {
        detached = true;
        Runnable stop = () -> server.stop(timeouts.stopGrace());
        CompletableFuture<Void> done;
        try {
            done = CompletableFuture.runAsync(stop, steps);
        } catch (RejectedExecutionException alreadyDetached) {
            done = CompletableFuture.runAsync(stop);
        }
        steps.shutdown();
        return done;
    }

    /** Lets go of the instance without touching mysqld: no more reports, the runner's thread ends. */
    public void detach() {
        detached = true;
        steps.shutdown();
    }

    /** Same as {@link #detach}: closing a runner never stops its mysqld. */
    @Override
    public void close() {
        detach();
    }

    private void doLaunch() {
        if (!begin("launch")) {
            return;
        }
        if (server.adopt()) {
            awaitAdopted();
            return;
        }
        long began = System.nanoTime();
        report(TaskState.STARTING, "starting " + mysql + " on " + address());
        try {
            boolean created = server.initializeIfNeeded();
            var how = created ? "created its data directory in " + millisSince(began) + " ms, then started"
                    : "started on its data directory";
            startAndAwait(began, how);
        } catch (RuntimeException e) {
            failAndClean(e);
        }
    }

    private void doRecover() {
        if (!begin("recover")) {
            return;
        }
        if (server.adopt()) {
            awaitAdopted();
        } else if (server.hasDataDir()) {
            long began = System.nanoTime();
            report(TaskState.STARTING, "mysqld was not running; restarting it on " + server.layout().dataDir());
            try {
                startAndAwait(began, "restarted on its data directory");
            } catch (RuntimeException e) {
                failAndClean(e);
            }
        } else {
            report(TaskState.LOST, "data directory " + server.layout().dataDir() + " is gone; the instance cannot be recovered");
        }
    }

    private void startAndAwait(long began, String what) {
        if (abandoned()) {
            return;
        }
        server.start();
        if (server.awaitReady(timeouts.startup(), this::abandoned)) {
            becomeRunning(what + " (ready " + millisSince(began) + " ms after it began)");
        }
    }

    private void awaitAdopted() {
        try {
            if (server.awaitReady(timeouts.startup(), this::abandoned)) {
                becomeRunning("adopted the running mysqld");
            }
        } catch (RuntimeException e) {
            failAndClean(e);
        }
    }

    private void becomeRunning(String how) {
        long watched = ++generation;
        server.onExit().thenAccept(exit -> submit("watch", () -> onMysqldExit(watched, exit)));
        report(TaskState.RUNNING, "mysqld (pid " + server.pid().map(String::valueOf).orElse("?") + ") accepts connections on "
                + address() + ": " + how);
    }

    private void onMysqldExit(long watched, MysqldExit exit) {
        if (watched != generation || stopping || killRequested) {
            return;
        }
        log.warn("{}: {}", taskId, exit.describe());
        report(TaskState.FAILED, exit.describe());
    }

    private void failAndClean(RuntimeException e) {
        log.warn("{} failed: {}", taskId, e.getMessage(), e);
        if (!detached) {
            // Nothing may be left behind by a launch that did not work.
            try {
                server.kill();
            } catch (RuntimeException cleanup) {
                log.warn("{}: could not kill mysqld after a failed start: {}", taskId, cleanup.getMessage());
            }
        }
        report(TaskState.FAILED, e.getMessage());
    }

    private void doHandle(ExecutorCommand command) {
        if (isTerminal() || killRequested) {
            log.info("{}: ignoring {} for a task that is {}", taskId, command, lastState.map(Enum::name).orElse("killed"));
            return;
        }
        if (command.epoch() < newestEpoch) {
            log.info("{}: ignoring {}: epoch {} is older than epoch {}", taskId, command, command.epoch(), newestEpoch);
            return;
        }
        newestEpoch = command.epoch();
        var name = command instanceof ExecutorCommand.Promote ? "promote" : "reparent";
        if (lastState.orElse(TaskState.STAGING) != TaskState.RUNNING) {
            report(new ExecutorReport.CommandFailed(taskId, command.epoch(), name, "mysqld is not running yet"));
            return;
        }
        var conflict = role.filter(r -> r.epoch() == command.epoch() && !r.command().equals(name));
        if (conflict.isPresent()) {
            report(new ExecutorReport.CommandFailed(taskId, command.epoch(), name, "this instance already carried out a "
                    + conflict.get().command() + " in epoch " + command.epoch() + "; one epoch has one master"));
            return;
        }
        try {
            var done = command instanceof ExecutorCommand.Reparent reparent ? reparent(reparent)
                    : promote((ExecutorCommand.Promote) command);
            role = Optional.of(new Role(command.epoch(), name));
            report(done);
        } catch (RuntimeException e) {
            log.warn("{}: {} failed: {}", taskId, command, e.getMessage());
            report(new ExecutorReport.CommandFailed(taskId, command.epoch(), name, e.getMessage()));
        }
    }

    private ExecutorReport promote(ExecutorCommand.Promote command) {
        control.stopReplication();
        control.ensureClusterUser(data.user(), userPassword);
        control.setReadOnly(false);
        log.info("{} is the master of epoch {}", taskId, command.epoch());
        return new ExecutorReport.Promoted(taskId, command.epoch());
    }

    private ExecutorReport reparent(ExecutorCommand.Reparent command) {
        var host = Endpoints.validHost(command.masterHost());
        int port = Endpoints.validPort(command.masterPort());
        if (host.equalsIgnoreCase(data.host()) && port == data.port()) {
            throw new InvalidInputException("an instance cannot replicate from itself (" + address() + ")");
        }
        // Fence first: whatever happens next, this instance takes no more writes.
        control.setReadOnly(true);
        // Every instance of a cluster has the same admin password (it comes with each task), so the
        // replica logs into its master with its own copy.
        var source = control.replicationSource();
        if (source.filter(s -> s.isFrom(host, port) && s.isRunning()).isEmpty()) {
            control.replicateFrom(host, port, TaskData.ADMIN_USER, adminPassword);
        }
        log.info("{} replicates from {} since epoch {}", taskId, Endpoints.address(host, port), command.epoch());
        return new ExecutorReport.Reparented(taskId, command.epoch(), host, port);
    }

    private void doKill() {
        stopping = true;
        try {
            server.stop(timeouts.stopGrace());
            report(TaskState.KILLED, "mysqld stopped");
        } catch (RuntimeException e) {
            log.error("{}: could not stop mysqld: {}", taskId, e.getMessage(), e);
            report(TaskState.FAILED, "could not stop mysqld: " + e.getMessage());
        } finally {
            steps.shutdown();
        }
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }

    private boolean begin(String step) {
        if (begun || killRequested) {
            log.info("{}: ignoring {}: the task was already {}", taskId, step, killRequested ? "killed" : "started");
            return false;
        }
        begun = true;
        return true;
    }

    private boolean abandoned() {
        return killRequested || detached;
    }

    private boolean isTerminal() {
        return lastState.map(TaskState::isTerminal).orElse(false);
    }

    /** Sends a status unless the task is already terminal, the runner let go, or it repeats RUNNING. */
    private void report(TaskState state, String message) {
        if (detached || isTerminal() || (state == TaskState.RUNNING && lastState.equals(Optional.of(TaskState.RUNNING)))) {
            return;
        }
        lastState = Optional.of(state);
        log.info("{} is {}: {}", taskId, state, message);
        try {
            listener.onStatus(new TaskStatus(taskId, state, message));
        } catch (RuntimeException e) {
            log.error("{}: the status listener failed on {}", taskId, state, e);
        }
    }

    private void report(ExecutorReport report) {
        if (detached || isTerminal()) {
            return;
        }
        try {
            listener.onReport(report);
        } catch (RuntimeException e) {
            log.error("{}: the status listener failed on {}", taskId, report, e);
        }
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

    private String address() {
        return Endpoints.address(data.host(), data.port());
    }

    @Override
    public String toString() {
        return "TaskRunner(" + taskId + ")";
    }
}

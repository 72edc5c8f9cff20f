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
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one MySQL instance for its task: launches (or recovers) its mysqld, watches it (process exit
 * and health checks), carries out the scheduler's commands (position query, promote, reparent), and
 * stops it. Every call returns at once; the work happens in order on the runner's own thread, which
 * also calls the {@link StatusListener}.
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
    /** The epoch of a position query waiting in the queue: one waiting query answers the scheduler's repeats too. */
    private final AtomicLong queuedQuery = new AtomicLong(Long.MIN_VALUE);

    // Set from callers' threads (under this, so a hung-mysqld kill never follows them), read by the runner's.
    private volatile boolean killRequested;
    private volatile boolean detached;
    // Guarded by this.
    private Optional<HealthCheck> health = Optional.empty();
    /** Why the health checks gave up on the current mysqld; set on their thread. */
    private volatile Optional<String> unresponsive = Optional.empty();

    // Only touched on the runner's thread.
    private boolean begun;
    private boolean stopping;
    private Optional<TaskState> lastState = Optional.empty();
    private long generation;
    private long newestEpoch = Long.MIN_VALUE;
    /** The newest epoch for which this instance turned read-only. */
    private long fencedEpoch = Long.MIN_VALUE;
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

    /**
     * Carries out a scheduler command; commands from an epoch older than the newest seen are ignored.
     * A command from a newer epoch first turns the instance read-only, whatever it asks for.
     */
    public void handle(ExecutorCommand command) {
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
        synchronized (this) {
            killRequested = true;
        }
        stopHealthChecks();
        submit("kill", this::doKill);
    }

    /**
     * Stops mysqld cleanly because Mysos itself stops, reporting nothing: its data stays, and a
     * later {@link #recover} restarts it. The returned future completes once mysqld is gone.
     */
    public CompletableFuture<Void> shutdown() {
        synchronized (this) {
            detached = true;
        }
        stopHealthChecks();
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
        synchronized (this) {
            detached = true;
        }
        stopHealthChecks();
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
        unresponsive = Optional.empty();
        server.onExit().thenAccept(exit -> submit("watch", () -> onMysqldExit(watched, exit)));
        report(TaskState.RUNNING, "mysqld (pid " + server.pid().map(String::valueOf).orElse("?") + ") accepts connections on "
                + address() + ": " + how);
        startHealthChecks(watched);
    }

    private void onMysqldExit(long watched, MysqldExit exit) {
        if (watched != generation || stopping || killRequested) {
            return;
        }
        // Killed for hanging: the hang is the reason, the SIGKILL only its consequence.
        var reason = unresponsive.orElseGet(exit::describe);
        log.warn("{}: {}", taskId, reason);
        report(TaskState.FAILED, reason);
    }

    private void startHealthChecks(long watched) {
        stopHealthChecks();
        synchronized (this) {
            if (abandoned()) {
                return;
            }
            health = Optional.of(HealthCheck.start(taskId.toString(), control, timeouts.healthInterval(),
                    timeouts.healthFailures(), reason -> onUnresponsive(watched, reason)));
        }
    }

    private void stopHealthChecks() {
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
    private void onUnresponsive(long watched, String reason) {
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
        submit("health", () -> onMysqldHung(watched, reason));
    }

    private void onMysqldHung(long watched, String reason) {
        if (watched != generation || stopping || killRequested) {
            return;
        }
        report(TaskState.FAILED, reason);
    }

    private void failAndClean(RuntimeException e) {
        log.warn("{} failed: {}", taskId, e.getMessage(), e);
        stopHealthChecks();
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
        var name = nameOf(command);
        if (lastState.orElse(TaskState.STAGING) != TaskState.RUNNING) {
            report(new ExecutorReport.CommandFailed(taskId, command.epoch(), name, "mysqld is not running yet"));
            return;
        }
        if (command.epoch() > fencedEpoch && !fence(command, name)) {
            return;
        }
        if (command instanceof ExecutorCommand.QueryPosition query) {
            queryPosition(query);
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

    /**
     * Whoever speaks of a newer epoch has seen (or started) an election: whatever this instance was,
     * it takes no more writes until a promotion in that epoch says otherwise.
     */
    private boolean fence(ExecutorCommand command, String name) {
        try {
            control.setReadOnly(true);
            fencedEpoch = command.epoch();
            log.info("{} is read-only: it heard of epoch {}", taskId, command.epoch());
            return true;
        } catch (RuntimeException e) {
            log.warn("{}: could not turn read-only for epoch {}: {}", taskId, command.epoch(), e.getMessage());
            report(new ExecutorReport.CommandFailed(taskId, command.epoch(), name,
                    "could not turn read-only on hearing of epoch " + command.epoch() + ": " + e.getMessage()));
            return false;
        }
    }

    /** Already read-only (fenced): lets replication apply what it received, within this epoch's budget, then reports. */
    private void queryPosition(ExecutorCommand.QueryPosition query) {
        long began = System.nanoTime();
        try {
            // What was received counts, applied or not: the winner applies it before it takes writes,
            // so a replica busy applying a backlog neither looks behind nor holds the election up.
            var position = control.reachablePosition();
            log.info("{} is at {} for the election of epoch {} (answered in {} ms)", taskId, position, query.epoch(),
                    millisSince(began));
            report(new ExecutorReport.PositionReported(taskId, query.epoch(), position, control.position()));
        } catch (RuntimeException e) {
            log.warn("{}: {} failed: {}", taskId, query, e.getMessage());
            report(new ExecutorReport.CommandFailed(taskId, query.epoch(), nameOf(query), e.getMessage()));
        }
    }

    /**
     * Makes the instance the writable master: replication applied, stopped and forgotten, the
     * cluster user in place, semi-sync's master side on if asked, and writes on last. An instance
     * that already is a writable master without a source was promoted before (writes only go on
     * after every step), so only the semi-sync settings, which a restart loses, are renewed.
     */
    private ExecutorReport promote(ExecutorCommand.Promote command) {
        if (!control.isReadOnly() && control.replicationSource().isEmpty()) {
            control.setDurable(true);
            if (data.semiSync()) {
                control.setSemiSyncMaster(true);
            }
            log.info("{} already is the writable master (epoch {})", taskId, command.epoch());
            return new ExecutorReport.Promoted(taskId, command.epoch());
        }
        control.stopReplication();
        control.ensureClusterUser(data.user(), userPassword);
        if (data.semiSync()) {
            control.setSemiSyncMaster(true);
        }
        control.setDurable(true);
        control.setReadOnly(false);
        log.info("{} is the master of epoch {}{}", taskId, command.epoch(), data.semiSync() ? " (semi-sync)" : "");
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
        control.setDurable(false);
        // Every instance of a cluster has the same admin password (it comes with each task), so the
        // replica logs into its master with its own copy.
        var change = control.replicateFrom(host, port, TaskData.ADMIN_USER, adminPassword, data.semiSync());
        log.info("{} replicates from {} since epoch {}{} ({})", taskId, Endpoints.address(host, port), command.epoch(),
                data.semiSync() ? " (semi-sync)" : "", switch (change) {
                    case NONE -> "it already did";
                    case RESTARTED_IO_THREAD -> "restarted its IO thread for semi-sync";
                    case NEW_SOURCE -> "replication (re)started";
                });
        return new ExecutorReport.Reparented(taskId, command.epoch(), host, port);
    }

    private static String nameOf(ExecutorCommand command) {
        if (command instanceof ExecutorCommand.Promote) {
            return "promote";
        }
        return command instanceof ExecutorCommand.Reparent ? "reparent" : "query-position";
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
        if (state.isTerminal()) {
            stopHealthChecks();
        }
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

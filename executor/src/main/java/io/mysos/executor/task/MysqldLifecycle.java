package io.mysos.executor.task;

import io.mysos.core.cluster.Lag;
import io.mysos.core.isolation.CgroupLimits;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import io.mysos.executor.backup.InstanceBackups;
import io.mysos.executor.isolation.Isolation;
import io.mysos.executor.mysql.Endpoints;
import io.mysos.executor.mysql.MySqlInstallation;
import io.mysos.executor.mysql.MySqlServer;
import io.mysos.executor.mysql.MysqldExit;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a task's mysqld, on the runner's thread: launches it (or adopts or restarts it after
 * a scheduler restart), reports it RUNNING once it accepts logins and has it watched, reports an
 * end nobody asked for, and stops it when the task is killed. Every mysqld it starts or adopts is
 * confined to the task's size by the {@link Isolation}, which lets go once mysqld is stopped.
 */
final class MysqldLifecycle {
    private static final Logger log = LoggerFactory.getLogger(MysqldLifecycle.class);

    private final TaskData data;
    private final TaskId taskId;
    private final MySqlInstallation mysql;
    private final MySqlServer server;
    private final TaskRunner.Timeouts timeouts;
    private final HealthWatch watch;
    private final StatusReports reports;
    private final InstanceCommands commands;
    private final Isolation isolation;
    /** Queues a step on the runner's thread. */
    private final BiConsumer<String, Runnable> submit;
    /** Ends the runner's thread once the queued steps are done. */
    private final Runnable endRunner;
    /** Where a task with a backup id restores its data from. */
    private final Optional<InstanceBackups> backups;
    /** This instance as the backup tools reach it (to load a logical backup). */
    private final java.util.function.Supplier<io.mysos.executor.backup.BackupSource> asSource;

    // Only touched on the runner's thread.
    private boolean begun;
    private boolean stopping;
    private long generation;
    /** Whether the data directory was there before this task: its history must be kept under the new server_id. */
    private boolean keepHistory;
    /** The GTID position of a data directory just restored, until the started mysqld has taken it. */
    private Optional<String> restoredAt = Optional.empty();
    /** A verified logical backup to load once mysqld runs. */
    private Optional<java.nio.file.Path> dumpToLoad = Optional.empty();
    /** Archived binary logs that roll the restored backup forward to the task's restore_to, replayed once mysqld runs. */
    private Optional<io.mysos.executor.backup.PointInTimeRestore.Prepared> toReplay = Optional.empty();

    MysqldLifecycle(TaskData data, MySqlInstallation mysql, MySqlServer server, TaskRunner.Timeouts timeouts,
            HealthWatch watch, StatusReports reports, InstanceCommands commands, Isolation isolation,
            BiConsumer<String, Runnable> submit, Runnable endRunner) {
        this(data, mysql, server, timeouts, watch, reports, commands, isolation, submit, endRunner, Optional.empty(), () -> null);
    }

    MysqldLifecycle(TaskData data, MySqlInstallation mysql, MySqlServer server, TaskRunner.Timeouts timeouts,
            HealthWatch watch, StatusReports reports, InstanceCommands commands, Isolation isolation,
            BiConsumer<String, Runnable> submit, Runnable endRunner, Optional<InstanceBackups> backups,
            java.util.function.Supplier<io.mysos.executor.backup.BackupSource> asSource) {
        this.backups = backups;
        this.asSource = asSource;
        this.data = data;
        this.taskId = data.taskId();
        this.mysql = mysql;
        this.server = server;
        this.timeouts = timeouts;
        this.watch = watch;
        this.reports = reports;
        this.commands = commands;
        this.isolation = isolation;
        this.submit = submit;
        this.endRunner = endRunner;
    }

    void launch() {
        if (!begin("launch")) {
            return;
        }
        if (server.adopt()) {
            confine();
            awaitAdopted();
            return;
        }
        long began = System.nanoTime();
        reports.status(TaskState.STARTING, "starting " + mysql + " on " + address());
        try {
            boolean restoring = data.backupId().isPresent() && !server.hasDataDir();
            boolean created = restoring && !logicalRestore() ? server.restoreIfNeeded(this::restore) : server.initializeIfNeeded();
            var how = !created ? "started on its data directory"
                    : (restoring ? "restored backup " + data.backupId().get() : "created its data directory")
                    + " in " + TaskRunner.millisSince(began) + " ms, then started";
            // A data directory an earlier task left (a relaunch on its volume) now runs under this task's server_id.
            keepHistory = !created;
            startAndAwait(began, how);
        } catch (RuntimeException e) {
            failAndClean(e);
        }
    }

    void recover() {
        if (!begin("recover")) {
            return;
        }
        if (server.adopt()) {
            confine();
            awaitAdopted();
        } else if (server.hasDataDir()) {
            long began = System.nanoTime();
            reports.status(TaskState.STARTING, "mysqld was not running; restarting it on " + server.layout().dataDir());
            try {
                startAndAwait(began, "restarted on its data directory");
            } catch (RuntimeException e) {
                failAndClean(e);
            }
        } else {
            reports.status(TaskState.LOST, "data directory " + server.layout().dataDir() + " is gone; the instance cannot be recovered");
        }
    }

    void kill() {
        stopping = true;
        try {
            String how;
            if (reports.isRunning()) {
                server.stop(timeouts.stopGrace());
                how = "mysqld stopped";
            } else {
                // A starting mysqld ignores SIGTERM until it is up, and holds nothing yet that a clean
                // shutdown would save (InnoDB recovers from SIGKILL as from a crash).
                server.kill();
                how = "mysqld was still starting; killed it";
            }
            // Gone before it is reported: whoever hears KILLED finds nothing of the instance left running.
            isolation.release(taskId);
            reports.status(TaskState.KILLED, how);
        } catch (RuntimeException e) {
            log.error("{}: could not stop mysqld: {}", taskId, e.getMessage(), e);
            reports.status(TaskState.FAILED, "could not stop mysqld: " + e.getMessage());
        } finally {
            endRunner.run();
        }
    }

    private void startAndAwait(long began, String what) {
        if (watch.abandoned()) {
            return;
        }
        server.start();
        // Right after the spawn: mysqld has allocated next to nothing yet, and everything from here on counts.
        confine();
        if (server.awaitReady(timeouts.startup(), watch::abandoned)) {
            dumpToLoad.ifPresent(this::loadDump);
            restoredAt.filter(gtids -> !gtids.isBlank()).ifPresent(gtids -> server.adminControl().startHistoryAt(gtids));
            restoredAt = Optional.empty();
            if (keepHistory) {
                server.adminControl().keepHistoryUnderNewServerId().ifPresent(history ->
                        log.info("{}: its data directory's GTID history {} is kept under server_id {}", taskId, history,
                                data.serverId()));
            }
            toReplay.ifPresent(this::replay);
            becomeRunning(what + " (ready " + TaskRunner.millisSince(began) + " ms after it began)");
        }
    }

    /** Fills the new data directory from the task's backup: checksums verified before mysqld may start on it. */
    private void restore(java.nio.file.Path dataDir) {
        var from = backups.orElseThrow(() -> new io.mysos.executor.backup.BackupFailedException("task " + taskId
                + " restores backup " + data.backupId().get() + " but this executor has no backup store (--backup-root)"));
        log.info("{}: restoring backup {} from {}", taskId, data.backupId().get(), from.store().root());
        restoredAt = Optional.of(from.restore(data.backupId().get(), dataDir));
        prepareReplay(from);
    }

    /** With a restore_to: the archived binary logs it needs, fetched and verified now, before mysqld may start. */
    private void prepareReplay(InstanceBackups from) {
        if (data.restoreTo().isPresent()) {
            log.info("{}: fetching the archived binary logs that roll backup {} forward to {}", taskId, data.backupId().get(),
                    data.restoreTo().get());
            toReplay = Optional.of(from.prepareReplay(data.backupId().get(), data.restoreTo().get(), replayDir()));
        }
    }

    /** Before the instance takes writes (it is read-only until promoted, and not yet RUNNING). */
    private void replay(io.mysos.executor.backup.PointInTimeRestore.Prepared prepared) {
        long began = System.nanoTime();
        backups.orElseThrow().replay(asSource.get(), prepared);
        toReplay = Optional.empty();
        log.info("{}: rolled forward to {} ({} transactions) in {} ms", taskId, prepared.reached(), prepared.transactions(),
                TaskRunner.millisSince(began));
        try {
            io.mysos.executor.mysql.SandboxLayout.deleteTree(replayDir());
        } catch (java.io.IOException e) {
            log.warn("{}: could not delete {}: {}", taskId, replayDir(), e.getMessage());
        }
    }

    private java.nio.file.Path replayDir() {
        return server.layout().sandbox().resolve("restore-binlogs");
    }

    /**
     * A logical backup (taken where mariadb-backup was missing) is downloaded and verified now, before
     * mysqld starts on a new data directory, and loaded once it runs.
     */
    private boolean logicalRestore() {
        var from = backups.orElseThrow(() -> new io.mysos.executor.backup.BackupFailedException("task " + taskId
                + " restores backup " + data.backupId().get() + " but this executor has no backup store (--backup-root)"));
        if (!from.isLogical(data.backupId().get())) {
            return false;
        }
        var file = server.layout().sandbox().resolve("restore-dump.sql");
        try {
            java.nio.file.Files.createDirectories(server.layout().sandbox());
        } catch (java.io.IOException e) {
            throw new io.mysos.executor.backup.BackupFailedException("cannot create " + server.layout().sandbox() + ": " + e.getMessage(), e);
        }
        restoredAt = Optional.of(from.fetchLogical(data.backupId().get(), file));
        dumpToLoad = Optional.of(file);
        prepareReplay(from);
        return true;
    }

    private void loadDump(java.nio.file.Path file) {
        backups.orElseThrow().loadLogical(asSource.get(), file);
        dumpToLoad = Optional.empty();
        try {
            java.nio.file.Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
            log.warn("{}: could not delete {}: {}", taskId, file, e.getMessage());
        }
    }

    private void awaitAdopted() {
        try {
            if (server.awaitReady(timeouts.startup(), watch::abandoned)) {
                becomeRunning("adopted the running mysqld");
            }
        } catch (RuntimeException e) {
            failAndClean(e);
        }
    }

    private void becomeRunning(String how) {
        long watched = ++generation;
        watch.forgetVerdict();
        server.onExit().thenAccept(exit -> submit.accept("watch", () -> onMysqldExit(watched, exit)));
        reports.status(TaskState.RUNNING, "mysqld (pid " + server.pid().map(String::valueOf).orElse("?")
                + ") accepts connections on " + address() + ": " + how);
        watch.start(reason -> submit.accept("health", () -> onMysqldHung(watched, reason)),
                lag -> submit.accept("lag", () -> onLag(watched, lag)));
    }

    private void onMysqldExit(long watched, MysqldExit exit) {
        if (watched != generation || stopping || watch.killRequested()) {
            return;
        }
        // Killed for hanging: the hang is the reason, the SIGKILL only its consequence.
        var reason = watch.unresponsive().or(() -> isolation.overLimit(taskId).map(why -> why + "; " + exit.describe()))
                .orElseGet(exit::describe);
        log.warn("{}: {}", taskId, reason);
        reports.status(TaskState.FAILED, reason);
    }

    private void onMysqldHung(long watched, String reason) {
        if (watched != generation || stopping || watch.killRequested()) {
            return;
        }
        reports.status(TaskState.FAILED, reason);
    }

    /** Only the lag of the mysqld being watched now counts, and none once it is being stopped. */
    private void onLag(long watched, Lag lag) {
        if (watched != generation || stopping) {
            return;
        }
        commands.onLag(lag);
    }

    private void failAndClean(RuntimeException e) {
        log.warn("{} failed: {}", taskId, e.getMessage(), e);
        watch.stop();
        if (!watch.detached()) {
            // Nothing may be left behind by a launch that did not work.
            try {
                server.kill();
            } catch (RuntimeException cleanup) {
                log.warn("{}: could not kill mysqld after a failed start: {}", taskId, cleanup.getMessage());
            }
            isolation.release(taskId);
        }
        reports.status(TaskState.FAILED, e.getMessage());
    }

    private void confine() {
        server.pid().ifPresent(pid -> isolation.confine(taskId, CgroupLimits.from(data.resources()), pid));
    }

    private boolean begin(String step) {
        if (begun || watch.killRequested()) {
            log.info("{}: ignoring {}: the task was already {}", taskId, step, watch.killRequested() ? "killed" : "started");
            return false;
        }
        begun = true;
        return true;
    }

    private String address() {
        return Endpoints.address(data.host(), data.port());
    }
}

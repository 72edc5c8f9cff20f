package io.mysos.executor.task;

import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.task.TaskId;
import io.mysos.executor.backup.BackupSource;
import io.mysos.executor.backup.Cancellation;
import io.mysos.executor.backup.InstanceBackups;
import io.mysos.executor.mysql.MySqlInstallation;
import io.mysos.executor.mysql.MySqlServer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the backups the scheduler asks a task for, one at a time on a thread of their own (a backup
 * of a big instance takes long, and the runner's thread must keep answering); the outcome goes back
 * as a report through the runner's thread.
 */
final class InstanceBackupRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InstanceBackupRunner.class);

    private final TaskData data;
    private final TaskId taskId;
    private final MySqlServer server;
    private final MySqlInstallation mysql;
    private final String adminPassword;
    private final Optional<InstanceBackups> backups;
    private final BiConsumer<String, Runnable> submit;
    private final StatusReports reports;
    private final ExecutorService thread;
    /** The ids being taken now: a repeated request for one of them changes nothing. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    /** How to stop each backup being taken now, by id. */
    private final Map<String, Cancellation> cancellations = new ConcurrentHashMap<>();

    InstanceBackupRunner(TaskData data, MySqlServer server, MySqlInstallation mysql, String adminPassword,
            Optional<InstanceBackups> backups, BiConsumer<String, Runnable> submit, StatusReports reports) {
        this.data = data;
        this.taskId = data.taskId();
        this.server = server;
        this.mysql = mysql;
        this.adminPassword = adminPassword;
        this.backups = backups;
        this.submit = submit;
        this.reports = reports;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            var t = new Thread(runnable, "mysos-backup-" + taskId);
            t.setDaemon(true);
            return t;
        });
    }

    void take(ExecutorCommand.TakeBackup command) {
        if (backups.isEmpty()) {
            report(new ExecutorReport.BackupFailed(taskId, command.epoch(), command.backupId(),
                    "the executor of " + taskId + " has no backup store (--backup-root)"));
            return;
        }
        if (!running.add(command.backupId())) {
            log.info("{}: backup {} is already being taken", taskId, command.backupId());
            return;
        }
        // From now on: a backup still waiting for its thread can be stopped too.
        cancellations.put(command.backupId(), new Cancellation());
        // Whether mysqld runs is known on the runner's thread; the backup itself runs on this one's own.
        submit.accept("backup " + command.backupId(), () -> {
            if (!reports.isRunning()) {
                forget(command.backupId());
                reports.report(new ExecutorReport.BackupFailed(taskId, command.epoch(), command.backupId(),
                        "mysqld of " + taskId + " is not running"));
                return;
            }
            try {
                thread.execute(() -> {
                    try {
                        report(takeNow(command));
                    } finally {
                        forget(command.backupId());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                forget(command.backupId());
            }
        });
    }

    /** This instance as a backup tool sees it. */
    BackupSource source(boolean replica) {
        var host = switch (data.host()) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::" -> "::1";
            default -> data.host();
        };
        return new BackupSource(taskId.toString(), server.layout().sandbox(), server.layout().configFile(), host,
                data.port(), TaskData.ADMIN_USER, adminPassword, mysql.flavor() + " " + mysql.version(), replica, data.life());
    }

    private void forget(String backupId) {
        running.remove(backupId);
        cancellations.remove(backupId);
    }

    /** Stops the backup being taken, if it still is: its tool is killed, and it ends with BackupFailed. */
    void cancel(ExecutorCommand.CancelBackup command) {
        var cancellation = cancellations.get(command.backupId());
        if (cancellation == null) {
            log.info("{}: backup {} is not being taken; nothing to stop", taskId, command.backupId());
            return;
        }
        log.warn("{}: stopping backup {}: it ran past its time limit", taskId, command.backupId());
        cancellation.cancel("backup " + command.backupId() + " was stopped: it ran past its time limit (mysos.backup.timeout)");
    }

    /** Deletes a backup from the store (retention, or what a failed backup left); after any backup being taken. */
    void delete(ExecutorCommand.DeleteBackup command) {
        if (backups.isEmpty()) {
            log.warn("{}: cannot delete backup {}: no backup store", taskId, command.backupId());
            return;
        }
        try {
            thread.execute(() -> {
                try {
                    backups.get().store().delete(data.cluster(), command.backupId());
                } catch (RuntimeException e) {
                    log.warn("{}: could not delete backup {}: {}", taskId, command.backupId(), e.getMessage());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            log.debug("{}: not deleting backup {}: the runner has stopped", taskId, command.backupId());
        }
    }

    private ExecutorReport takeNow(ExecutorCommand.TakeBackup command) {
        long began = System.nanoTime();
        try {
            var source = source(server.adminControl().replicationSource().isPresent());
            cleanUp();
            var cancel = cancellations.getOrDefault(command.backupId(), Cancellation.none());
            var manifest = backups.get().take(source, data.cluster(), command.backupId(), cancel);
            long millis = Duration.ofNanos(System.nanoTime() - began).toMillis();
            return new ExecutorReport.BackupTaken(taskId, command.epoch(), command.backupId(),
                    backups.get().store().location(data.cluster(), command.backupId()).toString(), manifest.bytes(),
                    manifest.position(), millis);
        } catch (RuntimeException | Error e) {
            // An Error too: a backup thread that died of one would leave the backup RUNNING for good, and no next one could start.
            log.warn("{}: backup {} failed: {}", taskId, command.backupId(), e.getMessage(), e);
            return new ExecutorReport.BackupFailed(taskId, command.epoch(), command.backupId(),
                    e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** One backup of a cluster runs at a time: what an earlier one left incomplete goes before the next starts. */
    private void cleanUp() {
        try {
            var removed = backups.get().store().removeIncomplete(data.cluster(), Duration.ofMinutes(1), java.time.Instant.now());
            if (!removed.isEmpty()) {
                log.info("{}: deleted incomplete backups {} of {}", taskId, removed, data.cluster());
            }
        } catch (RuntimeException e) {
            log.warn("{}: could not look for incomplete backups: {}", taskId, e.getMessage());
        }
    }

    private void report(ExecutorReport report) {
        submit.accept("report " + report.getClass().getSimpleName(), () -> reports.report(report));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}

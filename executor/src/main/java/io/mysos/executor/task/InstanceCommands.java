package io.mysos.executor.task;

import io.mysos.core.InvalidInputException;
import io.mysos.core.cluster.Lag;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.task.TaskId;
import io.mysos.executor.mysql.Endpoints;
import io.mysos.executor.mysql.MySqlControl;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the scheduler's commands on a task's running mysqld, fenced by epoch: turns it
 * read-only on hearing of a newer epoch, answers position queries, promotes or reparents it, and
 * tells the lag of a reparented replica. Used on the runner's thread only.
 */
final class InstanceCommands {
    private static final Logger log = LoggerFactory.getLogger(InstanceCommands.class);

    /** The role the last successful command gave the instance. */
    private record Role(long epoch, String command) {}

    private final TaskData data;
    private final TaskId taskId;
    private final MySqlControl control;
    private final String userPassword;
    private final String adminPassword;
    private final StatusReports reports;
    /** The master's binary log archive: on from a promotion, for its epoch. */
    private final InstanceArchive archive;

    // Only touched on the runner's thread.
    private long newestEpoch = Long.MIN_VALUE;
    /** The newest epoch for which this instance turned read-only. */
    private long fencedEpoch = Long.MIN_VALUE;
    private Optional<Role> role = Optional.empty();
    /** The replication lag last reported since the last reparent, and when (nanoTime). */
    private Optional<Lag> lastLag = Optional.empty();
    private long lastLagSent;

    InstanceCommands(TaskData data, MySqlControl control, String userPassword, String adminPassword, StatusReports reports,
            InstanceArchive archive) {
        this.archive = archive;
        this.data = data;
        this.taskId = data.taskId();
        this.control = control;
        this.userPassword = userPassword;
        this.adminPassword = adminPassword;
        this.reports = reports;
    }

    /**
     * Carries out a command of a task that is neither terminal nor being killed; commands from an
     * epoch older than the newest seen are ignored.
     */
    void handle(ExecutorCommand command) {
        if (command.epoch() < newestEpoch) {
            log.info("{}: ignoring {}: epoch {} is older than epoch {}", taskId, command, command.epoch(), newestEpoch);
            return;
        }
        newestEpoch = command.epoch();
        var name = nameOf(command);
        if (!reports.isRunning()) {
            reports.report(new ExecutorReport.CommandFailed(taskId, command.epoch(), name, "mysqld is not running yet"));
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
            reports.report(new ExecutorReport.CommandFailed(taskId, command.epoch(), name, "this instance already carried out a "
                    + conflict.get().command() + " in epoch " + command.epoch() + "; one epoch has one master"));
            return;
        }
        try {
            var done = command instanceof ExecutorCommand.Reparent reparent ? reparent(reparent)
                    : promote((ExecutorCommand.Promote) command);
            role = Optional.of(new Role(command.epoch(), name));
            // A scheduler that (re)sends a reparent has not confirmed this replica, so knows nothing of its lag either.
            lastLag = Optional.empty();
            reports.report(done);
        } catch (RuntimeException e) {
            log.warn("{}: {} failed: {}", taskId, command, e.getMessage());
            reports.report(new ExecutorReport.CommandFailed(taskId, command.epoch(), name, e.getMessage()));
        }
    }

    /**
     * A replica's lag, measured by the health check of the current mysqld: reported in the epoch of its
     * reparent when {@link Lag#worthReporting} says so (the first measurement after each reparent command always is).
     */
    void onLag(Lag lag) {
        var reparented = role.filter(r -> r.command().equals("reparent"));
        if (reparented.isEmpty()) {
            return;
        }
        long epoch = reparented.get().epoch();
        long now = System.nanoTime();
        if (!Lag.worthReporting(lastLag, lag, Duration.ofNanos(now - lastLagSent))) {
            return;
        }
        if (lastLag.map(Lag::catchingUp).orElse(false) != lag.catchingUp()) {
            log.info("{} {}", taskId, lag.catchingUp() ? "is catching up with its master: " + lag.describe() : "is in sync with its master");
        }
        if (lastLag.map(Lag::replicating).orElse(true) != lag.replicating()) {
            log.info("{} {} replicating", taskId, lag.replicating() ? "is" : "stopped");
        }
        lastLag = Optional.of(lag);
        lastLagSent = now;
        reports.report(ExecutorReport.ReplicationLag.of(taskId, epoch, lag));
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
            reports.report(new ExecutorReport.CommandFailed(taskId, command.epoch(), name,
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
                    TaskRunner.millisSince(began));
            reports.report(new ExecutorReport.PositionReported(taskId, query.epoch(), position, control.position()));
        } catch (RuntimeException e) {
            log.warn("{}: {} failed: {}", taskId, query, e.getMessage());
            reports.report(new ExecutorReport.CommandFailed(taskId, query.epoch(), nameOf(query), e.getMessage()));
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
            archive.promoted(command.epoch());
            log.info("{} already is the writable master (epoch {})", taskId, command.epoch());
            return new ExecutorReport.Promoted(taskId, command.epoch());
        }
        control.stopReplication();
        control.ensureClusterUser(data.user(), userPassword);
        if (data.semiSync()) {
            control.setSemiSyncMaster(true);
        }
        control.setDurable(true);
        archive.promoting(command.epoch());
        control.setReadOnly(false);
        archive.promoted(command.epoch());
        log.info("{} is the master of epoch {}{}", taskId, command.epoch(), data.semiSync() ? " (semi-sync)" : "");
        return new ExecutorReport.Promoted(taskId, command.epoch());
    }

    private ExecutorReport reparent(ExecutorCommand.Reparent command) {
        var host = Endpoints.validHost(command.masterHost());
        int port = Endpoints.validPort(command.masterPort());
        if (host.equalsIgnoreCase(data.host()) && port == data.port()) {
            throw new InvalidInputException("an instance cannot replicate from itself ("
                    + Endpoints.address(data.host(), data.port()) + ")");
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
}

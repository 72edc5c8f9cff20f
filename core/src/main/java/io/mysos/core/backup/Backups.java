package io.mysos.core.backup;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterEvent.BackupCompleted;
import io.mysos.core.cluster.ClusterEvent.BackupDeleted;
import io.mysos.core.cluster.ClusterEvent.BackupFailed;
import io.mysos.core.cluster.ClusterEvent.BackupRequested;
import io.mysos.core.cluster.ClusterEvent.BackupStarted;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.cluster.Instance;
import io.mysos.core.failover.Action;
import io.mysos.core.failover.Decision;
import io.mysos.core.failover.Observed;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.task.TaskId;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a cluster does about backups: which instance takes one (a replica that follows the master,
 * the least behind; the master only when it runs alone, never while a replica could), when the
 * schedule asks for one, what an executor's report records, and which backups the retention rule lets go.
 */
public final class Backups {
    public static final String API = "api";
    public static final String SCHEDULE = "schedule";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private Backups() {}

    /** A backup was started ({@code id}), or why not. */
    public sealed interface Request {}

    public record Started(String id, Decision decision) implements Request {}

    public record Refused(String reason) implements Request {}

    /** The id of the next backup: its time, and a number no earlier backup of the name had. */
    public static String nextId(BackupLog log, Instant now) {
        return ID_TIME.format(now) + "-" + (log.count() + 1);
    }

    /**
     * The instance to back up: a running replica that confirmed it follows the current master, the
     * least behind first; the master only when no replica runs. None during an election.
     */
    public static Optional<TaskId> source(ClusterLife life, Observed observed) {
        if (life.election().isPresent() || life.failover().isPresent()) {
            return Optional.empty();
        }
        var replicas = life.instances().stream()
                .filter(i -> i.running() && !i.removed() && !life.isMaster(i.taskId()) && observed.isConfirmed(i.taskId()))
                .sorted(Comparator.comparingLong((Instance i) -> observed.lag(i.taskId()).map(l -> l.transactions()).orElse(0L))
                        .thenComparing(i -> i.taskId().serverId()))
                .map(Instance::taskId)
                .toList();
        if (!replicas.isEmpty()) {
            return Optional.of(replicas.get(0));
        }
        boolean anyReplicaRuns = life.instances().stream().anyMatch(i -> i.running() && !life.isMaster(i.taskId()));
        return anyReplicaRuns ? Optional.empty()
                : life.masterInstance().filter(m -> m.running() && observed.isConfirmed(m.taskId())).map(Instance::taskId);
    }

    /** A backup asked for by {@code cause} ({@link #API} or {@link #SCHEDULE}). */
    public static Request request(ClusterLife life, BackupLog log, Observed observed, String cause, Instant now) {
        var running = log.inFlight();
        if (running.isPresent()) {
            return new Refused("backup " + running.get().id() + " of cluster '" + life.spec().name() + "' is still running");
        }
        var source = source(life, observed);
        if (source.isEmpty()) {
            return new Refused("cluster '" + life.spec().name() + "' has no instance to back up now"
                    + (life.election().isPresent() ? " (a failover is running)" : " (none runs in its role yet)"));
        }
        var id = nextId(log, now);
        List<ClusterEvent> events = List.of(new BackupRequested(id, cause, now), new BackupStarted(id, source.get(), now));
        List<Action> actions = List.of(new Action.Send(source.get(), new ExecutorCommand.TakeBackup(life.epoch(), id)));
        return new Started(id, new Decision(events, actions, observed));
    }

    /** Whether the schedule asks for a backup at {@code now}: none running, and the interval passed since the last one (or the creation). */
    public static boolean due(ClusterLife life, BackupLog log, Instant now) {
        if (!log.policy().scheduled() || log.inFlight().isPresent()) {
            return false;
        }
        var last = log.lastRequestedAt().filter(at -> at.isAfter(life.createdAt())).orElse(life.createdAt());
        return !last.plus(log.policy().interval()).isAfter(now);
    }

    /**
     * An executor's report about a backup: the running backup completes (then the retention rule applies) or fails.
     * Or about the master's binary log archive: it fails (kept, with since when, for the view and the alerts) or works again.
     */
    public static Decision onReport(ClusterLife life, BackupLog log, Observed observed, ExecutorReport report, Instant now) {
        if (report instanceof ExecutorReport.ArchiveHealth health) {
            return Decision.nothing(onArchiveHealth(life, observed, health, now));
        }
        if (report instanceof ExecutorReport.BackupTaken taken) {
            var entry = log.entry(taken.backupId()).filter(BackupLog.Entry::inFlight);
            if (entry.isEmpty()) {
                return Decision.nothing(observed);
            }
            var completed = new BackupCompleted(taken.backupId(), taken.location(), taken.bytes(), taken.position(), taken.millis(), now);
            var after = log.apply(completed);
            var events = new ArrayList<ClusterEvent>(List.of(completed));
            var actions = new ArrayList<Action>();
            for (var old : expired(after)) {
                events.add(new BackupDeleted(old.id(), now));
                actions.add(new Action.Send(taken.taskId(), new ExecutorCommand.DeleteBackup(life.epoch(), old.id())));
            }
            return new Decision(events, actions, observed);
        }
        if (report instanceof ExecutorReport.BackupFailed failed && log.entry(failed.backupId()).filter(BackupLog.Entry::inFlight).isPresent()) {
            // What the failed backup left in the store is incomplete; it goes at once.
            return new Decision(List.of(new BackupFailed(failed.backupId(), failed.reason(), now)),
                    List.of(new Action.Send(failed.taskId(), new ExecutorCommand.DeleteBackup(life.epoch(), failed.backupId()))), observed);
        }
        return Decision.nothing(observed);
    }

    /** Only the current master's word for the current epoch counts; a failure already known keeps its first time. */
    static Observed onArchiveHealth(ClusterLife life, Observed observed, ExecutorReport.ArchiveHealth health, Instant now) {
        if (health.epoch() != life.epoch() || !life.isMaster(health.taskId())) {
            return observed;
        }
        var since = observed.archiveFailing().filter(f -> f.master().equals(health.taskId())).map(Observed.ArchiveFailing::since).orElse(now);
        return observed.withArchiveFailing(health.failing().map(reason -> new Observed.ArchiveFailing(health.taskId(), reason, since)));
    }

    /** The source of the running backup ended: the backup failed. */
    public static Decision onStatus(BackupLog log, Observed observed, TaskStatus status, Instant now) {
        if (!status.state().isTerminal()) {
            return Decision.nothing(observed);
        }
        var running = log.inFlight().filter(e -> e.source().equals(Optional.of(status.taskId())));
        return running.map(e -> new Decision(List.of(new BackupFailed(e.id(), "its source " + status.taskId() + " ended ("
                        + status.state() + (status.message().isBlank() ? "" : ": " + status.message()) + ")", now)), List.of(), observed))
                .orElseGet(() -> Decision.nothing(observed));
    }

    /**
     * A backup still running from before the scheduler (re)started at {@code since}: its report may never
     * come (in local mode the executor restarted too), so it is recorded failed, and the next one may start.
     */
    public static Decision abandoned(ClusterLife life, BackupLog log, Observed observed, Instant since, Instant now) {
        var stale = log.inFlight().filter(e -> e.requestedAt().isBefore(since));
        if (stale.isEmpty()) {
            return Decision.nothing(observed);
        }
        var id = stale.get().id();
        List<Action> cleanup = stale.get().source().filter(life::liveInstance)
                .<Action>map(task -> new Action.Send(task, new ExecutorCommand.DeleteBackup(life.epoch(), id))).stream().toList();
        return new Decision(List.of(new BackupFailed(id, "the scheduler restarted while it ran; its outcome is unknown", now)),
                cleanup, observed);
    }

    /**
     * A backup running for {@code limit} or longer (its tool hangs on a lock, its store stalls): it is recorded failed,
     * so that the next one may start, and its source is told to stop it and delete what it wrote.
     */
    public static Decision overdue(ClusterLife life, BackupLog log, Observed observed, java.time.Duration limit, Instant now) {
        var late = log.inFlight().filter(e -> !e.requestedAt().plus(limit).isAfter(now));
        if (late.isEmpty()) {
            return Decision.nothing(observed);
        }
        var entry = late.get();
        var actions = new ArrayList<Action>();
        entry.source().filter(life::liveInstance).ifPresent(task -> {
            actions.add(new Action.Send(task, new ExecutorCommand.CancelBackup(life.epoch(), entry.id())));
            actions.add(new Action.Send(task, new ExecutorCommand.DeleteBackup(life.epoch(), entry.id())));
        });
        var reason = "it did not finish within " + describe(limit) + " (mysos.backup.timeout)"
                + entry.source().map(task -> "; " + task + " was told to stop it").orElse("");
        return new Decision(List.of(new BackupFailed(entry.id(), reason, now)), actions, observed);
    }

    private static String describe(java.time.Duration limit) {
        long minutes = limit.toMinutes();
        return limit.toSecondsPart() != 0 || minutes == 0 ? limit.toSeconds() + "s"
                : minutes % 60 != 0 ? minutes + "m" : minutes / 60 + "h";
    }

    /** The complete backups beyond the {@code keep} newest, oldest first. */
    public static List<BackupLog.Entry> expired(BackupLog log) {
        int keep = log.policy().keep();
        var done = log.completed();
        return keep == 0 || done.size() <= keep ? List.of() : done.subList(0, done.size() - keep);
    }
}

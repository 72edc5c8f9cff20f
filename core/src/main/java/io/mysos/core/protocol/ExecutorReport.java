package io.mysos.core.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.mysos.core.cluster.Lag;
import io.mysos.core.election.Position;
import io.mysos.core.task.TaskId;
import java.util.Optional;

/** What an executor tells the scheduler back about a command, besides plain task status updates. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ExecutorReport.Promoted.class, name = "promoted"),
    @JsonSubTypes.Type(value = ExecutorReport.Reparented.class, name = "reparented"),
    @JsonSubTypes.Type(value = ExecutorReport.CommandFailed.class, name = "command-failed"),
    @JsonSubTypes.Type(value = ExecutorReport.PositionReported.class, name = "position"),
    @JsonSubTypes.Type(value = ExecutorReport.ReplicationLag.class, name = "replication-lag"),
    @JsonSubTypes.Type(value = ExecutorReport.BackupTaken.class, name = "backup-taken"),
    @JsonSubTypes.Type(value = ExecutorReport.BackupFailed.class, name = "backup-failed"),
    @JsonSubTypes.Type(value = ExecutorReport.ArchiveHealth.class, name = "archive-health")
})
public sealed interface ExecutorReport {
    TaskId taskId();

    long epoch();

    /** The instance is the writable master of {@code epoch}. */
    record Promoted(TaskId taskId, long epoch) implements ExecutorReport {}

    /** The instance replicates from {@code masterHost:masterPort} since {@code epoch}. */
    record Reparented(TaskId taskId, long epoch, String masterHost, int masterPort) implements ExecutorReport {}

    /**
     * The instance's replication position, answering {@link ExecutorCommand.QueryPosition} for
     * {@code epoch}: {@code position} is how far it can get (applied and received), {@code applied}
     * how far it has applied; the difference is what a promotion must apply before taking writes.
     */
    record PositionReported(TaskId taskId, long epoch, Position position, Position applied) implements ExecutorReport {}

    /**
     * How far the replica is behind its master in {@code epoch} (the epoch of its last reparent),
     * from its health checks: sent when it starts or stops catching up, every few seconds while it
     * catches up, and now and then otherwise (see {@link Lag#worthReporting}). {@code replicating}:
     * whether both replication threads run; an executor older than the field sends none, read as true.
     */
    record ReplicationLag(TaskId taskId, long epoch, Optional<Long> seconds, long transactions, boolean catchingUp,
                          Boolean replicating) implements ExecutorReport {
        @JsonCreator
        public ReplicationLag {
            seconds = seconds == null ? Optional.empty() : seconds;
            replicating = replicating == null ? Boolean.TRUE : replicating;
        }

        /** A report of a replica whose replication threads run. */
        public ReplicationLag(TaskId taskId, long epoch, Optional<Long> seconds, long transactions, boolean catchingUp) {
            this(taskId, epoch, seconds, transactions, catchingUp, true);
        }

        public static ReplicationLag of(TaskId taskId, long epoch, Lag lag) {
            return new ReplicationLag(taskId, epoch, lag.seconds(), lag.transactions(), lag.catchingUp(), lag.replicating());
        }

        public Lag lag() {
            return new Lag(transactions, seconds, catchingUp, replicating);
        }
    }

    /** A command could not be carried out; the scheduler may send it again. */
    record CommandFailed(TaskId taskId, long epoch, String command, String reason) implements ExecutorReport {}

    /** The backup {@code backupId} is complete in the store at {@code location}, holding everything up to {@code position}. */
    record BackupTaken(TaskId taskId, long epoch, String backupId, String location, long bytes, String position, long millis)
            implements ExecutorReport {}

    /** The backup {@code backupId} could not be taken; nothing of it counts as complete. */
    record BackupFailed(TaskId taskId, long epoch, String backupId, String reason) implements ExecutorReport {}

    /**
     * The master's binary log archive (point-in-time recovery) began failing ({@code failing}: the reason, e.g. the
     * store is full or down) or works again (empty). Sent when that changes, not every round.
     */
    record ArchiveHealth(TaskId taskId, long epoch, Optional<String> failing) implements ExecutorReport {}
}

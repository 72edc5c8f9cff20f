package io.mysos.core.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What the scheduler tells an executor about its instance's role. Every command carries the
 * cluster's epoch; an executor ignores commands from an epoch older than the newest it has seen,
 * and applying the same command twice changes nothing.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ExecutorCommand.Promote.class, name = "promote"),
    @JsonSubTypes.Type(value = ExecutorCommand.Reparent.class, name = "reparent"),
    @JsonSubTypes.Type(value = ExecutorCommand.QueryPosition.class, name = "query-position"),
    @JsonSubTypes.Type(value = ExecutorCommand.TakeBackup.class, name = "take-backup"),
    @JsonSubTypes.Type(value = ExecutorCommand.DeleteBackup.class, name = "delete-backup"),
    @JsonSubTypes.Type(value = ExecutorCommand.CancelBackup.class, name = "cancel-backup")
})
public sealed interface ExecutorCommand {
    long epoch();

    /** Become the writable master: stop replicating, turn writes on, make sure the cluster user exists. */
    record Promote(long epoch) implements ExecutorCommand {}

    /**
     * An election for {@code epoch} is open: turn read-only (fencing), let replication apply what it
     * has already received, and report how far this instance has come ({@link ExecutorReport.PositionReported}).
     */
    record QueryPosition(long epoch) implements ExecutorCommand {}

    /** Replicate from the master at {@code masterHost:masterPort} with GTID auto-positioning; stay read-only. */
    record Reparent(long epoch, String masterHost, int masterPort) implements ExecutorCommand {}

    /**
     * Stream a backup of this instance to the backup store as {@code <cluster>/<backupId>}, beside
     * its work (a replica keeps replicating, a master keeps taking writes); answered by
     * {@link ExecutorReport.BackupTaken} or {@link ExecutorReport.BackupFailed}. A second request
     * for the same id while one runs changes nothing.
     */
    record TakeBackup(long epoch, String backupId) implements ExecutorCommand {}

    /** Delete the backup {@code <cluster>/<backupId>} from the store (retention, or a failed backup's leftovers). Idempotent. */
    record DeleteBackup(long epoch, String backupId) implements ExecutorCommand {}

    /**
     * Stop the backup {@code <cluster>/<backupId>} if it is still being taken (its tool is killed; it ends with
     * {@link ExecutorReport.BackupFailed}); nothing when it is not. For a backup that ran past its time limit.
     */
    record CancelBackup(long epoch, String backupId) implements ExecutorCommand {}
}

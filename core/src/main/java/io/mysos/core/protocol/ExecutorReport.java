package io.mysos.core.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.mysos.core.election.Position;
import io.mysos.core.task.TaskId;

/** What an executor tells the scheduler back about a command, besides plain task status updates. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ExecutorReport.Promoted.class, name = "promoted"),
    @JsonSubTypes.Type(value = ExecutorReport.Reparented.class, name = "reparented"),
    @JsonSubTypes.Type(value = ExecutorReport.CommandFailed.class, name = "command-failed"),
    @JsonSubTypes.Type(value = ExecutorReport.PositionReported.class, name = "position")
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

    /** A command could not be carried out; the scheduler may send it again. */
    record CommandFailed(TaskId taskId, long epoch, String command, String reason) implements ExecutorReport {}
}

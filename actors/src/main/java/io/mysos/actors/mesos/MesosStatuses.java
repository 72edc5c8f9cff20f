package io.mysos.actors.mesos;

import io.mysos.core.InvalidInputException;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.util.Optional;
import org.apache.mesos.v1.Protos;

/** Mesos task status updates as core's {@link TaskStatus}. */
final class MesosStatuses {
    private MesosStatuses() {}

    /** Empty for a task that is not a Mysos task (its id is not one of ours). */
    static Optional<TaskStatus> toStatus(Protos.TaskStatus status) {
        TaskId id;
        try {
            id = new TaskId(status.getTaskId().getValue());
        } catch (InvalidInputException e) {
            return Optional.empty();
        }
        return Optional.of(new TaskStatus(id, state(status.getState()), message(status)));
    }

    static TaskState state(Protos.TaskState state) {
        return switch (state) {
            case TASK_STAGING -> TaskState.STAGING;
            case TASK_STARTING -> TaskState.STARTING;
            // KILLING: the kill is under way, mysqld still runs (and the KILLED update follows).
            case TASK_RUNNING, TASK_KILLING -> TaskState.RUNNING;
            case TASK_FINISHED -> TaskState.FINISHED;
            case TASK_FAILED -> TaskState.FAILED;
            case TASK_KILLED -> TaskState.KILLED;
            // ERROR: the launch was invalid and never ran; for a cluster it is gone like a lost task.
            case TASK_LOST, TASK_ERROR -> TaskState.LOST;
        };
    }

    /** The executor's or master's message, with Mesos's source and reason when it gives them. */
    static String message(Protos.TaskStatus status) {
        var text = new StringBuilder(status.hasMessage() ? status.getMessage() : "");
        if (status.hasReason()) {
            text.append(text.length() == 0 ? "" : " ").append('(').append(status.getReason().name().toLowerCase(java.util.Locale.ROOT));
            if (status.hasSource()) {
                text.append(", from ").append(status.getSource().name().toLowerCase(java.util.Locale.ROOT));
            }
            text.append(')');
        }
        return text.length() == 0 ? status.getState().name() : text.toString();
    }
}

package io.mysos.executor.task;

import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the scheduler hears of one task, through its {@link StatusListener}: nothing once the task
 * is terminal or the runner let go, and RUNNING not twice in a row. Used on the runner's thread only.
 */
final class StatusReports {
    private static final Logger log = LoggerFactory.getLogger(StatusReports.class);

    private final TaskId taskId;
    private final StatusListener listener;
    private final HealthWatch watch;

    // Only touched on the runner's thread.
    private Optional<TaskState> lastState = Optional.empty();

    StatusReports(TaskId taskId, StatusListener listener, HealthWatch watch) {
        this.taskId = taskId;
        this.listener = listener;
        this.watch = watch;
    }

    /** The last state reported, if any. */
    Optional<TaskState> lastState() {
        return lastState;
    }

    boolean isRunning() {
        return lastState.equals(Optional.of(TaskState.RUNNING));
    }

    boolean isTerminal() {
        return lastState.map(TaskState::isTerminal).orElse(false);
    }

    /** Sends a status unless the task is already terminal, the runner let go, or it repeats RUNNING. */
    void status(TaskState state, String message) {
        if (watch.detached() || isTerminal() || (state == TaskState.RUNNING && isRunning())) {
            return;
        }
        lastState = Optional.of(state);
        if (state.isTerminal()) {
            watch.stop();
        }
        log.info("{} is {}: {}", taskId, state, message);
        try {
            listener.onStatus(new TaskStatus(taskId, state, message));
        } catch (RuntimeException e) {
            log.error("{}: the status listener failed on {}", taskId, state, e);
        }
    }

    void report(ExecutorReport report) {
        if (watch.detached() || isTerminal()) {
            return;
        }
        try {
            listener.onReport(report);
        } catch (RuntimeException e) {
            log.error("{}: the status listener failed on {}", taskId, report, e);
        }
    }
}

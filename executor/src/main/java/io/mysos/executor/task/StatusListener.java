package io.mysos.executor.task;

import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskStatus;

/** Where a {@link TaskRunner} sends what the scheduler must hear; called from the runner's own thread. */
public interface StatusListener {
    void onStatus(TaskStatus status);

    void onReport(ExecutorReport report);
}

package io.mysos.core.failover;

import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.task.TaskId;
import java.util.List;

/** What a decision asks the resource side to do, once its events are recorded. */
public sealed interface Action {
    /** Carry a command to the executor of {@code task}. */
    record Send(TaskId task, ExecutorCommand command) implements Action {}

    /** Kill (fence) a task. */
    record Kill(TaskId task) implements Action {}

    /**
     * {@code task} ended and will not come back: free what it holds (its sandbox and data locally,
     * its persistent volume under Mesos). Idempotent.
     */
    record Release(TaskId task) implements Action {}

    /** Ask the resource side whether these tasks run (they may never have been launched). */
    record Reconcile(List<TaskData> tasks) implements Action {}
}

package io.mysos.actors.local;

import io.mysos.core.protocol.TaskData;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import io.mysos.executor.mysql.SandboxLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances a local agent runs, with the ports and resources they hold, and those that ended on
 * their own (FAILED, LOST), whose sandboxes stay until the cluster releases them. Used on the
 * agent's thread only; removing sandboxes and stopping instances happen elsewhere.
 */
final class LocalInstances {
    private static final Logger log = LoggerFactory.getLogger(LocalInstances.class);

    /** An instance this agent runs and what it holds. */
    private record Running(TaskData task, LocalTask runner) {}

    private final Path instancesDir;
    /** Where sandboxes are deleted: off the agent's thread. */
    private final Executor blocking;
    private final Map<TaskId, Running> running = new HashMap<>();
    /** The latest status each running task reported, to tell again when the scheduler reconciles. */
    private final Map<TaskId, TaskStatus> latest = new HashMap<>();
    /** Tasks that ended on their own (FAILED, LOST): their sandboxes stay until the cluster releases them. */
    private final Map<TaskId, LocalTask> ended = new HashMap<>();

    LocalInstances(Path instancesDir, Executor blocking) {
        this.instancesDir = instancesDir;
        this.blocking = blocking;
    }

    Path sandbox(TaskId taskId) {
        return instancesDir.resolve(taskId.value());
    }

    void add(TaskData task, LocalTask runner) {
        running.put(task.taskId(), new Running(task, runner));
    }

    /** The runner of a task that runs here. */
    Optional<LocalTask> runner(TaskId taskId) {
        return Optional.ofNullable(running.get(taskId)).map(Running::runner);
    }

    boolean runs(TaskId taskId) {
        return running.containsKey(taskId);
    }

    /** A status a task reported; kept while it runs here. */
    void reported(TaskStatus status) {
        if (running.containsKey(status.taskId()) && !status.state().isTerminal()) {
            latest.put(status.taskId(), status);
        }
    }

    /** The latest status a task that runs here reported. */
    Optional<TaskStatus> latest(TaskId taskId) {
        return running.containsKey(taskId) ? Optional.ofNullable(latest.get(taskId)) : Optional.empty();
    }

    int size() {
        return running.size();
    }

    /**
     * A terminal status: a killed instance goes with its sandbox, one that ended on its own keeps it
     * until released. True when it ran here (so its ports and resources are free again).
     */
    boolean ended(TaskStatus status) {
        latest.remove(status.taskId());
        var task = running.remove(status.taskId());
        if (task == null) {
            return false;
        }
        if (status.state() == TaskState.KILLED) {
            discard(status.taskId(), task.runner());
        } else {
            ended.put(status.taskId(), task.runner());
        }
        return true;
    }

    /**
     * The task will not come back: its mysqld (should it still run) and its sandbox go, off the
     * agent's thread. True when a runner of it was here, running or ended.
     */
    boolean release(TaskId id) {
        var runner = Optional.ofNullable(running.remove(id)).map(Running::runner).or(() -> Optional.ofNullable(ended.remove(id)));
        if (runner.isPresent()) {
            discard(id, runner.get());
            return true;
        }
        // Ended before Mysos (re)started: no runner knows it, only its sandbox is left.
        removeSandbox(id);
        return false;
    }

    /** Stops every running mysqld cleanly (their data stays) and forgets them; completes once they are down. */
    CompletableFuture<Void> shutdownAll() {
        var stopping = running.values().stream().map(r -> r.runner().shutdown()).toArray(CompletableFuture[]::new);
        running.clear();
        return CompletableFuture.allOf(stopping);
    }

    List<Integer> takenPorts() {
        return running.values().stream().map(r -> r.task().port()).toList();
    }

    Resources used() {
        return running.values().stream().map(r -> r.task().resources()).reduce(Resources.NONE, Resources::plus);
    }

    private static void discard(TaskId taskId, LocalTask runner) {
        runner.discard().whenComplete((done, failure) -> {
            if (failure != null) {
                // Only costs disk: the instance is gone either way.
                log.warn("Could not remove the sandbox of task {}: {}", taskId, failure.getMessage());
            }
        });
    }

    private void removeSandbox(TaskId taskId) {
        var dir = sandbox(taskId);
        CompletableFuture.runAsync(() -> {
            try {
                SandboxLayout.deleteTree(dir);
            } catch (IOException e) {
                // A sandbox that could not be removed only costs disk; the instance is gone either way.
            }
        }, blocking);
    }
}

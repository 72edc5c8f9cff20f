package io.mysos.dist;

import io.mysos.actors.local.LocalAgent;
import io.mysos.actors.local.LocalTask;
import io.mysos.core.protocol.ExecutorCommand;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the instances stop when local mode does. They stop only after an explicit stop without
 * {@code --leave-running}; whatever else ends Mysos (a fatal error, a hangup, its actors failing)
 * leaves every mysqld running for the next start to adopt, because a crash of the scheduler must
 * not take every database down with it.
 */
final class InstanceStop {
    private final AtomicBoolean stopInstances = new AtomicBoolean();

    /** From now on, the local agent stopping stops each mysqld (cleanly, its data kept). */
    void stopInstancesWithMysos() {
        stopInstances.set(true);
    }

    /** The tasks of {@code factory}, which stop their mysqld when the agent stops only if told to. */
    LocalAgent.TaskFactory applyTo(LocalAgent.TaskFactory factory) {
        return (task, sandbox, listener) -> new Task(factory.create(task, sandbox, listener));
    }

    private final class Task implements LocalTask {
        private final LocalTask task;

        Task(LocalTask task) {
            this.task = task;
        }

        @Override
        public void launch() {
            task.launch();
        }

        @Override
        public void recover() {
            task.recover();
        }

        @Override
        public void handle(ExecutorCommand command) {
            task.handle(command);
        }

        @Override
        public void kill() {
            task.kill();
        }

        @Override
        public CompletableFuture<Void> discard() {
            return task.discard();
        }

        @Override
        public CompletableFuture<Void> shutdown() {
            if (stopInstances.get()) {
                return task.shutdown();
            }
            task.detach();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void detach() {
            task.detach();
        }
    }
}

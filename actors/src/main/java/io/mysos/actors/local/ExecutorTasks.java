package io.mysos.actors.local;

import io.mysos.core.password.SchedulerKey;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.executor.isolation.Isolation;
import io.mysos.executor.mysql.MySqlInstallation;
import io.mysos.executor.task.StatusListener;
import io.mysos.executor.task.TaskRunner;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** Local tasks run by the executor's {@link TaskRunner}: the same code that runs next to mysqld under Mesos. */
public final class ExecutorTasks {
    private ExecutorTasks() {}

    public static LocalAgent.TaskFactory factory(MySqlInstallation mysql, SchedulerKey key) {
        return factory(mysql, key, Isolation.NONE);
    }

    /** With each mysqld kept within its task's size by {@code isolation} (cgroups), as a Mesos agent would. */
    public static LocalAgent.TaskFactory factory(MySqlInstallation mysql, SchedulerKey key, Isolation isolation) {
        return factory(mysql, key, isolation, java.util.Optional.empty());
    }

    /** With a backup store: tasks restore from it when their data names a backup, and take backups into it. */
    public static LocalAgent.TaskFactory factory(MySqlInstallation mysql, SchedulerKey key, Isolation isolation,
            java.util.Optional<io.mysos.executor.backup.InstanceBackups> backups) {
        return (task, sandbox, listener) -> new Runner(task, sandbox, mysql, key, isolation, backups, listener);
    }

    private static final class Runner implements LocalTask {
        private final TaskRunner runner;

        Runner(TaskData task, Path sandbox, MySqlInstallation mysql, SchedulerKey key, Isolation isolation,
                java.util.Optional<io.mysos.executor.backup.InstanceBackups> backups, LocalAgent.Listener listener) {
            this.runner = new TaskRunner(task, sandbox, mysql, key, new StatusListener() {
                @Override
                public void onStatus(TaskStatus status) {
                    listener.onStatus(status);
                }

                @Override
                public void onReport(ExecutorReport report) {
                    listener.onReport(report);
                }
            }, TaskRunner.Timeouts.DEFAULT, isolation, backups);
        }

        @Override
        public void launch() {
            runner.launch();
        }

        @Override
        public void recover() {
            runner.recover();
        }

        @Override
        public void handle(ExecutorCommand command) {
            runner.handle(command);
        }

        @Override
        public void kill() {
            runner.kill();
        }

        @Override
        public CompletableFuture<Void> discard() {
            return runner.discard();
        }

        @Override
        public CompletableFuture<Void> shutdown() {
            return runner.shutdown();
        }

        @Override
        public void detach() {
            runner.detach();
        }
    }
}

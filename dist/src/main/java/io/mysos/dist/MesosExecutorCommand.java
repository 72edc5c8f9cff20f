package io.mysos.dist;

import io.mysos.core.InvalidInputException;
import io.mysos.core.password.SchedulerKey;
import io.mysos.executor.mesos.ExecutorEnvironment;
import io.mysos.executor.mesos.MesosExecutor;
import io.mysos.executor.mysql.MySqlInstallation;
import io.mysos.executor.mysql.MySqlNotInstalledException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mysos executor}: what a Mesos agent starts for each instance; it speaks the agent's v1 executor API. */
@Command(name = "executor", mixinStandardHelpOptions = true,
        description = {"Run one instance's executor under a Mesos agent, which starts it with MESOS_AGENT_ENDPOINT, "
                + "MESOS_FRAMEWORK_ID, MESOS_EXECUTOR_ID, MESOS_DIRECTORY and MESOS_CHECKPOINT set.",
                "Exit codes: 0 when its tasks ended, 1 when it lost its agent, 2 on bad settings."})
final class MesosExecutorCommand implements Callable<Integer> {
    @Option(names = "--key-file", defaultValue = "${env:MYSOS_KEY_FILE}",
            description = "This agent's copy of the scheduler key, readable by the tasks' user only "
                    + "(default: $MYSOS_KEY_FILE, e.g. from the agent's --executor_environment_variables).")
    Path keyFile;

    @Option(names = "--archive-interval", defaultValue = "${env:MYSOS_ARCHIVE_INTERVAL}",
            description = "How often a master's binary log is archived into the store: 500ms, 1s, 1m, or off "
                    + "(default: $MYSOS_ARCHIVE_INTERVAL, else 1s).")
    String archiveInterval;

    @Option(names = "--backup-root", defaultValue = "${env:MYSOS_BACKUP_ROOT}",
            description = "The backup store, as the scheduler's --backup-root (default: $MYSOS_BACKUP_ROOT; none: no backups).")
    String backupRoot;

    @Option(names = "--hadoop-conf", defaultValue = "${env:MYSOS_HADOOP_CONF}",
            description = "Directory with core-site.xml and hdfs-site.xml for the backup store (default: $MYSOS_HADOOP_CONF).")
    Path hadoopConf;

    /** Settings from outside, for tests: the process environment by default. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() {
        ExecutorEnvironment env;
        SchedulerKey key;
        MySqlInstallation mysql;
        try {
            env = ExecutorEnvironment.from(environment);
            key = key();
            mysql = MySqlInstallation.detect();
        } catch (InvalidInputException | IOException | MySqlNotInstalledException e) {
            System.err.println("mysos executor: " + e.getMessage());
            return 2;
        }
        java.util.Optional<io.mysos.executor.backup.InstanceBackups> backups;
        try {
            var interval = BackupFlags.archiveInterval("--archive-interval", archiveInterval);
            var conf = BackupFlags.conf(hadoopConf);
            var root = BackupFlags.root(backupRoot);
            root.ifPresent(r -> BackupFlags.checkOpens("--backup-root", r, conf));
            backups = root.map(r -> io.mysos.executor.backup.InstanceBackups.at(r, conf).withArchiveInterval(interval));
        } catch (InvalidInputException | io.mysos.executor.backup.BackupStoreException e) {
            System.err.println("mysos executor: " + e.getMessage());
            return 2;
        }
        var executor = MesosExecutor.create(env, MesosExecutor.Runners.of(mysql, key, backups));
        // The agent ends an executor with SIGTERM before SIGKILL: stop mysqld cleanly in between.
        Runtime.getRuntime().addShutdownHook(new Thread(executor::close, "mysos-executor-stop"));
        var outcome = executor.run();
        System.err.println("mysos executor: " + outcome.reason());
        return outcome.exitCode();
    }

    private SchedulerKey key() throws IOException {
        if (keyFile == null) {
            throw new InvalidInputException("no scheduler key: give --key-file or set MYSOS_KEY_FILE "
                    + "(see docs/mesos.md, \"How the key reaches executors\")");
        }
        return KeyFile.load(keyFile);
    }
}

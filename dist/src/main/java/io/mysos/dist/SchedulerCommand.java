package io.mysos.dist;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.mysos.core.InvalidInputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mysos scheduler}: the actors and the API, with the instances run as tasks of a Mesos cluster. */
@Command(name = "scheduler", mixinStandardHelpOptions = true,
        description = "Run Mysos as a framework of a Mesos cluster (v1 scheduler API), with the API and the event journal (embedded H2 by default).")
final class SchedulerCommand implements Callable<Integer> {
    @Option(names = "--master", required = true, description = "The Mesos masters, HOST:PORT[,HOST:PORT...]: tried in turn; "
            + "one that is not the leader redirects to it. Or zk://HOST:PORT[,HOST:PORT...]/PATH: the leader the masters elect in ZooKeeper.")
    String master;

    @Option(names = "--data-dir", defaultValue = "mysos-data", description = "Journal and key (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--key-file", description = "Scheduler key sealing cluster passwords (default: <data-dir>/scheduler.key, created when absent).")
    Path keyFile;

    @Option(names = "--api-host", defaultValue = "127.0.0.1", description = "Address the API listens on (default: ${DEFAULT-VALUE}).")
    String apiHost;

    @Option(names = "--api-port", defaultValue = "55001", description = "API port (default: ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(names = "--role", description = "Mesos role: offers are taken from unreserved resources and this role's (default: mysos).")
    String role;

    @Option(names = "--principal", description = "Mesos principal (default: none).")
    String principal;

    @Option(names = "--framework-name", description = "Framework name (default: mysos).")
    String frameworkName;

    @Option(names = "--failover-timeout", description = "How long Mesos keeps the tasks while the scheduler is away, e.g. 7d (default: 7d).")
    String failoverTimeout;

    @Option(names = "--user", description = "User the agents run the executors as (default: the user running the scheduler).")
    String user;

    @Option(names = "--executor-command", description = "Shell command of each executor (default: java -jar mysos.jar executor).")
    String executorCommand;

    @Option(names = "--executor-uri", description = "A URI the agent fetches into the executor's sandbox first; repeatable "
            + "(default: file:// of dist/target/mysos-executor.tar.gz of this checkout, when it exists).")
    List<String> executorUris = List.of();

    @Mixin
    ServerSetOption serverSets = new ServerSetOption();

    @Option(names = "--secret-file", description = "File holding the principal's secret, to authenticate with the masters "
            + "(needs --principal; owner-only permissions).")
    Path secretFile;

    @Option(names = "--agent-gone-after", description = "How long an instance's persistent volume waits for its agent to offer "
            + "it back before the instance is replaced on another agent, e.g. 10m (default: 10m).")
    String agentGoneAfter;

    @Mixin
    JournalOptions journal = new JournalOptions();

    @Option(names = "--backup-root", description = "Where backups are kept: hdfs://namenode:8020/mysos (default: none, backups off). "
            + "Executors reach the same store through MYSOS_BACKUP_ROOT (see docs/backups.md).")
    String backupRoot;

    @Option(names = "--hadoop-conf", description = "Directory with core-site.xml and hdfs-site.xml for the backup store.")
    Path hadoopConf;

    @Override
    public Integer call() {
        SchedulerMode.Settings settings;
        EndpointOptions endpoints;
        try {
            settings = settings();
            endpoints = new EndpointOptions(List.of(), serverSets.zk());
            var checked = settings;
            settings.backupRoot().ifPresent(root -> BackupFlags.checkOpens("--backup-root", root, checked.hadoopConf()));
        } catch (InvalidInputException e) {
            System.err.println("mysos scheduler: " + e.getMessage());
            return 2;
        }
        return SchedulerMode.run(settings, endpoints);
    }

    /** The settings these options make, without starting anything. */
    SchedulerMode.Settings settings() {
        if (!master.matches("[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}(,[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5})*")
                && !io.mysos.actors.mesos.MesosSettings.isZooKeeper(master)) {
            throw new InvalidInputException("--master must be HOST:PORT[,HOST:PORT...] or zk://HOST:PORT[,HOST:PORT...]/PATH, not '"
                    + master + "'");
        }
        if (apiPort < 1 || apiPort > 65535) {
            throw new InvalidInputException("--api-port must be within 1-65535, not " + apiPort);
        }
        if (failoverTimeout != null) {
            try {
                ConfigFactory.parseString("t = " + failoverTimeout).getDuration("t");
            } catch (ConfigException e) {
                throw new InvalidInputException("--failover-timeout must be a duration such as 7d or 12h, not '" + failoverTimeout + "'");
            }
        }
        var dir = dataDir.toAbsolutePath().normalize();
        var uris = executorUris.isEmpty() ? SchedulerOptions.defaultExecutorUri().stream().toList() : executorUris;
        var mesos = SchedulerMode.mesosConfig(master, Optional.ofNullable(role), Optional.ofNullable(principal),
                Optional.ofNullable(frameworkName), Optional.ofNullable(failoverTimeout), Optional.ofNullable(user),
                Optional.ofNullable(executorCommand), uris);
        mesos = SchedulerOptions.withSecretFile(mesos, Optional.ofNullable(secretFile), Optional.ofNullable(principal));
        mesos = SchedulerOptions.withAgentGoneAfter(mesos, Optional.ofNullable(agentGoneAfter));
        return new SchedulerMode.Settings(apiHost, apiPort, dir, keyFile != null ? keyFile : dir.resolve("scheduler.key"), mesos,
                journal.journal().orElse(LocalSettings.Journal.EMBEDDED), BackupFlags.root(backupRoot), BackupFlags.conf(hadoopConf));
    }
}

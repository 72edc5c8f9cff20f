package io.mysos.dist;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.mesos.MesosFramework;
import io.mysos.actors.mesos.MesosSettings;
import io.mysos.actors.scheduler.SchedulerGuardian;
import io.mysos.http.ApiServer;
import io.mysos.journal.H2Journal;
import io.mysos.journal.JournalSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mysos scheduler}, started: the same actors and API as local mode on the embedded H2
 * journal under the data directory, with the Mesos gateway ({@link MesosFramework}) as the
 * resource side. Nothing runs on this machine: the instances are Mesos tasks.
 */
public final class SchedulerMode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerMode.class);

    /**
     * What {@code mysos scheduler} needs to start; {@code mesos} overrides {@code mysos.mesos.*}. {@code journal}: where events go (default the embedded H2 under the data directory); {@code backupRoot}: the backup
     * store (none: backups are off), which executors reach through MYSOS_BACKUP_ROOT.
     */
    public record Settings(String apiHost, int apiPort, Path dataDir, Path keyFile, Config mesos, LocalSettings.Journal journal,
                           java.util.Optional<java.net.URI> backupRoot, java.util.Optional<Path> hadoopConf) {
        /** On the embedded H2 journal under the data directory, without backups. */
        public Settings(String apiHost, int apiPort, Path dataDir, Path keyFile, Config mesos) {
            this(apiHost, apiPort, dataDir, keyFile, mesos, LocalSettings.Journal.EMBEDDED);
        }

        /** On {@code journal}, without backups. */
        public Settings(String apiHost, int apiPort, Path dataDir, Path keyFile, Config mesos, LocalSettings.Journal journal) {
            this(apiHost, apiPort, dataDir, keyFile, mesos, journal, java.util.Optional.empty(), java.util.Optional.empty());
        }

        /** On the embedded H2 journal, with backups in {@code backupRoot}. */
        public Settings(String apiHost, int apiPort, Path dataDir, Path keyFile, Config mesos,
                        java.util.Optional<java.net.URI> backupRoot, java.util.Optional<Path> hadoopConf) {
            this(apiHost, apiPort, dataDir, keyFile, mesos, LocalSettings.Journal.EMBEDDED, backupRoot, hadoopConf);
        }
    }

    private final ActorSystem<Void> system;
    private final ServerBinding binding;
    private final ExecutorService blocking;
    private final CompletableFuture<String> fatal;

    private SchedulerMode(ActorSystem<Void> system, ServerBinding binding, ExecutorService blocking, CompletableFuture<String> fatal) {
        this.system = system;
        this.binding = binding;
        this.blocking = blocking;
        this.fatal = fatal;
    }

    /** Runs until the process is stopped; returns the exit code. */
    static int run(Settings settings) {
        return run(settings, new EndpointOptions(java.util.List.of(), java.util.Optional.empty()));
    }

    static int run(Settings settings, EndpointOptions endpoints) {
        var signals = StopSignals.install();
        SchedulerMode mode;
        try {
            mode = start(settings, endpoints);
        } catch (LocalMode.StartException e) {
            System.err.println("mysos scheduler: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (signals.received().isPresent()) {
                mode.close();
            }
        }, "mysos-shutdown"));
        System.out.println("Mysos scheduler is up: API on " + mode.binding.localAddress() + ", data in " + settings.dataDir());
        mode.system.getWhenTerminated().toCompletableFuture().join();
        if (signals.received().isPresent()) {
            return 0;  // the JVM is already exiting: the shutdown hook stopped the actors
        }
        // The scheduler stopped itself (a part could not be brought back); the tasks keep running under Mesos.
        System.err.println("mysos scheduler: stopped: " + Optional.ofNullable(mode.fatal.getNow(null)).orElse("the actors stopped"));
        return 3;
    }

    public static SchedulerMode start(Settings settings) throws LocalMode.StartException {
        return start(settings, new EndpointOptions(java.util.List.of(), java.util.Optional.empty()));
    }

    /** With the clusters published as {@code endpoints} says ({@code --zk}); under Mesos no endpoints are served here. */
    public static SchedulerMode start(Settings settings, EndpointOptions endpoints) throws LocalMode.StartException {
        try {
            var dir = settings.dataDir().toAbsolutePath().normalize();
            Files.createDirectories(dir);
            var key = KeyFile.loadOrCreate(settings.keyFile());
            var journal = settings.journal();
            var journalUrl = journal.url().orElseGet(() -> H2Journal.url(dir));
            JournalSchema.createIfMissing(journalUrl, journal.user(), journal.password(), journal.kind());
            DataDirPermissions.ownerOnlyTree(dir.resolve("journal"));
            Config config = settings.mesos().atPath("mysos.mesos")
                    .withFallback(LocalMode.config(journal.kind(), journalUrl, journal.user(), journal.password()));
            config = SchedulerOptions.applyAgentGoneAfter(config);
            if (settings.backupRoot().isPresent()) {
                config = BackupFlags.withBackups(config, settings.backupRoot().get(), settings.hadoopConf());
            }
            var refs = new CompletableFuture<SchedulerGuardian.Refs>();
            var fatal = new CompletableFuture<String>();
            var guardian = SchedulerGuardian.create(MesosFramework.create(MesosSettings.fromConfig(config)),
                    ClusterActor.Settings.fromConfig(config), refs, fatal);
            var system = ActorSystem.create(guardian, "mysos", config);
            var blocking = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(32),
                    new ThreadPoolExecutor.AbortPolicy());
            try {
                var started = refs.get(30, TimeUnit.SECONDS);
                var published = Endpoints.start(system, started.registry(), endpoints);
                system.getWhenTerminated().thenRun(published::close);
                var binding = ApiServer.start(system, started, key, blocking, settings.apiHost(), settings.apiPort(),
                                io.mysos.http.ApiSettings.urlOf(settings.apiHost(), settings.apiPort()), published.directory())
                        .toCompletableFuture().get(30, TimeUnit.SECONDS);
                LOG.info("Mysos scheduler: API on {}, Mesos master {}", binding.localAddress(), config.getString("mysos.mesos.master"));
                return new SchedulerMode(system, binding, blocking, fatal);
            } catch (Exception e) {
                system.terminate();
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
                blocking.shutdown();
                throw new LocalMode.StartException("cannot serve the API on " + settings.apiHost() + ":" + settings.apiPort()
                        + " (" + e + "); choose another --api-port", e);
            }
        } catch (LocalMode.StartException e) {
            throw e;
        } catch (Exception e) {
            // A file that cannot be made says which and why; anything else as before, with its type.
            throw new LocalMode.StartException(LocalMode.onAFile(e) ? LocalMode.rootMessage(e) : e.toString(), e);
        }
    }

    public int apiPort() {
        return binding.localAddress().getPort();
    }

    /** Stops the API and the actors; the tasks keep running under Mesos for the failover timeout. */
    @Override
    public void close() {
        binding.unbind();
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
        blocking.shutdown();
    }

    /** The {@code mysos.mesos} overrides for these values (absent ones keep reference.conf's). */
    public static Config mesosConfig(String master, Optional<String> role, Optional<String> principal, Optional<String> frameworkName,
                              Optional<String> failoverTimeout, Optional<String> user, Optional<String> executorCommand,
                              List<String> executorUris) {
        var config = ConfigFactory.empty().withValue("master", ConfigValueFactory.fromAnyRef(master));
        config = with(config, "role", role);
        config = with(config, "principal", principal);
        config = with(config, "framework-name", frameworkName);
        config = with(config, "failover-timeout", failoverTimeout);
        config = with(config, "user", user);
        config = with(config, "executor-command", executorCommand);
        if (!executorUris.isEmpty()) {
            config = config.withValue("executor-uris", ConfigValueFactory.fromIterable(executorUris));
        }
        return config;
    }

    private static Config with(Config config, String key, Optional<String> value) {
        return value.map(v -> config.withValue(key, ConfigValueFactory.fromAnyRef(v))).orElse(config);
    }
}

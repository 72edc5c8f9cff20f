package io.mysos.dist;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.mysos.actors.scheduler.SchedulerGuardian;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.local.ExecutorTasks;
import io.mysos.actors.local.LocalAgent;
import io.mysos.actors.local.LocalAgentSettings;
import io.mysos.executor.isolation.Isolation;
import io.mysos.executor.mysql.MySqlInstallation;
import io.mysos.executor.mysql.MySqlNotInstalledException;
import io.mysos.http.ApiServer;
import io.mysos.journal.H2Journal;
import io.mysos.journal.JournalKind;
import io.mysos.journal.JournalSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode, started: the actor system on its journal (embedded H2 by default), the local agent offering this
 * machine's resources, and the API. {@link #run} is what {@code mysos local} does; tests start and
 * stop it in-process.
 */
public final class LocalMode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalMode.class);

    private final ActorSystem<Void> system;
    private final ServerBinding binding;
    private final ExecutorService blocking;
    private final InstanceStop instanceStop;
    private final boolean leaveRunning;
    private final CompletableFuture<String> fatal;
    private AutoCloseable endpoints = () -> { };

    private LocalMode(ActorSystem<Void> system, ServerBinding binding, ExecutorService blocking, InstanceStop instanceStop,
                      boolean leaveRunning, CompletableFuture<String> fatal) {
        this.system = system;
        this.binding = binding;
        this.blocking = blocking;
        this.instanceStop = instanceStop;
        this.leaveRunning = leaveRunning;
        this.fatal = fatal;
    }

    /** Runs until the process is stopped; returns the exit code. */
    static int run(LocalSettings settings) {
        return run(settings, EndpointOptions.defaults());
    }

    static int run(LocalSettings settings, EndpointOptions endpointOptions) {
        var signals = StopSignals.install();
        LocalMode mode;
        try {
            mode = start(settings, endpointOptions);
        } catch (StartException e) {
            System.err.println("mysos local: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> mode.onJvmExit(signals.received()), "mysos-shutdown"));
        System.out.println("Mysos local is up: API at " + settings.advertisedUrl() + "/clusters, data in " + settings.dataDir());
        mode.system.getWhenTerminated().toCompletableFuture().join();
        if (signals.received().isPresent()) {
            return 0;  // the JVM is already exiting: the shutdown hook stopped the actors
        }
        // The scheduler stopped itself because a part of it could not be brought back: exit non-zero,
        // so that whatever supervises this process (systemd, Marathon) starts it again. The instances
        // are left running; the next start adopts them.
        System.err.println("mysos local: stopped: " + mode.failure().orElse("the scheduler's actors stopped unexpectedly")
                + "; the instances are left running");
        return 3;
    }

    /** Why the scheduler stopped itself, if it did. */
    public Optional<String> failure() {
        return Optional.ofNullable(fatal.getNow(null));
    }

    /**
     * The JVM is ending. After SIGTERM or Ctrl-C: stop the API and the actors, and the instances
     * too unless {@code --leave-running}. On any other way out (a fatal error, a hangup): touch
     * nothing, so every mysqld keeps serving and the next start adopts it.
     */
    private void onJvmExit(Optional<String> signal) {
        if (signal.isEmpty()) {
            LOG.warn("Mysos is exiting without a stop signal: every instance is left running");
            return;
        }
        LOG.info("{} received: stopping Mysos{}", signal.get(), leaveRunning ? ", leaving the instances running" : " and its instances");
        close();
    }

    public static LocalMode start(LocalSettings settings) throws StartException {
        return start(settings, EndpointOptions.defaults());
    }

    /** Local mode serving each cluster's endpoints on {@code endpointOptions}' ports and publishing it where they say. */
    public static LocalMode start(LocalSettings settings, EndpointOptions endpointOptions) throws StartException {
        MySqlInstallation mysql;
        try {
            // New data directories are copies of one pristine directory made once per server
            // version: a launch takes a fraction of a second instead of a full install run.
            mysql = MySqlInstallation.detect().withTemplatesIn(settings.dataDir().resolve("templates"));
        } catch (MySqlNotInstalledException e) {
            throw new StartException(e.getMessage(), e);
        }
        try {
            Files.createDirectories(settings.dataDir().resolve("instances"));
            DataDirPermissions.ownerOnly(settings.dataDir(), mysql.serverUser());
            var key = KeyFile.loadOrCreate(settings.keyFile());
            var journal = settings.journal();
            var journalUrl = journal.url().orElseGet(() -> H2Journal.url(settings.dataDir()));
            JournalSchema.createIfMissing(journalUrl, journal.user(), journal.password(), journal.kind());
            if (journal.url().isEmpty()) {
                // The journal holds password hashes: owner only, also when an older Mysos made it readable.
                DataDirPermissions.ownerOnlyTree(settings.dataDir().resolve("journal"));
            }
            var config = config(journal.kind(), journalUrl, journal.user(), journal.password());
            config = BackupFlags.withBackups(config, settings.effectiveBackupRoot(), settings.hadoopConf());
            var agent = new LocalAgentSettings(settings.host(), "local", settings.resources(), settings.ports(),
                    settings.dataDir().resolve("instances"), Duration.ofSeconds(1));
            var isolation = isolation(config);
            var refs = new CompletableFuture<SchedulerGuardian.Refs>();
            var fatal = new CompletableFuture<String>();
            var instanceStop = new InstanceStop();
            var guardian = SchedulerGuardian.create(LocalAgent.create(agent, instanceStop.applyTo(ExecutorTasks.factory(mysql, key, isolation,
                    BackupFlags.instanceBackups(settings.effectiveBackupRoot(), settings.hadoopConf(),
                            BackupFlags.archiveInterval("mysos.backup.archive-interval", config.getString("mysos.backup.archive-interval")))))),
                    ClusterActor.Settings.fromConfig(config), refs, fatal);
            var system = ActorSystem.create(guardian, "mysos", config);
            // Hashes new clusters' passwords (slow on purpose): two threads and a bounded queue, so a
            // flood of creates is answered 429 instead of piling up without limit.
            var blocking = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(32),
                    new ThreadPoolExecutor.AbortPolicy());
            Endpoints served = Endpoints.NONE;
            try {
                var started = refs.get(30, TimeUnit.SECONDS);
                served = Endpoints.start(system, started.registry(), settings, endpointOptions);
                var binding = ApiServer.start(system, started, key, blocking, settings.host(), settings.port(),
                        settings.advertisedUrl(), served.directory()).toCompletableFuture().get(30, TimeUnit.SECONDS);
                LOG.info("Mysos local: API on {}, {} offered, mysqld {} {}", binding.localAddress(),
                        settings.resources().describe(), mysql.flavor(), mysql.version());
                var mode = new LocalMode(system, binding, blocking, instanceStop, settings.leaveRunning(), fatal);
                mode.endpoints = served;
                return mode;
            } catch (Exception e) {
                served.close();
                system.terminate();
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
                blocking.shutdown();
                throw new StartException("cannot serve the API on " + settings.host() + ":" + settings.port()
                        + " (" + rootMessage(e) + "); is another Mysos running? Choose another --port", e);
            }
        } catch (StartException e) {
            throw e;
        } catch (Exception e) {
            throw new StartException(rootMessage(e), e);
        }
    }

    public int apiPort() {
        return binding.localAddress().getPort();
    }

    /**
     * An explicit stop: the API and the actors, and each mysqld (cleanly, keeping its data) unless
     * the settings say to leave them running.
     */
    @Override
    public void close() {
        if (!leaveRunning) {
            instanceStop.stopInstancesWithMysos();
        }
        binding.unbind();
        try {
            endpoints.close();
        } catch (Exception e) {
            LOG.warn("Closing the endpoints: {}", e.getMessage());
        }
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
        blocking.shutdown();
    }

    static Config config(String journalUrl) {
        return config(JournalKind.H2, journalUrl, "sa", "");
    }

    static Config config(JournalKind kind, String journalUrl, String user, String password) {
        return ConfigFactory.parseMap(Map.of("mysos.journal.url", journalUrl, "mysos.journal.user", user,
                        "mysos.journal.password", password,
                        // The local agent stops every mysqld before the actor system terminates, up to a minute.
                        "akka.coordinated-shutdown.phases.before-actor-system-terminate.timeout", "70s"))
                .withFallback(ConfigFactory.parseResources(kind.configResource()))
                .withFallback(ConfigFactory.load())
                .resolve();
    }

    /** {@code mysos.local.isolation}: cgroups (the default) or none. */
    static Isolation isolation(Config config) throws StartException {
        try {
            return Isolation.named(config.getString("mysos.local.isolation"));
        } catch (IllegalArgumentException e) {
            throw new StartException("mysos.local.isolation: " + e.getMessage(), e);
        }
    }

    /** Whether {@code e} comes from a file or directory that could not be used. */
    static boolean onAFile(Throwable e) {
        return rootCause(e) instanceof java.nio.file.FileSystemException;
    }

    private static Throwable rootCause(Throwable e) {
        var cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static String rootMessage(Throwable e) {
        var cause = rootCause(e);
        if (cause instanceof java.nio.file.FileSystemException fs) {
            // Its message is often the bare path (NoSuchFileException, AccessDeniedException): say what went wrong with it.
            return "cannot use " + fs.getFile() + (fs.getOtherFile() == null ? "" : " or " + fs.getOtherFile()) + ": " + fileProblem(fs);
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private static String fileProblem(java.nio.file.FileSystemException e) {
        if (e.getReason() != null) {
            return e.getReason();
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory (is the directory above it there?)";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "something else of that name is in the way";
        }
        return e.getClass().getSimpleName();
    }

    /** Local mode could not start; the message says what to do. */
    public static final class StartException extends Exception {
        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

package io.mysos.dist;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.ServerBinding;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.mysos.actors.SchedulerGuardian;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.local.ExecutorTasks;
import io.mysos.actors.local.LocalAgent;
import io.mysos.actors.local.LocalAgentSettings;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode, started: the actor system on the embedded H2 journal, the local agent offering this
 * machine's resources, and the API. {@link #run} is what {@code mysos local} does; tests start and
 * stop it in-process.
 */
public final class LocalMode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalMode.class);

    private final ActorSystem<Void> system;
    private final ServerBinding binding;
    private final ExecutorService blocking;

    private LocalMode(ActorSystem<Void> system, ServerBinding binding, ExecutorService blocking) {
        this.system = system;
        this.binding = binding;
        this.blocking = blocking;
    }

    /** Runs until the process is stopped; returns the exit code. */
    static int run(LocalSettings settings) {
        LocalMode mode;
        try {
            mode = start(settings);
        } catch (StartException e) {
            System.err.println("mysos local: " + e.getMessage());
            return 1;
        }
        // On SIGTERM or Ctrl-C: stop the API and the actors; the local agent stops each mysqld cleanly.
        Runtime.getRuntime().addShutdownHook(new Thread(mode::close, "mysos-shutdown"));
        System.out.println("Mysos local is up: API at http://" + settings.host() + ":" + settings.port()
                + "/clusters, data in " + settings.dataDir());
        mode.system.getWhenTerminated().toCompletableFuture().join();
        return 0;
    }

    public static LocalMode start(LocalSettings settings) throws StartException {
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
            var key = KeyFile.loadOrCreate(settings.keyFile());
            var journalUrl = H2Journal.url(settings.dataDir());
            JournalSchema.createIfMissing(journalUrl, "sa", "", JournalKind.H2);
            var config = config(journalUrl);
            var agent = new LocalAgentSettings(settings.host(), "local", settings.resources(), settings.ports(),
                    settings.dataDir().resolve("instances"), Duration.ofSeconds(1));
            var refs = new CompletableFuture<SchedulerGuardian.Refs>();
            var guardian = SchedulerGuardian.create(LocalAgent.create(agent, ExecutorTasks.factory(mysql, key)),
                    ClusterActor.Settings.fromConfig(config), refs);
            var system = ActorSystem.create(guardian, "mysos", config);
            var blocking = Executors.newFixedThreadPool(2);
            try {
                var binding = ApiServer.start(system, refs.get(30, TimeUnit.SECONDS), key, blocking, settings.host(), settings.port())
                        .toCompletableFuture().get(30, TimeUnit.SECONDS);
                LOG.info("Mysos local: API on {}, {} offered, mysqld {} {}", binding.localAddress(),
                        settings.resources().describe(), mysql.flavor(), mysql.version());
                return new LocalMode(system, binding, blocking);
            } catch (Exception e) {
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

    /** Stops the API and the actors; the local agent stops its mysqld processes, keeping their data. */
    @Override
    public void close() {
        binding.unbind();
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
        blocking.shutdown();
    }

    static Config config(String journalUrl) {
        return ConfigFactory.parseMap(Map.of("mysos.journal.url", journalUrl))
                .withFallback(ConfigFactory.parseResources(JournalKind.H2.configResource()))
                .withFallback(ConfigFactory.load())
                .resolve();
    }

    private static String rootMessage(Throwable e) {
        var cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    /** Local mode could not start; the message says what to do. */
    public static final class StartException extends Exception {
        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

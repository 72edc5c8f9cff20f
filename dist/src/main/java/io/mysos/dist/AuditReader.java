package io.mysos.dist;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import io.mysos.actors.audit.AuditJournal;
import io.mysos.actors.audit.ClusterHistory;
import io.mysos.actors.audit.EventFields;
import io.mysos.core.InvalidInputException;
import io.mysos.journal.H2Journal;
import io.mysos.journal.JournalKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The journal opened for reading only, with no scheduler: an actor system that runs nothing but
 * Persistence Query. H2 is one process's file: while {@code mysos local} or {@code mysos scheduler}
 * holds it, opening fails with a message saying so (H2's AUTO_SERVER would let both in, but it
 * serves the file, password hashes included, on a TCP port of every interface).
 */
final class AuditReader implements AutoCloseable {
    /** H2's "Database may be already in use". */
    static final int H2_LOCKED = 90020;
    private static final Duration WAIT = Duration.ofMinutes(5);

    private final ActorSystem<Void> system;
    private final AuditJournal journal;
    private final EventFields fields;

    private AuditReader(ActorSystem<Void> system) {
        this.system = system;
        this.journal = new AuditJournal(system);
        this.fields = new EventFields(system);
    }

    /** Opens {@code journal}, or the H2 file under {@code dataDir} when it is the embedded one. */
    static AuditReader open(LocalSettings.Journal journal, Path dataDir) {
        String url;
        if (journal.url().isEmpty()) {
            var file = dataDir.toAbsolutePath().normalize().resolve("journal").resolve("mysos.mv.db");
            if (!Files.isRegularFile(file)) {
                throw new InvalidInputException("no journal at " + file + ": give the data directory of mysos local "
                        + "(--data-dir) or the journal's url (--journal)");
            }
            url = H2Journal.url(dataDir);
        } else {
            url = journal.url().get();
        }
        if (journal.kind() == JournalKind.H2) {
            // Reading must not create an empty database at a mistyped path.
            url = url + ";IFEXISTS=TRUE";
        }
        preflight(journal.kind(), url, journal.user(), journal.password());
        var config = ConfigFactory.parseMap(Map.of("akka.loglevel", "ERROR", "akka.stdout-loglevel", "OFF",
                        "mysos.journal.pool-size", "2", "akka.coordinated-shutdown.run-by-jvm-shutdown-hook", "off"))
                .withFallback(LocalMode.config(journal.kind(), url, journal.user(), journal.password()));
        return new AuditReader(ActorSystem.create(Behaviors.empty(), "mysos-audit", config));
    }

    /** One plain connection first, so that a journal in use or out of reach fails with a sentence, not a stack of Akka's. */
    private static void preflight(JournalKind kind, String url, String user, String password) {
        try (var connection = DriverManager.getConnection(url, user, password)) {
            connection.isValid(5);
        } catch (SQLException e) {
            if (kind == JournalKind.H2 && e.getErrorCode() == H2_LOCKED) {
                throw new InvalidInputException("the H2 journal is in use by a running mysos local or mysos scheduler "
                        + "(H2 lets one process open it): stop it first (Ctrl-C or SIGTERM; its instances keep their data), "
                        + "or ask the running scheduler: curl http://127.0.0.1:55001/clusters/NAME/events");
            }
            throw new InvalidInputException("cannot open the " + kind.id() + " journal as '" + user + "': " + e.getMessage());
        }
    }

    List<String> clusterNames() {
        return await(journal.clusterNames());
    }

    ClusterHistory history(String cluster) {
        return await(journal.history(cluster));
    }

    EventFields fields() {
        return fields;
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            var cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("reading the journal failed: " + cause.getMessage(), cause);
        }
    }

    @Override
    public void close() {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Nothing is written: an unfinished stop loses nothing.
        }
    }
}

package io.mysos.it.journal;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.http.javadsl.Http;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.password.PasswordHash;
import io.mysos.core.password.SealedSecret;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import io.mysos.http.ApiSettings;
import io.mysos.http.AuditRoutes;
import io.mysos.journal.JournalKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The journal over a long history, on H2 and PostgreSQL. Not a test: run it with
 * {@code bin/bench audit [events] [clusters] [journals] [writes]} (defaults 100000, 1000,
 * h2,postgres, 5000). Prints: the write throughput of one cluster actor ({@code writes} status
 * changes, each its own persist, as the actor writes them); the H2 file's size per event; how long a new scheduler takes from start to showing a
 * cluster with that many events (snapshots: p50/p95 of 5 starts); {@code GET /clusters/{name}/events}
 * latency on it (p50/p95 of 20); and how long a new scheduler takes to list {@code clusters}
 * clusters of 100 events each, complete (p50/p95 of 3 starts).
 */
public final class AuditBenchmark {
    private static final String BIG = "big";

    private AuditBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int clusters = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        var journals = List.of((args.length > 2 ? args[2] : "h2,postgres").split(","));
        int throughput = args.length > 3 ? Integer.parseInt(args[3]) : 5000;
        for (var kind : journals) {
            System.out.printf("== %s ==%n", kind);
            var dir = Files.createTempDirectory("mysos-bench-audit-");
            try {
                try (var journal = scratch(kind, dir.resolve("one"))) {
                    oneLongHistory(journal, dir.resolve("one"), events, throughput);
                }
                try (var journal = scratch(kind, dir.resolve("many"))) {
                    manyClusters(journal, clusters, 100);
                }
            } finally {
                try (var paths = Files.walk(dir)) {
                    paths.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        System.exit(0);
    }

    private static ScratchJournal scratch(String kind, Path dir) throws Exception {
        return switch (JournalKind.parse(kind)) {
            case H2 -> ScratchJournal.h2(dir);
            case POSTGRES -> ScratchJournal.postgres();
            case MYSQL -> ScratchJournal.mariadb();
        };
    }

    // ---------------------------------------------------------------- one cluster, a long history

    private static void oneLongHistory(ScratchJournal journal, Path dataDir, int events, int throughputEvents) throws Exception {
        var pid = ClusterActor.persistenceId(BIG).id();
        // The history up to its last event, written in batches; the cluster actor itself writes the
        // last one, and with it (a multiple of 200) its snapshot, as it would after a long life.
        fill(journal, List.of(BIG), events - 1);
        var node = new ClusterDriver.Node(TaskId.of(BIG, 1), "127.0.0.1", 31001);
        try (var driver = ClusterDriver.start("bench-write", journal.config())) {
            long replay = System.nanoTime();
            awaitView(driver, BIG);
            System.out.printf("first recovery of %d events written without snapshots: %.1f s%n", events - 1,
                    (System.nanoTime() - replay) / 1e9);
            driver.status(node, TaskState.RUNNING, "last of the long history");
            long base = events;
            while (highestSeq(journal, pid) < base) {
                Thread.sleep(5);
            }
            long start = System.nanoTime();
            int window = 2000; // under the actor's stash capacity (4096): a persist holds back what comes meanwhile
            for (int sent = 0; sent < throughputEvents; ) {
                int batch = Math.min(window, throughputEvents - sent);
                for (int i = 1; i <= batch; i++) {
                    driver.status(node, TaskState.RUNNING, "tick " + (sent + i));
                }
                sent += batch;
                while (highestSeq(journal, pid) < base + sent) {
                    Thread.sleep(5);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("journal write throughput, one cluster actor (a persist per event): %d events in %.1f s = %.0f events/s%n",
                    throughputEvents, seconds, throughputEvents / seconds);
            var file = dataDir.resolve("journal/mysos.mv.db");
            if (Files.exists(file)) {
                long size = Files.size(file);
                long all = highestSeq(journal, null);
                System.out.printf("H2 file while running: %.1f MB for %d events = %d bytes/event (event payload %d bytes)%n",
                        size / 1e6, all, size / all, payloadPerEvent(journal));
            }
        }
        events += throughputEvents;
        actorRecovery(journal, events);
        var starts = new ArrayList<Double>();
        for (int run = 0; run < 4; run++) {
            long start = System.nanoTime();
            try (var driver = ClusterDriver.start("bench-recover-" + run, journal.config())) {
                driver.view(BIG).orElseThrow();
                if (run > 0) { // the first start warms the JIT and the database's caches
                    starts.add((System.nanoTime() - start) / 1e6);
                }
                if (run == 3) {
                    latencies(driver.kit());
                }
            }
        }
        System.out.printf("new ActorSystem to the cluster of %d events shown (system start, registry and cluster recovery): "
                + "p50 %.0f ms, p95 %.0f ms%n", events, percentile(starts, 50), percentile(starts, 95));
    }

    /** Asks again while a recovery without snapshots takes longer than one ask may wait. */
    private static void awaitView(ClusterDriver driver, String name) {
        for (int attempt = 0; ; attempt++) {
            try {
                driver.view(name).orElseThrow();
                return;
            } catch (AssertionError e) {
                if (attempt == 40) {
                    throw e;
                }
            }
        }
    }

    /** The cluster actor alone: spawned on a running system, until it answers its first question (recovery from its snapshot). */
    private static void actorRecovery(ScratchJournal journal, int events) {
        var kit = ActorTestKit.create("bench-actor-recovery", journal.config());
        try {
            var peers = new ClusterActor.Peers(kit.<ClusterRegistry.Command>createTestProbe().ref(),
                    kit.<io.mysos.actors.offer.OfferRouter.Command>createTestProbe().ref(),
                    kit.<io.mysos.actors.resource.ResourceSide.Command>createTestProbe().ref());
            var never = Duration.ofHours(1);
            var settings = new ClusterActor.Settings(never, never, never, never, java.time.Clock.systemUTC());
            var times = new ArrayList<Double>();
            for (int run = 0; run < 11; run++) {
                var probe = kit.<Optional<io.mysos.actors.cluster.ClusterView>>createTestProbe();
                long start = System.nanoTime();
                var actor = kit.spawn(ClusterActor.create(BIG, peers, settings), "big-" + run);
                actor.tell(new ClusterActor.GetView(probe.ref()));
                probe.receiveMessage(Duration.ofMinutes(2)).orElseThrow();
                if (run > 0) {
                    times.add((System.nanoTime() - start) / 1e6);
                }
                kit.stop(actor);
            }
            System.out.printf("cluster actor recovery, %d events (snapshot every 200): p50 %.0f ms, p95 %.0f ms%n", events,
                    percentile(times, 50), percentile(times, 95));
        } finally {
            kit.shutdownTestKit();
        }
    }

    private static void latencies(ActorTestKit kit) throws Exception {
        var system = kit.system();
        var binding = Http.get(system).newServerAt("127.0.0.1", 0)
                .bind(new AuditRoutes(system, ApiSettings.fromConfig(system.settings().config(), URI.create("http://127.0.0.1"))).route())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        var api = "http://127.0.0.1:" + binding.localAddress().getPort();
        var client = HttpClient.newHttpClient();
        for (var path : List.of("/clusters/big/events?limit=100", "/clusters/big/events?from_seq=99000&limit=100",
                "/clusters/big/events?type=TaskStateChanged&limit=100", "/events?after=0&limit=100")) {
            var times = new ArrayList<Double>();
            double first = 0;
            for (int i = 0; i < 21; i++) {
                long start = System.nanoTime();
                var response = client.send(HttpRequest.newBuilder(URI.create(api + path)).build(), HttpResponse.BodyHandlers.ofString());
                double ms = (System.nanoTime() - start) / 1e6;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(path + ": " + response.statusCode() + " " + response.body());
                }
                if (i == 0) {
                    first = ms;
                } else {
                    times.add(ms);
                }
            }
            System.out.printf("GET %-48s first %.0f ms, then p50 %.0f ms, p95 %.0f ms%n", path, first, percentile(times, 50),
                    percentile(times, 95));
        }
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- many clusters

    private static void manyClusters(ScratchJournal journal, int clusters, int eventsEach) throws Exception {
        var names = new ArrayList<String>();
        for (int c = 0; c < clusters; c++) {
            names.add("c" + c);
        }
        long filling = System.nanoTime();
        fill(journal, names, eventsEach);
        System.out.printf("filled %d clusters x %d events in %.1f s%n", clusters, eventsEach, (System.nanoTime() - filling) / 1e9);
        var lists = new ArrayList<Double>();
        for (int run = 0; run < 4; run++) { // the first start warms the JIT and the database's caches
            long start = System.nanoTime();
            try (var driver = ClusterDriver.start("bench-list-" + run, journal.config())) {
                while (driver.list().size() < clusters) {
                    Thread.sleep(20);
                }
                if (run > 0) {
                    lists.add((System.nanoTime() - start) / 1e6);
                }
            }
        }
        System.out.printf("start to GET /clusters listing all %d clusters of %d events: p50 %.0f ms, p95 %.0f ms%n",
                clusters, eventsEach, percentile(lists, 50), percentile(lists, 95));
    }

    /** Registers each cluster and writes its history: created with one instance, running, master, then status messages. */
    private static void fill(ScratchJournal journal, List<String> names, int eventsEach) throws Exception {
        var kit = ActorTestKit.create("bench-fill", journal.config());
        try {
            var secrets = new ClusterSecrets(new PasswordHash("pbkdf2-sha256", 1, "c2FsdA==", "aGFzaA=="),
                    new SealedSecret("bm9uY2U=", "Y2lwaGVy"), new SealedSecret("bm9uY2U=", "Y2lwaGVy"));
            var registered = new ArrayList<Object>();
            var pending = new ArrayList<java.util.concurrent.CompletionStage<Done>>();
            for (int c = 0; c < names.size(); c++) {
                var name = names.get(c);
                var at = Instant.parse("2026-12-01T06:00:00Z").plusSeconds(c);
                var spec = new ClusterSpec(name, "app", 1, Resources.DEFAULT_INSTANCE, Optional.empty(), false);
                registered.add(new ClusterRegistry.ClusterRegistered(spec, secrets, at));
                var task = TaskId.of(name, 1);
                var writer = kit.spawn(JournalWriter.create(ClusterActor.persistenceId(name), "cluster"));
                var batch = new ArrayList<Object>(List.of(new ClusterEvent.ClusterCreated(spec, secrets, at),
                        new ClusterEvent.ReplicaAdded(task, "local", "127.0.0.1", 31001, Resources.DEFAULT_INSTANCE),
                        new ClusterEvent.TaskStateChanged(task, TaskState.RUNNING, "up", at),
                        new ClusterEvent.MasterElected(0, task, Map.of())));
                for (int written = 0; written < eventsEach; ) {
                    while (batch.size() < 1000 && written + batch.size() < eventsEach) {
                        batch.add(new ClusterEvent.TaskStateChanged(task, TaskState.RUNNING, "tick " + (written + batch.size()), at));
                    }
                    var events = List.copyOf(batch);
                    written += events.size();
                    batch.clear();
                    pending.add(akka.actor.typed.javadsl.AskPattern.ask(writer, r -> new JournalWriter.Write(events, r),
                            Duration.ofMinutes(10), kit.scheduler()));
                }
                // A few clusters at a time: a thousand writes at once wait on the pool past the journal's 10 s breaker.
                if (pending.size() >= 16) {
                    for (var p : pending) {
                        p.toCompletableFuture().get(10, TimeUnit.MINUTES);
                    }
                    pending.clear();
                }
            }
            var registry = kit.spawn(JournalWriter.create(ClusterRegistry.PERSISTENCE_ID, "registry"));
            pending.add(akka.actor.typed.javadsl.AskPattern.ask(registry, r -> new JournalWriter.Write(registered, r),
                    Duration.ofMinutes(10), kit.scheduler()));
            for (var p : pending) {
                p.toCompletableFuture().get(10, TimeUnit.MINUTES);
            }
        } finally {
            kit.shutdownTestKit();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The highest sequence number of {@code pid}, or the number of events of all when {@code pid} is null. */
    private static long highestSeq(ScratchJournal journal, String pid) throws Exception {
        try (var connection = DriverManager.getConnection(journal.url(), journal.user(), journal.password());
             var statement = connection.prepareStatement(pid == null ? "SELECT COUNT(*) FROM event_journal"
                     : "SELECT COALESCE(MAX(sequence_number), 0) FROM event_journal WHERE persistence_id = ?")) {
            if (pid != null) {
                statement.setString(1, pid);
            }
            try (var rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long payloadPerEvent(ScratchJournal journal) throws Exception {
        try (var connection = DriverManager.getConnection(journal.url(), journal.user(), journal.password());
             var rs = connection.createStatement().executeQuery("SELECT AVG(LENGTH(event_payload)) FROM event_journal")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double percentile(List<Double> values, int p) {
        var sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}

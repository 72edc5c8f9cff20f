package io.mysos.it.local;

import static io.mysos.it.local.Api.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.dist.LocalSettings;
import io.mysos.journal.JournalKind;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The journal goes away: a PostgreSQL journal (a private server, so the shared one stays up) is
 * stopped at once while a cluster is being created and another fails over, then started again.
 * Meanwhile every request answers (503 with a JSON error, never a 500 or a hang); afterwards no
 * acknowledged create is lost and every cluster converges, with its data.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JournalOutageTest {
    private static final Duration READY = Duration.ofSeconds(90);
    private static final Duration CONVERGE = Duration.ofSeconds(180);

    @Test
    void requestsAnswer503WhileTheJournalIsAwayAndEverythingConvergesWhenItIsBack() throws Exception {
        assertTrue(PostgresServer.installed(), "PostgreSQL server programs are not installed: run bin/test, which installs them");
        var dataDir = Files.createTempDirectory("mysos-it-outage-");
        try (var pg = PostgresServer.start();
             var stack = LocalStack.startInProcess(dataDir,
                     new LocalSettings.Journal(JournalKind.POSTGRES, Optional.of(pg.url()), pg.user(), ""))) {
            var api = stack.api();
            var password = api.create("ha", form("cluster_user", "app", "num_nodes", "2"));
            var cluster = api.awaitCluster("ha", READY, c -> "RUNNING".equals(c.path("state").asText())
                    && c.path("replicas").size() == 1 && "RUNNING".equals(c.path("replicas").get(0).path("state").asText()));
            var master = cluster.path("master");
            Sql.execute(master, "app", password, "CREATE DATABASE shop",
                    "CREATE TABLE shop.orders (id BIGINT PRIMARY KEY)", "INSERT INTO shop.orders VALUES (1)");
            Sql.awaitIds(cluster.path("replicas").get(0), "app", password, "shop.orders", List.of(1L), Duration.ofSeconds(20));

            // A cluster acknowledged and still being created (its instances placed and started), a create in
            // flight, the master of the other killed (a failover starts), and the journal gone, all at once.
            var ackedPassword = api.create("acked", form("cluster_user", "app", "num_nodes", "2"));
            var racing = CompletableFuture.supplyAsync(() -> api.post("/clusters/racing", form("cluster_user", "app")));
            FailoverTest.killMysqld(dataDir, master.path("task_id").asText());
            pg.stopServer();
            long stoppedAt = System.nanoTime();
            var raced = racing.get(60, TimeUnit.SECONDS);
            assertAnswered(raced, "the create racing the outage");

            var answers = new ArrayList<String>(List.of(String.format("%-22s %d: %s", "POST /clusters/racing", raced.status(),
                    raced.status() == 200 ? "acknowledged" : raced.error())));
            var during = timed(() -> api.post("/clusters/during", form("cluster_user", "app")), answers, "POST /clusters/during");
            assertEquals(503, during.status(), during.toString());
            assertFalse(during.error().isBlank(), "a JSON error says why: " + during);
            var shown = timed(() -> api.get("/clusters/ha"), answers, "GET /clusters/ha");
            assertAnswered(shown, "GET during the outage");
            var listed = timed(() -> api.get("/clusters"), answers, "GET /clusters");
            assertAnswered(listed, "GET /clusters during the outage");
            var resized = timed(() -> api.patch("/clusters/ha", form("password", password, "num_nodes", "3")), answers, "PATCH /clusters/ha");
            assertAnswered(resized, "PATCH during the outage");
            var health = timed(() -> api.get("/health"), answers, "GET /health");
            assertEquals(200, health.status(), "resources stay connected: " + health);
            System.out.printf("journal outage: answers while PostgreSQL was stopped (%.1f s after the stop):%n  %s%n",
                    (System.nanoTime() - stoppedAt) / 1e9, String.join("\n  ", answers));

            pg.startServer();
            long restartedAt = System.nanoTime();
            if (raced.status() == 200 || raced.error().contains("will be created")) {
                api.awaitRunning("racing", CONVERGE);
            }
            var acked = api.awaitRunning("acked", CONVERGE);
            Sql.execute(acked.path("master"), "app", ackedPassword, "CREATE DATABASE IF NOT EXISTS probe");
            var healed = api.awaitCluster("ha", CONVERGE, c -> "RUNNING".equals(c.path("state").asText())
                    && !c.path("master").isNull() && c.path("replicas").size() >= 1);
            var newMaster = api.awaitNewWritableMaster("ha", password, "none", CONVERGE);
            assertTrue(Sql.ids(newMaster, "app", password, "shop.orders").contains(1L), "the acknowledged row survived");
            Sql.execute(newMaster, "app", password, "INSERT INTO shop.orders VALUES (2)");
            System.out.printf("journal outage: every cluster RUNNING %.1f s after PostgreSQL was back (ha: master %s, epoch %d)%n",
                    (System.nanoTime() - restartedAt) / 1e9, healed.path("master").path("task_id").asText(), healed.path("epoch").asInt());

            // What was refused with "will be created when the journal answers" is created; nothing else appears.
            var names = new ArrayList<String>();
            api.get("/clusters").body().path("clusters").forEach(c -> names.add(c.path("name").asText()));
            assertTrue(names.contains("ha") && names.contains("acked"), "no acknowledged create is lost: " + names);
            if (raced.status() == 200) {
                assertTrue(names.contains("racing"), "an acknowledged create is never lost: " + names);
            }
            for (var refused : List.of(raced, during)) {
                var name = refused == raced ? "racing" : "during";
                if (refused.status() == 503 && refused.error().contains("will be created")) {
                    api.awaitRunning(name, CONVERGE);
                } else if (refused.status() == 503) {
                    assertEquals(404, api.get("/clusters/" + name).status(), "a create answered 'did not answer in time' never appears");
                }
            }
        } finally {
            Processes.removeDataDir(dataDir);
        }
    }

    /** Either served or refused with 503 and a JSON error: never a 500, never without an answer. */
    private static void assertAnswered(Api.Answer answer, String what) {
        assertTrue(answer.status() < 500 || answer.status() == 503, what + " answered " + answer);
        if (answer.status() >= 400) {
            assertFalse(answer.error().isBlank(), what + " has a JSON error: " + answer);
        }
    }

    private static Api.Answer timed(java.util.function.Supplier<Api.Answer> request, List<String> log, String what) {
        long start = System.nanoTime();
        var answer = request.get();
        log.add(String.format("%-22s %d in %5.1f s: %s", what, answer.status(), (System.nanoTime() - start) / 1e9,
                answer.status() == 200 ? "" : answer.error()));
        return answer;
    }
}

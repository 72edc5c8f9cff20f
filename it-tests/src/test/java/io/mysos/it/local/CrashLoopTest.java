package io.mysos.it.local;

import static io.mysos.it.local.Api.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mysos.executor.mysql.SandboxLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real crash loop: the master purged the binary logs a new replica needs, so every replacement
 * stops replicating with error 1236 moments after it starts. Mysos backs off instead of replacing
 * it every second or so for ever, says why in the cluster's reason, removes the failed replicas'
 * sandboxes, and leaves nothing of the cluster behind after a delete.
 */
class CrashLoopTest {
    private static final Duration READY = Duration.ofSeconds(90);
    private static Path dataDir;
    private static LocalStack stack;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("mysos-crashloop-");
        // Seeded from a copy, a replacement would not need the purged binary logs (BackupTest shows it): this test wants the loop.
        System.setProperty("mysos.backup.seed", "off");
        com.typesafe.config.ConfigFactory.invalidateCaches();
        stack = LocalStack.startInProcess(dataDir);
        api = stack.api();
    }

    @AfterAll
    static void stop() throws Exception {
        LocalStack.closeAndRemove(stack, dataDir);
        System.clearProperty("mysos.backup.seed");
        com.typesafe.config.ConfigFactory.invalidateCaches();
    }

    /** The cluster's sandboxes under the instances directory. */
    private static Set<String> sandboxes(String cluster) throws IOException {
        var instances = dataDir.resolve("instances");
        if (!Files.isDirectory(instances)) {
            return Set.of();
        }
        try (var dirs = Files.list(instances)) {
            return dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("mysos-" + cluster + "-"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The replicas that ended on their own, as {@code GET} lists them under {@code ended}. */
    private static List<JsonNode> failedReplicas(JsonNode cluster) {
        var failed = new ArrayList<JsonNode>();
        cluster.path("ended").forEach(r -> {
            var state = r.path("state").asText();
            if (state.equals("FAILED") || state.equals("LOST")) {
                failed.add(r);
            }
        });
        return failed;
    }

    /** Runs SQL as root over the instance's socket (root logs in only that way, as this OS user). */
    private static String asRoot(String task, String sql) throws Exception {
        var socket = SandboxLayout.of(dataDir.resolve("instances").resolve(task)).socket();
        var process = new ProcessBuilder("mariadb", "--no-defaults", "--socket=" + socket, "-u", "root", "-N", "-B", "-e", sql)
                .redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the client finished");
        assertEquals(0, process.exitValue(), "as root on " + task + ": " + sql + " -> " + output);
        return output;
    }

    /** Purges every binary log of the master but the current one: a replica starting from nothing cannot catch up. */
    private static void purgeBinaryLogs(String master) throws Exception {
        asRoot(master, "FLUSH BINARY LOGS");
        var deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            // A file still being sent to the replica is kept; it moves on to the new file at once.
            asRoot(master, "PURGE BINARY LOGS BEFORE NOW()");
            if (asRoot(master, "SHOW BINARY LOGS").strip().lines().count() == 1) {
                return;
            }
            Api.sleep(200);
        }
        throw new AssertionError("the master kept more than one binary log: " + asRoot(master, "SHOW BINARY LOGS"));
    }

    @Test
    void aReplicaThatCannotCatchUpIsReplacedWithBackoffAndLeavesNoSandboxes() throws Exception {
        var password = api.create("loop", form("cluster_user", "app", "num_nodes", "2"));
        var cluster = api.awaitRunning("loop", READY);
        var master = cluster.path("master").path("task_id").asText();
        var replica = cluster.path("replicas").get(0).path("task_id").asText();
        Sql.execute(cluster.path("master"), "app", password, "CREATE DATABASE shop",
                "CREATE TABLE shop.writes (id BIGINT PRIMARY KEY)", "INSERT INTO shop.writes VALUES (1), (2), (3)");
        Sql.awaitIds(cluster.path("replicas").get(0), "app", password, "shop.writes", List.of(1L, 2L, 3L), READY);
        purgeBinaryLogs(master);

        FailoverTest.killMysqld(dataDir, replica);
        long killed = System.nanoTime();
        // Each replacement starts and breaks within a second or two: without a back-off, ~13 of them in 20 s.
        var held = api.awaitCluster("loop", Duration.ofSeconds(60), c -> c.path("reason").asText().contains("next try in"));
        var reason = held.path("reason").asText();
        assertTrue(reason.matches("replica failed \\d+ times with 'FAILED: replication broke: .*1236.*'; next try in \\d+s"), reason);
        assertNotEquals("RUNNING", held.path("state").asText(), "a cluster missing a replica is not RUNNING");
        assertEquals("DEGRADED", held.path("state").asText());

        // While the back-off holds, only the master's sandbox is left: the failed replicas' ones are gone.
        var deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!sandboxes("loop").equals(Set.of(master)) && System.nanoTime() < deadline) {
            Api.sleep(100);
        }
        assertEquals(Set.of(master), sandboxes("loop"), "the failed replicas' sandboxes are removed");

        var sinceKill = Duration.ofNanos(System.nanoTime() - killed);
        if (sinceKill.compareTo(Duration.ofSeconds(20)) < 0) {
            Api.sleep(Duration.ofSeconds(20).minus(sinceKill).toMillis());
        }
        cluster = api.get("/clusters/loop").body();
        var failed = failedReplicas(cluster);
        // The killed replica, then replacements at once, after 5 s and 10 s (the next one waits 20 s).
        assertTrue(failed.size() <= 5, "a handful of failed replicas in 20 s, not " + failed.size() + ": " + cluster);
        assertTrue(failed.size() >= 3, "the loop did run: " + cluster);
        assertTrue(sandboxes("loop").size() <= 2, "at most the master and one replacement starting: " + sandboxes("loop"));
        var mysqlds = Processes.mysqldUnder(dataDir.resolve("instances"));
        assertTrue(mysqlds.size() <= 2, "no mysqld of a failed replica runs on: " + mysqlds.size());
        Sql.execute(cluster.path("master"), "app", password, "INSERT INTO shop.writes VALUES (4)");

        assertEquals(200, api.delete("/clusters/loop", form("password", password)).status());
        api.awaitGone("loop", READY);
        deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!sandboxes("loop").isEmpty() && System.nanoTime() < deadline) {
            Api.sleep(100);
        }
        assertEquals(Set.of(), sandboxes("loop"), "nothing of a deleted cluster is left under the instances directory");
        assertTrue(Processes.mysqldUnder(dataDir.resolve("instances")).isEmpty(), "no mysqld of it runs");
    }
}

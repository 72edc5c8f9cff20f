package io.mysos.it.local;

import static io.mysos.it.local.Api.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Failover, switchover and scaling of real clusters through the API, with a writer that counts what was acknowledged. */
class FailoverTest {
    private static final Duration READY = Duration.ofSeconds(90);
    @RegisterExtension
    static final LocalStackPerClass local = new LocalStackPerClass("mysos-failover-");

    static List<JsonNode> instances(JsonNode cluster) {
        var all = new ArrayList<JsonNode>();
        all.add(cluster.path("master"));
        cluster.path("replicas").forEach(r -> {
            if ("RUNNING".equals(r.path("state").asText())) {
                all.add(r);
            }
        });
        return all;
    }

    /**
     * After five failovers: {@code replicas} holds the two live replicas only (never an ended one,
     * whose port a live instance may have taken), each in sync; the five old masters are in
     * {@code ended}, newest first, with their final state and when they ended.
     */
    private static void assertOnlyLiveInstancesInReplicasAndTheOldMastersEnded(JsonNode cluster) {
        var replicas = cluster.path("replicas");
        assertEquals(2, replicas.size(), cluster.toString());
        var masterPort = cluster.path("master").path("port").asInt();
        replicas.forEach(r -> {
            assertEquals("RUNNING", r.path("state").asText(), cluster.toString());
            assertEquals("replica", r.path("role").asText());
            assertFalse(r.path("catching_up").asBoolean(), cluster.toString());
            assertNotEquals(masterPort, r.path("port").asInt(), "a replica listed on the master's port: " + cluster);
        });
        var ended = cluster.path("ended");
        assertEquals(5, ended.size(), cluster.toString());
        var times = new ArrayList<java.time.Instant>();
        ended.forEach(e -> {
            assertEquals("FAILED", e.path("state").asText(), cluster.toString());
            times.add(java.time.Instant.parse(e.path("at").asText()));
        });
        var newestFirst = new ArrayList<>(times);
        newestFirst.sort(java.util.Comparator.reverseOrder());
        assertEquals(newestFirst, times, "ended instances are newest first");
        assertEquals(cluster.path("last_failover").path("from").asText(), ended.get(0).path("task_id").asText());
    }

    /** kill -9 of the mysqld of {@code task}. */
    static void killMysqld(Path dataDir, String task) {
        var processes = Processes.mysqldUnder(dataDir.resolve("instances").resolve(task));
        assertEquals(1, processes.size(), "one mysqld runs for " + task);
        processes.get(0).destroyForcibly();
    }

    private static void assertEveryAcknowledgedRowEverywhere(JsonNode cluster, String password, List<Long> acknowledged)
            throws Exception {
        for (var instance : instances(cluster)) {
            var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<Long> rows = List.of();
            while (System.nanoTime() < deadline) {
                rows = Sql.ids(instance, "app", password, "shop.writes");
                if (new HashSet<>(rows).containsAll(acknowledged)) {
                    break;
                }
                Api.sleep(100);
            }
            var missing = new ArrayList<>(acknowledged);
            missing.removeAll(new HashSet<>(rows));
            assertEquals(List.of(), missing, "acknowledged rows missing on " + instance);
        }
    }

    @Test
    void fiveFailoversInARowLoseNoAcknowledgedWrite() throws Exception {
        var password = local.api().create("ha", form("cluster_user", "app", "num_nodes", "3"));
        var cluster = local.api().awaitRunning("ha", READY);
        assertTrue(cluster.path("semi_sync").asBoolean(), "semi-sync is on by default for 3 nodes");
        try (var writer = new Writer(local.api(), "ha", password)) {
            for (int round = 1; round <= 5; round++) {
                writer.awaitProgress(20);
                var old = cluster.path("master").path("task_id").asText();
                killMysqld(local.dataDir(), old);
                var master = local.api().awaitNewWritableMaster("ha", password, old, READY);
                assertNotEquals(old, master.path("task_id").asText());
                cluster = local.api().awaitCluster("ha", READY, c -> "RUNNING".equals(c.path("state").asText())
                        && instances(c).size() == 3);
                assertEquals(round, cluster.path("epoch").asInt(), "one epoch per failover");
                assertEquals(old, cluster.path("last_failover").path("from").asText());
                writer.awaitProgress(20);
            }
            writer.close();
            assertOnlyLiveInstancesInReplicasAndTheOldMastersEnded(cluster);
            assertEveryAcknowledgedRowEverywhere(cluster, password, writer.acknowledged());
        }
    }

    @Test
    void aHungMasterIsFailedOverByHealthChecks() throws Exception {
        var password = local.api().create("hung", form("cluster_user", "app", "num_nodes", "3"));
        var cluster = local.api().awaitRunning("hung", READY);
        var old = cluster.path("master").path("task_id").asText();
        try (var writer = new Writer(local.api(), "hung", password)) {
            writer.awaitProgress(20);
            var mysqld = Processes.mysqldUnder(local.dataDir().resolve("instances").resolve(old));
            assertEquals(1, mysqld.size());
            // SIGSTOP: the process lives on but answers nothing, as a hung server would.
            new ProcessBuilder("kill", "-STOP", String.valueOf(mysqld.get(0).pid())).start().waitFor();
            long stopped = System.nanoTime();
            local.api().awaitNewWritableMaster("hung", password, old, READY);
            var seconds = (System.nanoTime() - stopped) / 1e9;
            assertTrue(seconds < 15, "failover of a hung master took " + seconds + " s");
            cluster = local.api().awaitCluster("hung", READY, c -> "RUNNING".equals(c.path("state").asText()) && instances(c).size() == 3);
            assertTrue(cluster.path("last_failover").path("cause").asText().contains("stopped answering health checks"),
                    cluster.path("last_failover").toString());
            assertTrue(mysqld.get(0).onExit().get(10, java.util.concurrent.TimeUnit.SECONDS) != null, "the hung mysqld is killed");
            writer.awaitProgress(20);
            writer.close();
            assertEveryAcknowledgedRowEverywhere(cluster, password, writer.acknowledged());
        }
    }

    @Test
    void aPlannedSwitchoverUnderWritesLosesNothingAndKeepsTheOldMaster() throws Exception {
        var password = local.api().create("planned", form("cluster_user", "app", "num_nodes", "3"));
        var cluster = local.api().awaitRunning("planned", READY);
        var old = cluster.path("master").path("task_id").asText();
        var target = cluster.path("replicas").get(0).path("task_id").asText();
        try (var writer = new Writer(local.api(), "planned", password)) {
            writer.awaitProgress(30);
            var answer = local.api().post("/clusters/planned/failover", form("password", password, "target", target));
            assertEquals(200, answer.status(), answer.toString());
            cluster = local.api().awaitCluster("planned", READY, c -> target.equals(c.path("master").path("task_id").asText())
                    && "RUNNING".equals(c.path("state").asText()));
            writer.awaitProgress(30);
            writer.close();
            assertEquals("planned", cluster.path("last_failover").path("cause").asText());
            assertTrue(instances(cluster).stream().anyMatch(i -> i.path("task_id").asText().equals(old)),
                    "the old master stays, as a replica");
            assertEveryAcknowledgedRowEverywhere(cluster, password, writer.acknowledged());
        }
    }

    @Test
    void scalesThreeToFiveToTwo() throws Exception {
        var password = local.api().create("elastic", form("cluster_user", "app", "num_nodes", "3"));
        var cluster = local.api().awaitRunning("elastic", READY);
        var master = cluster.path("master").path("task_id").asText();
        Sql.execute(cluster.path("master"), "app", password, "CREATE DATABASE shop",
                "CREATE TABLE shop.writes (id BIGINT PRIMARY KEY)", "INSERT INTO shop.writes VALUES (1), (2)");

        assertEquals(200, local.api().patch("/clusters/elastic", form("password", password, "num_nodes", "5")).status());
        cluster = local.api().awaitCluster("elastic", READY, c -> "RUNNING".equals(c.path("state").asText()) && instances(c).size() == 5);
        assertEveryAcknowledgedRowEverywhere(cluster, password, List.of(1L, 2L));

        assertEquals(200, local.api().patch("/clusters/elastic", form("password", password, "num_nodes", "2")).status());
        cluster = local.api().awaitCluster("elastic", READY, c -> "RUNNING".equals(c.path("state").asText()) && instances(c).size() == 2);
        assertEquals(master, cluster.path("master").path("task_id").asText(), "shrinking never removes the master");
        assertEquals(2, cluster.path("num_nodes").asInt());
        assertEquals(2, Processes.mysqldUnder(local.dataDir().resolve("instances")).stream()
                .filter(p -> p.info().commandLine().orElse("").contains("mysos-elastic-")).count());
        Sql.execute(cluster.path("master"), "app", password, "INSERT INTO shop.writes VALUES (3)");
        assertEveryAcknowledgedRowEverywhere(cluster, password, List.of(1L, 2L, 3L));
    }
}

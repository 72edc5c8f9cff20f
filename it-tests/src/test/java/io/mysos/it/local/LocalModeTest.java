package io.mysos.it.local;

import static io.mysos.it.local.Api.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Through HTTP against a real {@code mysos local} with real mysqld processes. */
class LocalModeTest {
    private static final Duration READY = Duration.ofSeconds(60);
    @RegisterExtension
    static final LocalStackPerClass local = new LocalStackPerClass("mysos-it-");

    private static List<JsonNode> replicas(JsonNode cluster) {
        var list = new ArrayList<JsonNode>();
        cluster.path("replicas").forEach(list::add);
        return list;
    }

    @Test
    void oneNodeClusterAcceptsSqlFromTheClusterUser() throws Exception {
        var password = local.api().create("solo", form("cluster_user", "app"));
        var cluster = local.api().awaitRunning("solo", READY);
        assertEquals(0, cluster.path("epoch").asInt());
        assertTrue(replicas(cluster).isEmpty());
        var master = cluster.path("master");
        Sql.execute(master, "app", password,
                "CREATE DATABASE shop", "CREATE TABLE shop.orders (id BIGINT PRIMARY KEY)", "INSERT INTO shop.orders VALUES (1), (2)");
        assertEquals(List.of(1L, 2L), Sql.ids(master, "app", password, "shop.orders"));
    }

    @Test
    void threeNodeClusterReplicatesARowToBothReplicasWhichRefuseWrites() throws Exception {
        var password = local.api().create("trio", form("cluster_user", "app", "num_nodes", "3"));
        var cluster = local.api().awaitRunning("trio", READY);
        var master = cluster.path("master");
        var replicas = replicas(cluster);
        assertEquals(2, replicas.size());
        replicas.forEach(r -> assertEquals("RUNNING", r.path("state").asText()));
        replicas.forEach(r -> assertEquals("replica", r.path("role").asText()));
        replicas.forEach(r -> assertFalse(r.path("catching_up").asBoolean(), "RUNNING means every replica is in sync"));
        assertEquals("master", master.path("role").asText());
        assertTrue(cluster.path("ended").isArray() && cluster.path("ended").isEmpty(), cluster.toString());
        assertEquals(3, List.of(master.path("port").asInt(), replicas.get(0).path("port").asInt(),
                replicas.get(1).path("port").asInt()).stream().distinct().count(), "every instance has its own port");

        Sql.execute(master, "app", password, "CREATE DATABASE shop",
                "CREATE TABLE shop.orders (id BIGINT PRIMARY KEY)", "INSERT INTO shop.orders VALUES (42)");
        for (var replica : replicas) {
            Sql.awaitIds(replica, "app", password, "shop.orders", List.of(42L), Duration.ofSeconds(20));
            var refused = assertThrows(SQLException.class,
                    () -> Sql.execute(replica, "app", password, "INSERT INTO shop.orders VALUES (43)"));
            assertTrue(refused.getMessage().contains("read-only") || refused.getMessage().contains("read_only"),
                    refused.getMessage());
        }
        assertEquals(List.of(42L), Sql.ids(master, "app", password, "shop.orders"));
    }

    @Test
    void wrongPasswordIsRefusedAndLeavesTheClusterUntouched() throws Exception {
        var password = local.api().create("guarded", form("cluster_user", "app"));
        var before = local.api().awaitRunning("guarded", READY);
        var answer = local.api().delete("/clusters/guarded", form("password", "not-the-password"));
        assertEquals(403, answer.status());
        assertTrue(answer.error().contains("wrong password"));
        var after = local.api().get("/clusters/guarded").body();
        assertEquals("RUNNING", after.path("state").asText());
        assertEquals(before.path("master"), after.path("master"));
        Sql.execute(after.path("master"), "app", password, "SELECT 1");
    }

    @Test
    void deleteStopsEveryMysqldAndFreesItsPorts() throws Exception {
        var password = local.api().create("doomed", form("cluster_user", "app", "num_nodes", "2"));
        var cluster = local.api().awaitRunning("doomed", READY);
        var ports = new ArrayList<Integer>();
        ports.add(cluster.path("master").path("port").asInt());
        replicas(cluster).forEach(r -> ports.add(r.path("port").asInt()));
        var sandboxes = List.of(local.dataDir().resolve("instances").resolve(cluster.path("master").path("task_id").asText()));
        assertTrue(Files.isDirectory(sandboxes.get(0)));

        var answer = local.api().delete("/clusters/doomed", form("password", password));
        assertEquals(200, answer.status());
        assertTrue(answer.body().path("cluster_url").asText().endsWith("/clusters/doomed"));
        local.api().awaitGone("doomed", Duration.ofSeconds(30));
        for (var port : ports) {
            assertTrue(Ports.isFree(port), "port " + port + " is free again");
        }
        assertFalse(local.api().get("/clusters").body().toString().contains("doomed"));
        var deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.exists(sandboxes.get(0)) && System.nanoTime() < deadline) {
            Api.sleep(100);
        }
        assertFalse(Files.exists(sandboxes.get(0)), "the instance's sandbox is removed");
    }

    @Test
    void everyBadInputGetsItsStatusAndCreatesNothing() {
        var before = local.api().get("/clusters").body().path("clusters").size();
        record Case(String path, java.util.Map<String, String> form, int status, String fragment) {}
        var cases = List.of(
                new Case("/clusters/nouser", form(), 400, "cluster_user"),
                new Case("/clusters/Bad", form("cluster_user", "app"), 400, "cluster name"),
                new Case("/clusters/zero", form("cluster_user", "app", "num_nodes", "0"), 400, "num_nodes"),
                new Case("/clusters/inject", form("cluster_user", "x' OR '1'='1"), 400, "cluster_user"),
                new Case("/clusters/pw", form("cluster_user", "app", "cluster_password", "quote'd-password"), 400, "cluster_password"),
                new Case("/clusters/size", form("cluster_user", "app", "size", "{\"mem\":\"lots\"}"), 400, "mem"),
                new Case("/clusters/backup", form("cluster_user", "app", "backup_id", "b1"), 400, "backup_id must look like <cluster>/<id>"),
                new Case("/clusters/backup", form("cluster_user", "app", "backup_id", "nosuch/b1"), 400, "is unknown or incomplete"));
        for (var c : cases) {
            var answer = local.api().post(c.path(), c.form());
            assertEquals(c.status(), answer.status(), c + " -> " + answer);
            assertTrue(answer.error().contains(c.fragment()), c + " -> " + answer.error());
        }
        assertEquals(404, local.api().get("/clusters/nothing").status());
        assertEquals(404, local.api().delete("/clusters/nothing", form("password", "whatever-pw")).status());
        assertEquals(before, local.api().get("/clusters").body().path("clusters").size());
        for (var c : cases) {
            var status = local.api().get(c.path()).status();
            assertTrue(status == 404 || status == 400, c.path() + " was not created: " + status);
        }
    }

    @Test
    void aTakenNameIs409() {
        local.api().create("taken", form("cluster_user", "app", "size", "{\"mem\":\"4tb\"}"));
        var answer = local.api().post("/clusters/taken", form("cluster_user", "other"));
        assertEquals(409, answer.status());
        assertTrue(answer.error().contains("already exists"));
    }

    @Test
    void aNameBeingDeletedIsCreatedAgainOnceTheDeletionEndsNot409() {
        // Deleted while its instance still starts (the slowest deletion), and created again at once, as a script would.
        var password = local.api().create("again", form("cluster_user", "app", "num_nodes", "3"));
        assertEquals(200, local.api().delete("/clusters/again", form("password", password)).status());
        assertEquals("DELETING", local.api().get("/clusters/again").body().path("state").asText());
        var recreated = local.api().post("/clusters/again", form("cluster_user", "app2", "cluster_password", "again-secret-2"));
        assertEquals(200, recreated.status(), recreated.body().toString());

        var cluster = local.api().awaitRunning("again", READY);
        assertEquals("app2", cluster.path("user").asText(), "the new cluster, not the deleted one");
        var master = cluster.path("master").path("task_id").asText();
        assertFalse(List.of("mysos-again-1", "mysos-again-2", "mysos-again-3").contains(master), "a new instance, not a deleted one: " + master);
        assertEquals(409, local.api().post("/clusters/again", form("cluster_user", "app3")).status(), "now the name is taken");
    }

    @Test
    void aClusterTooBigForTheMachineStaysPendingWithItsReasonAndCanBeDeleted() {
        var password = local.api().create("huge", form("cluster_user", "app", "num_nodes", "2",
                "size", "{\"cpus\":1,\"mem\":\"1tb\",\"disk\":\"2gb\"}"));
        var pending = local.api().awaitCluster("huge", Duration.ofSeconds(10),
                c -> c.path("reason").asText().contains("largest free offer"));
        assertEquals("PENDING", pending.path("state").asText());
        assertTrue(pending.path("reason").asText().startsWith("waiting for resources: 2 x {cpus 1, mem 1tb, disk 2gb}"),
                pending.path("reason").asText());
        assertTrue(pending.path("reason").asText().contains("mem"), pending.path("reason").asText());
        assertTrue(pending.path("master").isNull());
        assertEquals(200, local.api().delete("/clusters/huge", form("password", password)).status());
        local.api().awaitGone("huge", Duration.ofSeconds(10));
    }
}

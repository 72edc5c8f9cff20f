package io.mysos.it.local;

import static io.mysos.it.local.Api.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code GET /clusters/{name}} says about a replica that falls behind, with real mysqld: the
 * application itself holds a table lock on a replica, so its SQL thread cannot apply what it
 * receives. The API must show that replica catching up with how far behind it is, the cluster
 * DEGRADED with a reason naming it, and RUNNING again once it has caught up.
 */
class ReplicaLagTest {
    private static final Duration READY = Duration.ofSeconds(90);
    private static final Duration NOTICED = Duration.ofSeconds(30);
    private static final int BACKLOG = 200;
    @RegisterExtension
    static final LocalStackPerClass local = new LocalStackPerClass("mysos-it-lag-");

    private static JsonNode replica(JsonNode cluster, String taskId) {
        for (var r : cluster.path("replicas")) {
            if (r.path("task_id").asText().equals(taskId)) {
                return r;
            }
        }
        throw new AssertionError("no replica " + taskId + " in " + cluster);
    }

    @Test
    void aReplicaHeldBackShowsCatchingUpAndTheClusterDegradedUntilItHasCaughtUp() throws Exception {
        var password = local.api().create("lagging", form("cluster_user", "app", "num_nodes", "2"));
        var cluster = local.api().awaitRunning("lagging", READY);
        var master = cluster.path("master");
        var held = cluster.path("replicas").get(0);
        var heldId = held.path("task_id").asText();
        Sql.execute(master, "app", password, "CREATE DATABASE shop", "CREATE TABLE shop.orders (id BIGINT PRIMARY KEY)");
        Sql.awaitIds(held, "app", password, "shop.orders", List.of(), Duration.ofSeconds(20));

        var expected = LongStream.rangeClosed(1, BACKLOG).boxed().toList();
        try (var lock = Sql.connect(held, "app", password); var locking = lock.createStatement()) {
            // A read lock on the replica: its SQL thread waits for it, while its IO thread keeps receiving.
            locking.execute("LOCK TABLES shop.orders READ");
            try (var writes = Sql.connect(master, "app", password); var insert = writes.prepareStatement("INSERT INTO shop.orders VALUES (?)")) {
                for (long id : expected) {
                    insert.setLong(1, id);
                    insert.executeUpdate(); // semi-sync: acknowledged once the replica has received it
                }
            }

            var behind = local.api().awaitCluster("lagging", NOTICED, c -> replica(c, heldId).path("catching_up").asBoolean());
            var shown = replica(behind, heldId);
            assertEquals("DEGRADED", behind.path("state").asText(), behind.toString());
            assertTrue(behind.path("reason").asText().contains(heldId) && behind.path("reason").asText().contains("catching up"),
                    "the reason names the replica that is catching up: " + behind);
            assertTrue(shown.path("behind").path("transactions").asLong() > 20, "it says how far behind it is: " + shown);
            assertTrue(shown.path("replicating").asBoolean(), "a replica that is only behind still replicates: " + shown);
            assertEquals("RUNNING", shown.path("state").asText(), shown.toString());

            locking.execute("UNLOCK TABLES");
        }

        var caughtUp = local.api().awaitCluster("lagging", NOTICED, c -> c.path("state").asText().equals("RUNNING"));
        var after = replica(caughtUp, heldId);
        assertEquals(false, after.path("catching_up").asBoolean(), after.toString());
        assertTrue(after.path("behind").isMissingNode() || after.path("behind").isNull(), after.toString());
        assertEquals(heldId, after.path("task_id").asText(), "the same replica caught up; it was not replaced");
        Sql.awaitIds(held, "app", password, "shop.orders", expected, Duration.ofSeconds(20));

        assertEquals(200, local.api().delete("/clusters/lagging", form("password", password)).status());
        local.api().awaitGone("lagging", READY);
    }
}

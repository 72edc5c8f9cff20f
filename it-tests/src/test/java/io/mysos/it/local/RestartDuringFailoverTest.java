package io.mysos.it.local;

import static io.mysos.it.local.Api.form;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mysos itself killed in the middle of a failover (the master's mysqld killed, the JVM 100 ms
 * later): after the restart a new master takes writes, and its replicas follow it promptly instead
 * of leaving it to acknowledge commits that no replica holds.
 */
class RestartDuringFailoverTest {
    private static final Logger log = LoggerFactory.getLogger(RestartDuringFailoverTest.class);
    private static final Duration READY = Duration.ofSeconds(90);
    private Path dataDir;
    private LocalStack stack;

    @BeforeEach
    void start() throws Exception {
        dataDir = Files.createTempDirectory("mysos-restart-failover-");
        stack = LocalStack.startExternal(dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        LocalStack.closeAndRemove(stack, dataDir);
    }

    @Test
    void theReplicasFollowTheNewMasterSoonAfterItTakesWrites() throws Exception {
        var api = stack.api();
        var password = api.create("orders", form("cluster_user", "app", "num_nodes", "3"));
        var before = api.awaitRunning("orders", READY);
        var oldMaster = before.path("master").path("task_id").asText();
        Sql.execute(before.path("master"), "app", password, "CREATE DATABASE shop", "CREATE TABLE shop.orders (id BIGINT PRIMARY KEY)",
                "INSERT INTO shop.orders VALUES (1)");

        FailoverTest.killMysqld(dataDir, oldMaster);
        // Kill Mysos during the failover, as soon as it has recorded the master lost. Killed before
        // that, the restarted Mysos finds the master's data intact and starts it again as the
        // master of the same epoch: right, but no failover to test.
        api.awaitCluster("orders", READY, c -> !oldMaster.equals(c.path("master").path("task_id").asText()) || c.path("epoch").asLong() > 0
                || !"RUNNING".equals(c.path("state").asText()));
        stack.killMysos();
        stack.startExternal();

        var master = api.awaitNewWritableMaster("orders", password, oldMaster, READY);
        long writable = System.nanoTime();
        Sql.execute(master, "app", password, "INSERT INTO shop.orders VALUES (2)");
        var cluster = api.get("/clusters/orders").body();
        var replicas = new ArrayList<JsonNode>();
        cluster.path("replicas").forEach(r -> {
            if ("RUNNING".equals(r.path("state").asText())) {
                replicas.add(r);
            }
        });
        for (var replica : replicas) {
            Sql.awaitIds(replica, "app", password, "shop.orders", List.of(1L, 2L), Duration.ofSeconds(30));
        }
        long followedMillis = (System.nanoTime() - writable) / 1_000_000;
        log.info("{} running replica(s) had the new master's write {} ms after it became writable", replicas.size(), followedMillis);
        assertTrue(!replicas.isEmpty(), cluster.toString());
        assertTrue(followedMillis < 3_000, "the replicas followed the new master only after " + followedMillis + " ms");
    }
}

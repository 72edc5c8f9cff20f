package io.mysos.it.local;

import static io.mysos.it.local.Api.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code mysos local} as its own process, killed the hard way and started again on the same data:
 * every cluster comes back to its node count with one master, and every committed row is there.
 */
class CrashRecoveryTest {
    private static final Duration READY = Duration.ofSeconds(90);
    private Path dataDir;
    private LocalStack stack;

    @BeforeEach
    void start() throws Exception {
        dataDir = Files.createTempDirectory("mysos-crash-");
        stack = LocalStack.startExternal(dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        LocalStack.closeAndRemove(stack, dataDir);
    }

    private static List<JsonNode> instances(JsonNode cluster) {
        var all = new ArrayList<JsonNode>();
        all.add(cluster.path("master"));
        cluster.path("replicas").forEach(all::add);
        return all;
    }

    private static Set<Long> mysqldPids(Path dataDir) {
        return Processes.mysqldUnder(dataDir).stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** Two clusters with rows committed on their masters and replicated. */
    private record Written(String orders, String ledger) {}

    private Written createAndWrite() throws Exception {
        var api = stack.api();
        var orders = api.create("orders", form("cluster_user", "app", "num_nodes", "3"));
        var ledger = api.create("ledger", form("cluster_user", "app", "num_nodes", "1"));
        var ordersCluster = api.awaitRunning("orders", READY);
        var ledgerCluster = api.awaitRunning("ledger", READY);
        Sql.execute(ordersCluster.path("master"), "app", orders, "CREATE DATABASE shop",
                "CREATE TABLE shop.orders (id BIGINT PRIMARY KEY)", "INSERT INTO shop.orders VALUES (1), (2), (3)");
        Sql.execute(ledgerCluster.path("master"), "app", ledger, "CREATE DATABASE books",
                "CREATE TABLE books.entries (id BIGINT PRIMARY KEY)", "INSERT INTO books.entries VALUES (10)");
        for (var instance : instances(ordersCluster)) {
            Sql.awaitIds(instance, "app", orders, "shop.orders", List.of(1L, 2L, 3L), Duration.ofSeconds(20));
        }
        return new Written(orders, ledger);
    }

    /** After recovery: node counts, one master, old rows everywhere, and new writes replicate. */
    private void assertRecovered(Written written, JsonNode ordersBefore) throws Exception {
        var api = stack.api();
        var orders = api.awaitRunning("orders", READY);
        var ledger = api.awaitRunning("ledger", READY);
        assertEquals(3, instances(orders).size());
        assertEquals(ordersBefore.path("master").path("task_id"), orders.path("master").path("task_id"), "the master stays");
        assertEquals(ordersBefore.path("epoch"), orders.path("epoch"));
        assertEquals(List.of(10L), Sql.ids(ledger.path("master"), "app", written.ledger(), "books.entries"));
        Sql.execute(orders.path("master"), "app", written.orders(), "INSERT INTO shop.orders VALUES (4)");
        for (var instance : instances(orders)) {
            Sql.awaitIds(instance, "app", written.orders(), "shop.orders", List.of(1L, 2L, 3L, 4L), Duration.ofSeconds(20));
        }
        assertEquals(2, api.get("/clusters").body().path("clusters").size());
    }

    @Test
    void killMinus9OfMysosKeepsEveryMysqldAndLosesNothing() throws Exception {
        var written = createAndWrite();
        var before = stack.api().get("/clusters/orders").body();
        var pids = mysqldPids(dataDir);
        assertEquals(4, pids.size());

        stack.killMysos();
        assertEquals(pids, mysqldPids(dataDir), "mysqld processes live on without Mysos");
        stack.startExternal();

        assertRecovered(written, before);
        assertEquals(pids, mysqldPids(dataDir), "the same mysqld processes were re-adopted, none restarted");
    }

    @Test
    void killOfTheWholeProcessGroupRestartsEveryMysqldOnItsDataAndLosesNothing() throws Exception {
        var written = createAndWrite();
        var before = stack.api().get("/clusters/orders").body();
        var pids = mysqldPids(dataDir);

        stack.killProcessGroup();
        assertTrue(mysqldPids(dataDir).isEmpty(), "the machine restart took every mysqld with it");
        stack.startExternal();

        assertRecovered(written, before);
        var after = mysqldPids(dataDir);
        assertEquals(4, after.size());
        assertTrue(after.stream().noneMatch(pids::contains), "every mysqld was started again");
    }

    @Test
    void anInstanceWhoseDataIsGoneIsReportedLostAndReplaced() throws Exception {
        var written = createAndWrite();
        var before = stack.api().get("/clusters/orders").body();
        var lostReplica = before.path("replicas").get(0).path("task_id").asText();

        stack.killProcessGroup();
        io.mysos.executor.mysql.SandboxLayout.deleteTree(dataDir.resolve("instances").resolve(lostReplica));
        stack.startExternal();

        var orders = stack.api().awaitCluster("orders", READY, c -> "RUNNING".equals(c.path("state").asText())
                && c.toString().contains("\"task_id\":\"" + lostReplica + "\",\"host\"")
                && c.toString().contains("LOST"));
        var taskIds = new HashSet<String>();
        instances(orders).stream().filter(i -> "RUNNING".equals(i.path("state").asText()))
                .forEach(i -> taskIds.add(i.path("task_id").asText()));
        assertEquals(3, taskIds.size(), orders.toString());
        assertFalse(taskIds.contains(lostReplica));
        assertNotEquals(before.path("master").path("task_id").asText(), lostReplica);
        // The replacement caught up from the master.
        for (var instance : instances(orders)) {
            if ("RUNNING".equals(instance.path("state").asText())) {
                Sql.awaitIds(instance, "app", written.orders(), "shop.orders", List.of(1L, 2L, 3L), Duration.ofSeconds(30));
            }
        }
    }
}

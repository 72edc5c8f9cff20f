package io.mysos.it.local;

import static io.mysos.it.local.Api.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mysos.endpoints.ApiFollower;
import io.mysos.endpoints.EndpointForwarder;
import io.mysos.endpoints.Role;
import java.net.URI;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Applications that know only a cluster's stable endpoints (served by Mysos, and by {@code mysos
 * router} through the API) keep writing through kill -9 failovers and a switchover, lose no
 * acknowledged row, and never write to a master after its successor took writes; reads through the
 * read-only endpoint never land on the master while a replica runs; a restart keeps the ports. Mysos
 * forwards its endpoints by the kernel here (the writer's connections never pass through Mysos) and
 * the router in user space, so one run proves both ways of forwarding.
 */
class EndpointsTest {
    private static final Duration READY = Duration.ofSeconds(90);
    @RegisterExtension
    static final LocalStackPerClass local = new LocalStackPerClass("mysos-endpoints-",
            io.mysos.dist.EndpointOptions.defaults().withForwarding(EndpointForwarder.Forwarding.KERNEL));

    private static int portOf(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private static int readPort(String address, String password) throws Exception {
        try (var c = DriverManager.getConnection("jdbc:mysql://" + address + "/?useSSL=false&allowPublicKeyRetrieval=true"
                + "&connectTimeout=15000", "app", password);
             var s = c.createStatement(); var r = s.executeQuery("SELECT @@port")) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    void writersThroughTheEndpointsFollowTheMasterAndLoseNothing() throws Exception {
        var created = local.api().post("/clusters/ep", form("cluster_user", "app", "num_nodes", "3"));
        assertEquals(200, created.status(), created.toString());
        var password = created.body().path("cluster_password").asText();
        var rw = created.body().path("endpoints").path("read_write").asText();
        var ro = created.body().path("endpoints").path("read_only").asText();
        assertTrue(rw.startsWith("127.0.0.1:") && ro.startsWith("127.0.0.1:"), created.toString());
        var cluster = local.api().awaitRunning("ep", READY);
        assertEquals(rw, cluster.path("endpoints").path("read_write").asText());

        // mysos router's parts, following the cluster through the API as the command does.
        var router = EndpointForwarder.start("ep", "127.0.0.1", 0, 0, Duration.ofSeconds(10))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        var follower = ApiFollower.start(URI.create("http://127.0.0.1:" + local.api().port()), "ep", router::update);
        var routed = "127.0.0.1:" + router.port(Role.READ_WRITE);
        try (var writer = new EndpointWriter(rw, password, 1); var viaRouter = new EndpointWriter(routed, password, 1_000_000_000L)) {
            var masters = new ArrayList<Integer>();
            masters.add(cluster.path("master").path("port").asInt());
            awaitKernelRoute(rw, ro, masters.get(0));
            assertReadsAvoidTheMaster(ro, password, masters.get(0));
            for (int round = 1; round <= 5; round++) {
                writer.awaitProgress(20);
                viaRouter.awaitProgress(20);
                var old = cluster.path("master").path("task_id").asText();
                FailoverTest.killMysqld(local.dataDir(), old);
                cluster = local.api().awaitCluster("ep", READY, c -> !old.equals(c.path("master").path("task_id").asText())
                        && "RUNNING".equals(c.path("state").asText()) && FailoverTest.instances(c).size() == 3);
                masters.add(cluster.path("master").path("port").asInt());
                awaitKernelRoute(rw, ro, masters.get(masters.size() - 1));
            }
            writer.awaitProgress(20);
            viaRouter.awaitProgress(20);
            var target = cluster.path("replicas").get(0).path("task_id").asText();
            var answer = local.api().post("/clusters/ep/failover", form("password", password, "target", target));
            assertEquals(200, answer.status(), answer.toString());
            cluster = local.api().awaitCluster("ep", READY, c -> target.equals(c.path("master").path("task_id").asText())
                    && "RUNNING".equals(c.path("state").asText()) && FailoverTest.instances(c).size() == 3);
            masters.add(cluster.path("master").path("port").asInt());
            writer.awaitProgress(20);
            viaRouter.awaitProgress(20);
            writer.close();
            viaRouter.close();
            assertReadsAvoidTheMaster(ro, password, masters.get(masters.size() - 1));

            var rows = rowsWithPorts(cluster.path("master"), password);
            var acknowledged = new ArrayList<>(writer.acknowledged());
            acknowledged.addAll(viaRouter.acknowledged());
            var missing = new ArrayList<>(acknowledged);
            missing.removeAll(rows.keySet());
            assertEquals(List.of(), missing, "acknowledged rows missing on the master");
            assertWritesMovedOnlyForward(rows, masters, 1, 1_000_000_000L);
            assertWritesMovedOnlyForward(rows, masters, 1_000_000_000L, Long.MAX_VALUE);
        } finally {
            follower.close();
            router.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        // A restart of Mysos serves the same ports, and they route again.
        local.stack().stop();
        local.stack().startInProcess();
        var after = local.api().awaitRunning("ep", READY);
        assertEquals(rw, after.path("endpoints").path("read_write").asText());
        assertEquals(ro, after.path("endpoints").path("read_only").asText());
        assertEquals(after.path("master").path("port").asInt(), readPort(rw, password));
    }

    /** The kernel sends connections to Mysos's read-write endpoint to {@code masterPort}, as {@code nft list} shows. */
    private static void awaitKernelRoute(String rw, String ro, int masterPort) throws Exception {
        var table = io.mysos.core.endpoint.KernelRoutes.table(portOf(rw), portOf(ro));
        var expected = "tcp dport " + portOf(rw) + " dnat to 127.0.0.1:" + masterPort + "\n";
        String listed = "";
        for (int i = 0; i < 100 && !listed.contains(expected); i++) {
            var nft = new ProcessBuilder("nft", "list", "table", "ip", table).redirectErrorStream(true).start();
            listed = new String(nft.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            nft.waitFor();
            Thread.sleep(100);
        }
        assertTrue(listed.contains(expected), "the kernel routes " + rw + " to port " + masterPort + ": " + listed);
    }

    /** Ten connections through the read-only endpoint: none is served by the master. */
    private static void assertReadsAvoidTheMaster(String ro, String password, int masterPort) throws Exception {
        for (int i = 0; i < 10; i++) {
            assertNotEquals(masterPort, readPort(ro, password), "a read through the read-only endpoint reached the master");
        }
    }

    private static Map<Long, Integer> rowsWithPorts(JsonNode master, String password) throws Exception {
        var rows = new TreeMap<Long, Integer>();
        try (var c = Sql.connect(master, "app", password); var s = c.createStatement();
             var r = s.executeQuery("SELECT id, port FROM shop.writes ORDER BY id")) {
            while (r.next()) {
                rows.put(r.getLong(1), r.getInt(2));
            }
        }
        return rows;
    }

    /**
     * In the order one writer wrote them, its rows were taken by the masters in the order they were
     * elected: once a newer master took a write, no older one took any (a fenced master got none).
     */
    private static void assertWritesMovedOnlyForward(Map<Long, Integer> rows, List<Integer> masters, long from, long to) {
        int epoch = 0;
        var seen = new LinkedHashMap<Integer, Long>();
        for (var row : rows.entrySet()) {
            if (row.getKey() < from || row.getKey() >= to) {
                continue;
            }
            int port = row.getValue();
            int at = masters.subList(epoch, masters.size()).indexOf(port);
            assertTrue(at >= 0, "row " + row.getKey() + " was written on port " + port + " after a newer master took writes "
                    + "(masters in order: " + masters + ", first rows per port: " + seen + ")");
            epoch += at;
            seen.putIfAbsent(port, row.getKey());
        }
        assertTrue(new HashSet<>(seen.keySet()).size() >= 2, "the writer wrote to several masters: " + seen);
    }
}

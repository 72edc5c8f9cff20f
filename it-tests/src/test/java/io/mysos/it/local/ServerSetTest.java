package io.mysos.it.local;

import static io.mysos.it.local.Api.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mysos.dist.EndpointOptions;
import io.mysos.endpoints.serverset.ZkUrl;
import io.mysos.endpoints.serverset.ZooKeeperProcess;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * {@code mysos local --zk} with real mysqld and a real ZooKeeper: a cluster created as original
 * Mysos's client creates it is published as ServerSets, the master's member follows a kill -9
 * failover, the slaves follow a resize up and down, and the cluster's znode goes with the cluster.
 * Read as a ServerSet client reads it.
 */
class ServerSetTest {
    private static final Duration READY = Duration.ofSeconds(90);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void originalMysosClientsFindTheMasterInZooKeeper() throws Exception {
        var dataDir = Files.createTempDirectory("mysos-serversets-");
        LocalStack stack = null;
        try (var zk = ZooKeeperProcess.start()) {
            var url = ZkUrl.parse("zk://" + zk.connectString() + "/mysos");
            stack = LocalStack.startInProcess(dataDir, EndpointOptions.defaults().withZk(url));
            var api = stack.api();
            // mysos_test_client's form: cluster_user=mysos, and size, backup_id and cluster_password empty.
            var created = api.post("/clusters/zk", form("cluster_user", "mysos", "num_nodes", "2", "size", "",
                    "backup_id", "", "cluster_password", ""));
            assertEquals(200, created.status(), created.toString());
            assertEquals("zk://" + zk.connectString() + "/mysos/zk", created.body().path("cluster_url").asText());
            var password = created.body().path("cluster_password").asText();
            var cluster = api.awaitRunning("zk", READY);
            var reader = connect(zk.connectString());
            try {
                var master = cluster.path("master");
                awaitMembers(reader, "master", List.of(address(master)));
                awaitMembers(reader, "slaves", List.of(address(cluster.path("replicas").get(0))));

                FailoverTest.killMysqld(dataDir, master.path("task_id").asText());
                var after = api.awaitCluster("zk", READY, c -> !master.path("task_id").asText()
                        .equals(c.path("master").path("task_id").asText()) && "RUNNING".equals(c.path("state").asText()));
                awaitMembers(reader, "master", List.of(address(after.path("master"))));
                awaitMembers(reader, "slaves", runningReplicas(after));

                // A resize up: the new replica joins slaves once it runs; down: the removed one leaves.
                assertEquals(200, api.patch("/clusters/zk", form("password", password, "num_nodes", "3")).status());
                var grown = api.awaitCluster("zk", READY, c -> "RUNNING".equals(c.path("state").asText())
                        && runningReplicas(c).size() == 2);
                awaitMembers(reader, "master", List.of(address(grown.path("master"))));
                awaitMembers(reader, "slaves", runningReplicas(grown));
                assertEquals(200, api.patch("/clusters/zk", form("password", password, "num_nodes", "2")).status());
                var shrunk = api.awaitCluster("zk", READY, c -> "RUNNING".equals(c.path("state").asText())
                        && runningReplicas(c).size() == 1 && FailoverTest.instances(c).size() == 2);
                assertEquals(address(grown.path("master")), address(shrunk.path("master")), "shrinking keeps the master");
                awaitMembers(reader, "master", List.of(address(shrunk.path("master"))));
                awaitMembers(reader, "slaves", runningReplicas(shrunk));

                var deleted = api.delete("/clusters/zk", form("password", password));
                assertEquals(200, deleted.status(), deleted.toString());
                api.awaitGone("zk", READY);
                var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (reader.exists("/mysos/zk", false) != null && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertNull(reader.exists("/mysos/zk", false), "the cluster's znode is deleted with the cluster");
            } finally {
                reader.close();
            }
        } finally {
            LocalStack.closeAndRemove(stack, dataDir);
        }
    }

    private static String address(JsonNode instance) {
        return instance.path("host").asText() + ":" + instance.path("port").asInt();
    }

    private static List<String> runningReplicas(JsonNode cluster) {
        var running = new ArrayList<String>();
        cluster.path("replicas").forEach(r -> {
            if ("RUNNING".equals(r.path("state").asText())) {
                running.add(address(r));
            }
        });
        return running;
    }

    private static ZooKeeper connect(String connectString) throws Exception {
        var connected = new CountDownLatch(1);
        var zk = new ZooKeeper(connectString, 30_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        connected.await(30, TimeUnit.SECONDS);
        return zk;
    }

    /** Until {@code /mysos/zk/<group>} holds exactly these ServerSet instances ("host:port", in any order). */
    private static void awaitMembers(ZooKeeper reader, String group, List<String> members) throws Exception {
        var expected = members.stream().sorted().toList();
        var dir = "/mysos/zk/" + group;
        List<String> seen = List.of();
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var now = new ArrayList<String>();
            if (reader.exists(dir, false) != null) {
                for (var child : reader.getChildren(dir, false)) {
                    byte[] data;
                    try {
                        data = reader.getData(dir + "/" + child, false, null);
                    } catch (org.apache.zookeeper.KeeperException.NoNodeException gone) {
                        continue;  // a member that went between the listing and the read, as a ServerSet client sees it: not there
                    }
                    if (data != null) {
                        var endpoint = MAPPER.readTree(data).path("serviceEndpoint");
                        now.add(endpoint.path("host").asText() + ":" + endpoint.path("port").asInt());
                    }
                }
            }
            seen = now.stream().sorted().toList();
            if (seen.equals(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        assertEquals(expected, seen, "members of " + dir);
    }
}

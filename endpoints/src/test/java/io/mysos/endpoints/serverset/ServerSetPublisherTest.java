package io.mysos.endpoints.serverset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ServerSets in a real ZooKeeper, read back with a plain ZooKeeper client as a ServerSet client reads them. */
class ServerSetPublisherTest {
    private static ZooKeeperProcess server;
    private static ZooKeeper reader;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        server = ZooKeeperProcess.start();
        var connected = new CountDownLatch(1);
        reader = new ZooKeeper(server.connectString(), 30_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        connected.await(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (reader != null) {
            reader.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static ServerSet.Member member(int n) {
        return new ServerSet.Member("mysos-orders-" + n, "10.0.0." + n, 31000 + n);
    }

    /** The members of {@code group}, as "host:port" from their JSON. */
    private static List<String> members(String cluster, String group) throws Exception {
        var dir = "/mysos/" + cluster + "/" + group;
        return reader.getChildren(dir, false).stream().sorted().map(child -> {
            try {
                JsonNode node = MAPPER.readTree(reader.getData(dir + "/" + child, false, null));
                assertTrue(child.matches("member_[0-9]+"), child);
                assertEquals("ALIVE", node.get("status").asText());
                assertTrue(node.get("additionalEndpoints").isObject() && node.get("additionalEndpoints").isEmpty());
                return node.get("serviceEndpoint").get("host").asText() + ":" + node.get("serviceEndpoint").get("port").asInt();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }).toList();
    }

    @Test
    void publishesTheMasterAndSlavesMovesAPromotedSlaveInOneTransactionAndDeletesAGoneCluster() throws Exception {
        var url = ZkUrl.parse("zk://" + server.connectString() + "/mysos");
        try (var publisher = ServerSetPublisher.start(url)) {
            publisher.publish(Map.of("orders", new ServerSet(Optional.of(member(1)), List.of(member(2), member(3)))), false);
            awaitMembers("orders", "master", 1);
            assertEquals(List.of("10.0.0.1:31001"), members("orders", "master"));
            assertEquals(List.of("10.0.0.2:31002", "10.0.0.3:31003"), List.copyOf(new java.util.TreeSet<>(members("orders", "slaves"))));

            // The master is lost: fenced, it leaves master/ and nobody takes its place yet.
            publisher.publish(Map.of("orders", new ServerSet(Optional.empty(), List.of(member(2), member(3)))), false);
            publisher.flush();
            assertEquals(List.of(), members("orders", "master"));

            // member 2 is promoted: it leaves slaves/ and enters master/ in the same transaction (same zxid).
            publisher.publish(Map.of("orders", new ServerSet(Optional.of(member(2)), List.of(member(3)))), false);
            publisher.flush();
            assertEquals(List.of("10.0.0.2:31002"), members("orders", "master"));
            assertEquals(List.of("10.0.0.3:31003"), members("orders", "slaves"));
            var masterChild = reader.getChildren("/mysos/orders/master", false).get(0);
            var created = new Stat();
            reader.getData("/mysos/orders/master/" + masterChild, false, created);
            var slaves = reader.exists("/mysos/orders/slaves", false);
            assertEquals(created.getCzxid(), slaves.getPzxid(), "the slave's removal and the master's creation are one transaction");

            publisher.publish(Map.of(), false);
            publisher.flush();
            assertNull(reader.exists("/mysos/orders", false));
        }
    }

    @Test
    void membersVanishWithMysosSessionAndComeBackWithTheNext() throws Exception {
        var url = ZkUrl.parse("zk://" + server.connectString() + "/mysos");
        var set = Map.of("ledger", new ServerSet(Optional.of(member(5)), List.of()));
        try (var publisher = ServerSetPublisher.start(url)) {
            publisher.publish(set, false);
            awaitMembers("ledger", "master", 1);
        }
        assertEquals(List.of(), members("ledger", "master"));
        try (var publisher = ServerSetPublisher.start(url)) {
            publisher.publish(set, true);
            awaitMembers("ledger", "master", 1);
            assertEquals(List.of("10.0.0.5:31005"), members("ledger", "master"));
            publisher.publish(Map.of(), true);
            publisher.flush();
        }
    }

    /** Publishing waits for the connection: publish again until the members show (as the follower's polling does). */
    private static void awaitMembers(String cluster, String group, int count) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (reader.exists("/mysos/" + cluster + "/" + group, false) != null
                    && reader.getChildren("/mysos/" + cluster + "/" + group, false).size() == count) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + count + " members in " + cluster + "/" + group);
    }
}

package io.mysos.endpoints.serverset;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.OperationType;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes clusters in ZooKeeper as original Mysos did, for the ServerSet clients written for it:
 * {@code <path>/<cluster>/master/member_<n>} and {@code .../slaves/member_<n>}, each holding
 * {@code {"serviceEndpoint": {"host": ..., "port": ...}, "additionalEndpoints": {}, "status": "ALIVE"}}.
 * Members are ephemeral (they vanish with Mysos's session and are published again when it comes
 * back); every change of a cluster, a promotion moving a member from slaves to master included, is
 * one transaction; a cluster's znode is deleted when the cluster is gone. ZooKeeper calls run on one
 * thread of their own, never the caller's.
 */
public final class ServerSetPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSetPublisher.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private record Published(String group, String path) {}

    private final ZkUrl url;
    private final CuratorFramework client;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        var t = new Thread(r, "mysos-serversets");
        t.setDaemon(true);
        return t;
    });
    /** Per cluster, per task: where its member is. Only touched on {@link #thread}. */
    private final Map<String, Map<String, Published>> published = new HashMap<>();
    private volatile boolean sessionLost;

    private ServerSetPublisher(ZkUrl url, CuratorFramework client) {
        this.url = url;
        this.client = client;
    }

    public static ServerSetPublisher start(ZkUrl url) {
        var client = CuratorFrameworkFactory.builder().connectString(url.connectString())
                .retryPolicy(new ExponentialBackoffRetry(200, 10, 5000)).sessionTimeoutMs(30_000).connectionTimeoutMs(10_000).build();
        var publisher = new ServerSetPublisher(url, client);
        client.getConnectionStateListenable().addListener((c, state) -> {
            if (state == ConnectionState.LOST) {
                // The session's ephemeral members are gone: publish every member again once connected.
                publisher.sessionLost = true;
            }
        });
        client.start();
        return publisher;
    }

    /**
     * Makes ZooKeeper show {@code clusters}; the znodes of clusters published before and not listed
     * now are deleted, and with {@code removeOthers} also any other cluster's under the path.
     */
    public void publish(Map<String, ServerSet> clusters, boolean removeOthers) {
        var copy = Map.copyOf(clusters);
        thread.execute(() -> {
            try {
                if (!client.blockUntilConnected(10, TimeUnit.SECONDS)) {
                    LOG.warn("ZooKeeper at {} does not answer; the ServerSets wait", url.connectString());
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (sessionLost) {
                sessionLost = false;
                published.clear();
            }
            copy.forEach(this::sync);
            Set<String> gone = new HashSet<>(published.keySet());
            if (removeOthers) {
                gone.addAll(children(url.path()));
            }
            gone.removeAll(copy.keySet());
            gone.forEach(this::remove);
        });
    }

    /** Waits until what was asked so far is done (tests, shutdown). */
    public void flush() throws InterruptedException {
        var done = new java.util.concurrent.CountDownLatch(1);
        thread.execute(done::countDown);
        done.await(30, TimeUnit.SECONDS);
    }

    private void sync(String cluster, ServerSet set) {
        var base = url.clusterPath(cluster);
        var mine = published.computeIfAbsent(cluster, c -> new HashMap<>());
        var wanted = new HashMap<String, String>();
        set.master().ifPresent(m -> wanted.put(m.taskId(), "master"));
        set.slaves().forEach(s -> wanted.putIfAbsent(s.taskId(), "slaves"));
        var members = new HashMap<String, ServerSet.Member>();
        set.slaves().forEach(s -> members.put(s.taskId(), s));
        set.master().ifPresent(m -> members.put(m.taskId(), m));
        try {
            var ops = new ArrayList<CuratorOp>();
            var creating = new ArrayList<String>();
            for (var entry : mine.entrySet()) {
                if (!entry.getValue().group().equals(wanted.get(entry.getKey()))) {
                    ops.add(client.transactionOp().delete().forPath(entry.getValue().path()));
                }
            }
            for (var entry : wanted.entrySet()) {
                var now = mine.get(entry.getKey());
                if (now == null || !now.group().equals(entry.getValue())) {
                    var m = members.get(entry.getKey());
                    ops.add(client.transactionOp().create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                            .forPath(base + "/" + entry.getValue() + "/member_", instance(m.host(), m.port())));
                    creating.add(entry.getKey());
                }
            }
            if (ops.isEmpty()) {
                return;
            }
            for (var group : List.of("master", "slaves")) {
                if (client.checkExists().forPath(base + "/" + group) == null) {
                    client.create().creatingParentsIfNeeded().forPath(base + "/" + group);
                }
            }
            var results = client.transaction().forOperations(ops);
            mine.keySet().removeIf(task -> !wanted.containsKey(task) || !mine.get(task).group().equals(wanted.get(task)));
            int i = 0;
            for (var result : results) {
                if (result.getType() == OperationType.CREATE) {
                    var task = creating.get(i++);
                    mine.put(task, new Published(wanted.get(task), result.getResultPath()));
                }
            }
            LOG.info("ServerSets of {}: master {}, slaves {}", cluster,
                    set.master().map(m -> m.host() + ":" + m.port()).orElse("none"),
                    set.slaves().stream().map(s -> s.host() + ":" + s.port()).toList());
        } catch (Exception e) {
            LOG.warn("ServerSets of {} not updated ({}); starting over", cluster, e.getMessage());
            forgetOwnMembers(cluster);
        }
    }

    /** After a failed update: delete this session's members of the cluster, so the next round publishes them afresh. */
    private void forgetOwnMembers(String cluster) {
        published.remove(cluster);
        try {
            long session = client.getZookeeperClient().getZooKeeper().getSessionId();
            for (var group : List.of("master", "slaves")) {
                var dir = url.clusterPath(cluster) + "/" + group;
                for (var child : children(dir)) {
                    var stat = client.checkExists().forPath(dir + "/" + child);
                    if (stat != null && stat.getEphemeralOwner() == session) {
                        client.delete().quietly().forPath(dir + "/" + child);
                    }
                }
            }
        } catch (Exception e) {
            LOG.warn("ServerSets of {}: cannot clean up ({})", cluster, e.getMessage());
        }
    }

    private void remove(String cluster) {
        try {
            client.delete().quietly().deletingChildrenIfNeeded().forPath(url.clusterPath(cluster));
            published.remove(cluster);
            LOG.info("ServerSets of {} deleted: the cluster is gone", cluster);
        } catch (Exception e) {
            LOG.warn("ServerSets of {}: cannot delete ({})", cluster, e.getMessage());
        }
    }

    private List<String> children(String path) {
        try {
            return client.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            LOG.warn("Cannot list {}: {}", path, e.getMessage());
            return List.of();
        }
    }

    static byte[] instance(String host, int port) {
        var node = MAPPER.createObjectNode();
        node.putObject("serviceEndpoint").put("host", host).put("port", port);
        node.putObject("additionalEndpoints");
        node.put("status", "ALIVE");
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}

package io.mysos.actors.mesos;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leading Mesos master, as the masters register it in ZooKeeper (see {@link LeadingMaster}):
 * the children of the path are watched, and every change of the leader (another master, or none)
 * goes to the listener. Reads run on one thread of their own, never on ZooKeeper's event thread.
 * A lost ZooKeeper session means no leader is known until it is back.
 */
final class ZooKeeperMasters implements MasterChoice {
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperMasters.class);
    private static final long RETRY_SECONDS = 5;

    private final LeadingMaster.ZkAddress address;
    private final Consumer<Optional<String>> listener;
    private final CuratorFramework client;
    private final ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor(r -> {
        var thread = new Thread(r, "mysos-mesos-master-detector");
        thread.setDaemon(true);
        return thread;
    });
    private final CuratorWatcher watcher = event -> refresh();
    private volatile Optional<String> leader = Optional.empty();
    /** Whether the path was read once: the first reading is told even when it finds no master. */
    private boolean known;

    private ZooKeeperMasters(LeadingMaster.ZkAddress address, Consumer<Optional<String>> listener) {
        this.address = address;
        this.listener = listener;
        this.client = CuratorFrameworkFactory.builder().connectString(address.connectString())
                .retryPolicy(new ExponentialBackoffRetry(1000, 3)).build();
    }

    static ZooKeeperMasters start(LeadingMaster.ZkAddress address, Consumer<Optional<String>> listener) {
        var masters = new ZooKeeperMasters(address, listener);
        masters.client.getConnectionStateListenable().addListener((client, state) -> masters.onState(state));
        masters.client.start();
        masters.refresh();
        return masters;
    }

    @Override
    public Optional<String> master(int lost) {
        return leader;
    }

    @Override
    public boolean detected() {
        return true;
    }

    private void onState(ConnectionState state) {
        if (state == ConnectionState.LOST) {
            onReader(() -> publish(Optional.empty(), "the ZooKeeper session is lost"));
        } else if (state == ConnectionState.RECONNECTED) {
            refresh();
        }
    }

    private void refresh() {
        onReader(this::read);
    }

    /** Runs on the reader thread, unless closed meanwhile (ZooKeeper's threads may still call in while it closes). */
    private void onReader(Runnable work) {
        try {
            reader.execute(work);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    /** Reads the children (watching them, or the path while it does not exist) and the leader's MasterInfo. */
    private void read() {
        try {
            if (client.checkExists().usingWatcher(watcher).forPath(address.path()) == null) {
                publish(Optional.empty(), "no " + address.path() + " in ZooKeeper yet");
                return;
            }
            var node = LeadingMaster.leaderNode(client.getChildren().usingWatcher(watcher).forPath(address.path()));
            if (node.isEmpty()) {
                publish(Optional.empty(), "no master is registered");
                return;
            }
            var found = LeadingMaster.address(client.getData().forPath(address.path() + "/" + node.get()));
            publish(found, found.isEmpty() ? "the leader's znode " + node.get() + " holds no readable MasterInfo JSON" : "");
        } catch (KeeperException.NoNodeException e) {
            refresh(); // the leader's znode went away between the two reads; the children changed, read them again
        } catch (Exception e) {
            if (!reader.isShutdown()) {
                LOG.warn("Cannot read the Mesos masters from {} ({}); trying again in {} s", address, e.toString(), RETRY_SECONDS);
                reader.schedule(this::read, RETRY_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    private void publish(Optional<String> now, String why) {
        if (known && now.equals(leader)) {
            return;
        }
        known = true;
        leader = now;
        if (now.isPresent()) {
            LOG.info("The leading Mesos master in {} is {}", address, now.get());
        } else {
            LOG.warn("No leading Mesos master in {} ({}): staying disconnected until one registers", address, why);
        }
        listener.accept(now);
    }

    @Override
    public void close() {
        reader.shutdownNow();
        client.close();
    }
}

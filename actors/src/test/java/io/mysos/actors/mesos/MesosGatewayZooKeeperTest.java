package io.mysos.actors.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.mesosphere.mesos.rx.java.protobuf.ProtobufMessageCodecs;
import com.mesosphere.mesos.rx.java.test.simulation.MesosServerSimulation;
import com.typesafe.config.ConfigFactory;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.endpoints.serverset.ZooKeeperProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import rx.subjects.ReplaySubject;

/**
 * Master detection through a real ZooKeeper (Debian's): two simulated Mesos masters register as
 * Mesos does ({@code json.info_<seq>} ephemeral sequential znodes holding MasterInfo JSON), and the
 * gateway follows the leader.
 */
class MesosGatewayZooKeeperTest {
    private static final ActorTestKit KIT = ActorTestKit.create(ConfigFactory.parseString(
            "mysos.mesos.reconnect { min-backoff = 50ms, max-backoff = 200ms }").withFallback(ConfigFactory.load()));
    private static final Protos.FrameworkID FRAMEWORK = Protos.FrameworkID.newBuilder().setValue("fw-zk").build();
    private static ZooKeeperProcess zooKeeper;
    private static ZooKeeper masters;

    @BeforeAll
    static void start() throws Exception {
        zooKeeper = ZooKeeperProcess.start();
        var connected = new CountDownLatch(1);
        masters = new ZooKeeper(zooKeeper.connectString(), 30_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertTrue(connected.await(30, TimeUnit.SECONDS));
        masters.create("/mesos", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    @AfterAll
    static void stop() throws Exception {
        KIT.shutdownTestKit();
        if (masters != null) {
            masters.close();
        }
        if (zooKeeper != null) {
            zooKeeper.close();
        }
    }

    private static MesosServerSimulation<Event, Call> master(ReplaySubject<Event> events) {
        var master = new MesosServerSimulation<>(events, ProtobufMessageCodecs.SCHEDULER_EVENT, ProtobufMessageCodecs.SCHEDULER_CALL,
                (Call call) -> call.getType() == Call.Type.SUBSCRIBE);
        master.start();
        return master;
    }

    /** Registers a master as Mesos 1.x does: an ephemeral sequential {@code json.info_} znode with its MasterInfo. */
    private static String register(int port) throws Exception {
        var info = "{\"address\":{\"hostname\":\"localhost\",\"ip\":\"127.0.0.1\",\"port\":" + port + "},\"hostname\":\"localhost\","
                + "\"id\":\"master-" + port + "\",\"ip\":16777343,\"pid\":\"master@127.0.0.1:" + port + "\",\"port\":" + port
                + ",\"version\":\"1.2.3\"}";
        return masters.create("/mesos/json.info_", info.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.EPHEMERAL_SEQUENTIAL);
    }

    private static Event subscribed() {
        return Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
                .setFrameworkId(FRAMEWORK).setHeartbeatIntervalSeconds(15)).build();
    }

    @Test
    void waitsForALeaderSubscribesToItAndFollowsTheNextLeaderWithTheSameFrameworkId() throws Exception {
        var firstEvents = ReplaySubject.<Event>create();
        var first = master(firstEvents);
        var secondEvents = ReplaySubject.<Event>create();
        var second = master(secondEvents);
        try {
            var offers = KIT.<ResourceSide.OfferEvent>createTestProbe();
            var ids = new java.util.concurrent.LinkedBlockingQueue<String>();
            var settings = MesosSettings.fromConfig(KIT.system().settings().config())
                    .withMaster("zk://" + zooKeeper.connectString() + "/mesos");
            // No master is registered yet: the gateway stays disconnected until one is.
            var gateway = KIT.spawn(MesosGateway.create(settings, ids::add));
            gateway.tell(new ResourceSide.SubscribeOffers(offers.ref()));

            var firstNode = register(first.getServerPort());
            register(second.getServerPort());
            assertTrue(first.awaitSubscribeCall(10, TimeUnit.SECONDS), "the leader (lowest sequence) gets the SUBSCRIBE");
            firstEvents.onNext(subscribed());
            offers.expectMessage(Duration.ofSeconds(10), ResourceSide.Connected.INSTANCE);
            assertEquals("fw-zk", ids.poll(10, TimeUnit.SECONDS));

            // The leader's znode goes (its ZooKeeper session ended); its HTTP stream is still open: ZooKeeper alone says it is gone.
            masters.delete(firstNode, -1);
            offers.expectMessage(Duration.ofSeconds(10), ResourceSide.Disconnected.INSTANCE);
            assertTrue(second.awaitSubscribeCall(10, TimeUnit.SECONDS), "the new leader gets the SUBSCRIBE");
            var subscribe = second.getCallsReceived().stream().filter(c -> c.getType() == Call.Type.SUBSCRIBE).findFirst().orElseThrow();
            assertEquals(FRAMEWORK, subscribe.getFrameworkId(), "the same framework, so Mesos keeps its tasks");
            assertEquals(FRAMEWORK, subscribe.getSubscribe().getFrameworkInfo().getId());
            secondEvents.onNext(subscribed());
            offers.expectMessage(Duration.ofSeconds(10), ResourceSide.Connected.INSTANCE);

            // The last master goes: no leader, disconnected.
            for (var child : masters.getChildren("/mesos", false)) {
                masters.delete("/mesos/" + child, -1);
            }
            offers.expectMessage(Duration.ofSeconds(10), ResourceSide.Disconnected.INSTANCE);
            KIT.stop(gateway);
        } finally {
            first.shutdown();
            second.shutdown();
        }
    }
}

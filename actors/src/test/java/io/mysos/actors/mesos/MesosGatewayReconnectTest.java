package io.mysos.actors.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.mesosphere.mesos.rx.java.protobuf.ProtobufMessageCodecs;
import com.mesosphere.mesos.rx.java.test.simulation.MesosServerSimulation;
import com.typesafe.config.ConfigFactory;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import rx.subjects.ReplaySubject;

/** A lost master: Disconnected, then a new subscription with the same framework id, then explicit reconciliation. */
class MesosGatewayReconnectTest {
    private static final ActorTestKit KIT = ActorTestKit.create(ConfigFactory.parseString(
            "mysos.mesos.reconnect { min-backoff = 50ms, max-backoff = 200ms }").withFallback(ConfigFactory.load()));
    private static final Protos.FrameworkID FRAMEWORK = Protos.FrameworkID.newBuilder().setValue("fw-1").build();

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private static MesosServerSimulation<Event, Call> master(ReplaySubject<Event> events) {
        var master = new MesosServerSimulation<>(events, ProtobufMessageCodecs.SCHEDULER_EVENT, ProtobufMessageCodecs.SCHEDULER_CALL,
                (Call call) -> call.getType() == Call.Type.SUBSCRIBE);
        master.start();
        return master;
    }

    private static Event subscribed(double heartbeatSeconds) {
        return Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
                .setFrameworkId(FRAMEWORK).setHeartbeatIntervalSeconds(heartbeatSeconds)).build();
    }

    @Test
    void aLostMasterMeansDisconnectedThenTheSameFrameworkSubscribesAgainAndReconciles() throws Exception {
        var firstEvents = ReplaySubject.<Event>create();
        var first = master(firstEvents);
        var secondEvents = ReplaySubject.<Event>create();
        var second = master(secondEvents);
        try (var forwarder = new Forwarder(first.getServerPort())) {
            var offers = KIT.<ResourceSide.OfferEvent>createTestProbe();
            var settings = MesosSettings.fromConfig(KIT.system().settings().config()).withMaster("127.0.0.1:" + forwarder.port());
            var gateway = KIT.spawn(MesosGateway.create(settings, id -> { }));
            gateway.tell(new ResourceSide.SubscribeOffers(offers.ref()));
            assertTrue(first.awaitSubscribeCall(10, TimeUnit.SECONDS));
            firstEvents.onNext(subscribed(15));
            offers.expectMessage(Duration.ofSeconds(10), ResourceSide.Connected.INSTANCE);
            var task = TaskId.of("orders", 1);
            var key = SchedulerKey.generate();
            gateway.tell(new ResourceSide.Reconcile(List.of(new TaskData(task, "orders", 1, "h", 31000, Resources.DEFAULT_INSTANCE,
                    "app", key.seal("pw-pw-pw-pw"), key.seal("admin-pw-pw"), Optional.empty(), false))));

            forwarder.target(second.getServerPort());
            // The master ends the event stream (as a master that loses leadership does) and goes away.
            firstEvents.onCompleted();
            first.shutdown();
            offers.expectMessage(Duration.ofSeconds(10), ResourceSide.Disconnected.INSTANCE);

            assertTrue(second.awaitSubscribeCall(10, TimeUnit.SECONDS), "subscribes again");
            var subscribe = second.getCallsReceived().stream().filter(c -> c.getType() == Call.Type.SUBSCRIBE).findFirst().orElseThrow();
            assertEquals(FRAMEWORK, subscribe.getFrameworkId());
            assertEquals(FRAMEWORK, subscribe.getSubscribe().getFrameworkInfo().getId());
            secondEvents.onNext(subscribed(15));
            offers.expectMessage(Duration.ofSeconds(10), ResourceSide.Connected.INSTANCE);
            var reconcile = awaitCall(second, Call.Type.RECONCILE);
            assertEquals(List.of("mysos-orders-1"),
                    reconcile.getReconcile().getTasksList().stream().map(t -> t.getTaskId().getValue()).toList());
            KIT.stop(gateway);
        } finally {
            second.shutdown();
        }
    }

    @Test
    void aSilentMasterMeansDisconnected() throws Exception {
        var events = ReplaySubject.<Event>create();
        var master = master(events);
        try {
            var offers = KIT.<ResourceSide.OfferEvent>createTestProbe();
            var settings = MesosSettings.fromConfig(KIT.system().settings().config()).withMaster("127.0.0.1:" + master.getServerPort());
            var gateway = KIT.spawn(MesosGateway.create(settings, id -> { }));
            gateway.tell(new ResourceSide.SubscribeOffers(offers.ref()));
            assertTrue(master.awaitSubscribeCall(10, TimeUnit.SECONDS));
            // Heartbeats every 0.1 s that never come: after 5 intervals the master counts as gone.
            events.onNext(subscribed(0.1));
            offers.expectMessage(Duration.ofSeconds(10), ResourceSide.Connected.INSTANCE);
            offers.expectMessage(Duration.ofSeconds(10), ResourceSide.Disconnected.INSTANCE);
            KIT.stop(gateway);
        } finally {
            master.shutdown();
        }
    }

    @Test
    void aMasterThatCannotBeReachedIsFollowedByTheNextOfTheList() throws Exception {
        int nobody;
        try (var socket = new java.net.ServerSocket(0)) {
            nobody = socket.getLocalPort();
        }
        var events = ReplaySubject.<Event>create();
        var master = master(events);
        try {
            var offers = KIT.<ResourceSide.OfferEvent>createTestProbe();
            var settings = MesosSettings.fromConfig(KIT.system().settings().config())
                    .withMaster("127.0.0.1:" + nobody + ", 127.0.0.1:" + master.getServerPort());
            var gateway = KIT.spawn(MesosGateway.create(settings, id -> { }));
            gateway.tell(new ResourceSide.SubscribeOffers(offers.ref()));
            assertTrue(master.awaitSubscribeCall(10, TimeUnit.SECONDS), "the second master gets the SUBSCRIBE");
            events.onNext(subscribed(15));
            offers.expectMessage(Duration.ofSeconds(10), ResourceSide.Connected.INSTANCE);
            KIT.stop(gateway);
        } finally {
            master.shutdown();
        }
    }

    @Test
    void aRemovedFrameworkSubscribesAgainAsANewFramework() throws Exception {
        var firstEvents = ReplaySubject.<Event>create();
        var first = master(firstEvents);
        var secondEvents = ReplaySubject.<Event>create();
        var second = master(secondEvents);
        try {
            var offers = KIT.<ResourceSide.OfferEvent>createTestProbe();
            var ids = new java.util.concurrent.LinkedBlockingQueue<String>();
            var settings = MesosSettings.fromConfig(KIT.system().settings().config())
                    .withMaster("127.0.0.1:" + first.getServerPort() + ",127.0.0.1:" + second.getServerPort());
            var gateway = KIT.spawn(MesosGateway.create(settings, ids::add));
            gateway.tell(new ResourceSide.SubscribeOffers(offers.ref()));
            assertTrue(first.awaitSubscribeCall(10, TimeUnit.SECONDS));
            firstEvents.onNext(subscribed(15));
            offers.expectMessage(Duration.ofSeconds(10), ResourceSide.Connected.INSTANCE);
            firstEvents.onNext(Event.newBuilder().setType(Event.Type.ERROR)
                    .setError(Event.Error.newBuilder().setMessage("Framework has been removed")).build());
            offers.expectMessage(Duration.ofSeconds(10), ResourceSide.Disconnected.INSTANCE);

            assertTrue(second.awaitSubscribeCall(10, TimeUnit.SECONDS), "subscribes again");
            var subscribe = second.getCallsReceived().stream().filter(c -> c.getType() == Call.Type.SUBSCRIBE).findFirst().orElseThrow();
            assertFalse(subscribe.hasFrameworkId(), "as a new framework");
            assertFalse(subscribe.getSubscribe().getFrameworkInfo().hasId());
            var renewed = Protos.FrameworkID.newBuilder().setValue("fw-2").build();
            secondEvents.onNext(Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
                    .setFrameworkId(renewed).setHeartbeatIntervalSeconds(15)).build());
            offers.expectMessage(Duration.ofSeconds(10), ResourceSide.Connected.INSTANCE);
            assertEquals("fw-1", ids.poll(5, TimeUnit.SECONDS));
            assertEquals("fw-2", ids.poll(5, TimeUnit.SECONDS), "the new id is recorded");
            KIT.stop(gateway);
        } finally {
            first.shutdown();
            second.shutdown();
        }
    }

    private static Call awaitCall(MesosServerSimulation<Event, Call> master, Call.Type type) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var found = master.getCallsReceived().stream().filter(c -> c.getType() == type).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + type + " call in " + master.getCallsReceived());
    }
}

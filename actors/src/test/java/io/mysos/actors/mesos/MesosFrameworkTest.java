package io.mysos.actors.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.mesosphere.mesos.rx.java.protobuf.ProtobufMessageCodecs;
import com.mesosphere.mesos.rx.java.test.simulation.MesosServerSimulation;
import io.mysos.actors.resource.ResourceSide;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import rx.subjects.ReplaySubject;

/** The framework id is an event: a restarted scheduler subscribes as the same framework. */
class MesosFrameworkTest {
    private static final ActorTestKit KIT = ActorTestKit.create(EventSourcedBehaviorTestKit.config()
            .withFallback(com.typesafe.config.ConfigFactory.load()));

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    @Test
    void theAssignedFrameworkIdIsRecordedAndUsedAfterARestart() throws Exception {
        var journal = PersistenceTestKit.create(KIT.system());
        journal.clearAll();

        var firstEvents = ReplaySubject.<Event>create();
        var first = master(firstEvents);
        var offers = KIT.<ResourceSide.OfferEvent>createTestProbe();
        var framework = KIT.spawn(MesosFramework.create(settings(first)));
        framework.tell(new ResourceSide.SubscribeOffers(offers.ref()));
        try {
            assertTrue(first.awaitSubscribeCall(10, TimeUnit.SECONDS));
            var subscribe = first.getCallsReceived().get(0);
            assertFalse(subscribe.getSubscribe().getFrameworkInfo().hasId(), "nothing recorded yet: a new framework");
            firstEvents.onNext(subscribed("fw-7"));
            offers.expectMessage(Duration.ofSeconds(10), ResourceSide.Connected.INSTANCE);
            journal.expectNextPersisted(MesosFramework.PERSISTENCE_ID.id(), new MesosFramework.FrameworkIdAssigned("fw-7"));
            KIT.stop(framework);
        } finally {
            first.shutdown();
        }

        var secondEvents = ReplaySubject.<Event>create();
        var second = master(secondEvents);
        var restarted = KIT.spawn(MesosFramework.create(settings(second)));
        try {
            assertTrue(second.awaitSubscribeCall(10, TimeUnit.SECONDS));
            var subscribe = second.getCallsReceived().get(0);
            assertEquals("fw-7", subscribe.getFrameworkId().getValue());
            assertEquals("fw-7", subscribe.getSubscribe().getFrameworkInfo().getId().getValue());
            // The same id again is not recorded twice.
            secondEvents.onNext(subscribed("fw-7"));
            restarted.tell(new ResourceSide.SubscribeOffers(offers.ref()));
            offers.expectMessage(Duration.ofSeconds(10), ResourceSide.Connected.INSTANCE);
            journal.expectNothingPersisted(MesosFramework.PERSISTENCE_ID.id());
            KIT.stop(restarted);
        } finally {
            second.shutdown();
        }
    }

    private static MesosSettings settings(MesosServerSimulation<Event, Call> master) {
        return MesosSettings.fromConfig(KIT.system().settings().config()).withMaster("127.0.0.1:" + master.getServerPort());
    }

    private static MesosServerSimulation<Event, Call> master(ReplaySubject<Event> events) {
        var master = new MesosServerSimulation<>(events, ProtobufMessageCodecs.SCHEDULER_EVENT, ProtobufMessageCodecs.SCHEDULER_CALL,
                (Call call) -> call.getType() == Call.Type.SUBSCRIBE);
        master.start();
        return master;
    }

    private static Event subscribed(String id) {
        return Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
                .setFrameworkId(Protos.FrameworkID.newBuilder().setValue(id)).setHeartbeatIntervalSeconds(15)).build();
    }
}

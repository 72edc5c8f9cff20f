package io.mysos.actors.offer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.mysos.actors.Instruments;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.offer.Demand;
import io.mysos.core.offer.Offer;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.resources.PortRange;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The router tells the installed {@link Instruments} how many offers it received, declined and used. */
class OfferCountsTest {
    private final ActorTestKit kit = ActorTestKit.create();
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger declined = new AtomicInteger();
    private final AtomicInteger used = new AtomicInteger();

    @AfterEach
    void shutdown() {
        kit.shutdownTestKit();
    }

    private TestProbe<ResourceSide.Command> side;
    private ActorRef<OfferRouter.Command> router;
    private ActorRef<ResourceSide.OfferEvent> offers;

    private void start() {
        Instruments.use(kit.system(), new Instruments() {
            @Override
            public void offersReceived(int count) {
                received.addAndGet(count);
            }

            @Override
            public void offersDeclined(int count) {
                declined.addAndGet(count);
            }

            @Override
            public void offersUsed(int count) {
                used.addAndGet(count);
            }

            @Override
            public void eventsRecorded(String cluster, List<ClusterEvent> events, Duration write) {}
        });
        side = kit.createTestProbe();
        router = kit.spawn(OfferRouter.create(side.ref(), Duration.ofSeconds(3)));
        offers = side.expectMessageClass(ResourceSide.SubscribeOffers.class).subscriber();
        offers.tell(ResourceSide.Connected.INSTANCE);
    }

    private static Offer offer(String id, String host) {
        return new Offer(id, "agent-" + host, host, Resources.DEFAULT_INSTANCE, List.of(new PortRange(31000, 31009)));
    }

    @Test
    void offersNobodyNeedsAreReceivedAndDeclined() {
        start();
        offers.tell(new ResourceSide.OffersReceived(List.of(offer("o1", "a"), offer("o2", "b"))));
        side.fishForMessage(Duration.ofSeconds(3), m -> m instanceof ResourceSide.Decline
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
        assertEquals(2, received.get());
        assertEquals(2, declined.get());
        assertEquals(0, used.get());
    }

    @Test
    void anOfferAClusterTakesIsUsed() {
        start();
        TestProbe<OfferRouter.ToCluster> cluster = kit.createTestProbe();
        router.tell(new OfferRouter.UpdateDemand(new Demand("orders", 1, Resources.DEFAULT_INSTANCE, Set.of(), 1), cluster.ref()));
        offers.tell(new ResourceSide.OffersReceived(List.of(offer("o1", "a"))));
        var place = cluster.expectMessageClass(OfferRouter.Place.class);
        var p = place.placement();
        var key = SchedulerKey.generate();
        place.replyTo().tell(new OfferRouter.Accepted(p, new TaskData(TaskId.of("orders", 1), "orders", 1, p.host(), p.port(),
                p.resources(), "app", key.seal("pw-pw-pw-pw"), key.seal("admin-pw-pw"), Optional.empty(), false)));
        side.fishForMessage(Duration.ofSeconds(3), m -> m instanceof ResourceSide.Launch
                ? FishingOutcomes.complete()
                : FishingOutcomes.continueAndIgnore());
        assertEquals(1, received.get());
        assertEquals(1, used.get());
        assertEquals(0, declined.get());
    }
}

package io.mysos.actors.offer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.offer.Demand;
import io.mysos.core.offer.Offer;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.resources.PortRange;
import io.mysos.core.resources.Resources;
import io.mysos.core.size.DataSize;
import io.mysos.core.task.TaskId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OfferRouterTest {
    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final SchedulerKey KEY = SchedulerKey.generate();
    private static final Resources SIZE = Resources.DEFAULT_INSTANCE;

    private TestProbe<ResourceSide.Command> side;
    private ActorRef<OfferRouter.Command> router;
    /** Where the resource side sends offers: the router's adapter. */
    private ActorRef<ResourceSide.OfferEvent> offers;

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    @BeforeEach
    void setUp() {
        side = KIT.createTestProbe();
        router = KIT.spawn(OfferRouter.create(side.ref(), Duration.ofSeconds(3)));
        offers = side.expectMessageClass(ResourceSide.SubscribeOffers.class).subscriber();
        offers.tell(ResourceSide.Connected.INSTANCE);
    }

    private static Offer offer(String id, String host, Resources resources, int firstPort) {
        return new Offer(id, "agent-" + host, host, resources, List.of(new PortRange(firstPort, firstPort + 9)));
    }

    private static Resources times(int n) {
        return new Resources(n, DataSize.ofMegabytes(512L * n), DataSize.ofGigabytes(2L * n));
    }

    private TestProbe<OfferRouter.ToCluster> demand(String cluster, int instances, long since) {
        TestProbe<OfferRouter.ToCluster> probe = KIT.createTestProbe();
        router.tell(new OfferRouter.UpdateDemand(new Demand(cluster, instances, SIZE, Set.of(), since), probe.ref()));
        return probe;
    }

    private static TaskData task(OfferRouter.Place place, long serverId) {
        var p = place.placement();
        return new TaskData(TaskId.of(p.cluster(), serverId), p.cluster(), serverId, p.host(), p.port(), p.resources(), "app",
                KEY.seal("pw-pw-pw-pw"), KEY.seal("admin-pw-pw"), Optional.empty(), false);
    }

    @Test
    void revivesOffersWhenDemandAppearsAndSuppressesWhenItIsGone() {
        var cluster = demand("orders", 1, 1);
        side.expectMessage(ResourceSide.Revive.INSTANCE);
        router.tell(new OfferRouter.UpdateDemand(new Demand("orders", 0, SIZE, Set.of(), 1), cluster.ref()));
        side.expectMessage(ResourceSide.Suppress.INSTANCE);
    }

    @Test
    void repeatedUnchangedDemandDoesNotReviveAgain() {
        var cluster = demand("orders", 1, 1);
        side.expectMessage(ResourceSide.Revive.INSTANCE);
        router.tell(new OfferRouter.UpdateDemand(new Demand("orders", 1, SIZE, Set.of(), 1), cluster.ref()));
        // Exactly nothing for the repeat: the router handles messages in order, so the next thing the
        // resource side hears is the suppress of the demand that came after it, not a second revive.
        router.tell(new OfferRouter.UpdateDemand(new Demand("orders", 0, SIZE, Set.of(), 1), cluster.ref()));
        side.expectMessage(ResourceSide.Suppress.INSTANCE);
    }

    @Test
    void launchesWhatTheClusterAcceptedInOneCallPerOffer() {
        var cluster = demand("orders", 2, 1);
        side.expectMessage(ResourceSide.Revive.INSTANCE);
        offers.tell(new ResourceSide.OffersReceived(List.of(offer("o1", "host-a", times(4), 31000))));
        var first = cluster.expectMessageClass(OfferRouter.Place.class);
        var second = cluster.expectMessageClass(OfferRouter.Place.class);
        assertEquals(Set.of(31000, 31001), Set.of(first.placement().port(), second.placement().port()));
        // Nothing is launched on the first answer: the next call the side gets holds both tasks.
        first.replyTo().tell(new OfferRouter.Accepted(first.placement(), task(first, 1)));
        second.replyTo().tell(new OfferRouter.Accepted(second.placement(), task(second, 2)));
        var launch = side.expectMessageClass(ResourceSide.Launch.class);
        assertEquals("o1", launch.offerId());
        // In one call, in whatever order the two answers (from two ask adapters) reached the router.
        assertEquals(List.of(TaskId.of("orders", 1), TaskId.of("orders", 2)), launch.tasks().stream().map(TaskData::taskId)
                .sorted(java.util.Comparator.comparing(TaskId::toString)).toList());
    }

    @Test
    void firstComeFirstServedAcrossClusters() {
        var later = demand("later", 1, 200);
        var earlier = demand("earlier", 1, 100);
        side.receiveSeveralMessages(2);
        offers.tell(new ResourceSide.OffersReceived(List.of(offer("o1", "host-a", times(1), 31000))));
        var place = earlier.expectMessageClass(OfferRouter.Place.class);
        assertEquals("earlier", place.placement().cluster());
        later.fishForMessage(Duration.ofSeconds(2), m -> m instanceof OfferRouter.Shortfall s && s.reason().isPresent()
                ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
    }

    @Test
    void declinesOffersNobodyCanUse() {
        var cluster = demand("orders", 1, 1);
        side.expectMessage(ResourceSide.Revive.INSTANCE);
        var small = new Resources(1, DataSize.ofMegabytes(300), DataSize.ofGigabytes(10));
        offers.tell(new ResourceSide.OffersReceived(List.of(offer("o1", "host-a", small, 31000))));
        assertEquals(new ResourceSide.Decline(List.of("o1")), side.receiveMessage());
        var shortfall = (OfferRouter.Shortfall) cluster.fishForMessage(Duration.ofSeconds(2), m -> m instanceof OfferRouter.Shortfall
                ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore()).get(0);
        assertEquals(Optional.of("waiting for resources: 1 x {cpus 1, mem 512mb, disk 2gb}; largest free offer has mem 300mb"),
                shortfall.reason());
    }

    @Test
    void declinesAnOfferWhoseClusterRejectedThePlacement() {
        var cluster = demand("orders", 1, 1);
        side.expectMessage(ResourceSide.Revive.INSTANCE);
        offers.tell(new ResourceSide.OffersReceived(List.of(offer("o1", "host-a", times(1), 31000))));
        var place = cluster.expectMessageClass(OfferRouter.Place.class);
        place.replyTo().tell(new OfferRouter.Rejected(place.placement(), "needs nothing"));
        assertEquals(new ResourceSide.Decline(List.of("o1")), side.receiveMessage());
    }

    @Test
    void aClusterThatDoesNotAnswerCostsTheOfferNotTheRouter() {
        var cluster = demand("orders", 1, 1);
        side.expectMessage(ResourceSide.Revive.INSTANCE);
        offers.tell(new ResourceSide.OffersReceived(List.of(offer("o1", "host-a", times(1), 31000))));
        cluster.expectMessageClass(OfferRouter.Place.class);
        assertEquals(new ResourceSide.Decline(List.of("o1")), side.receiveMessage(Duration.ofSeconds(5)));
    }

    @Test
    void reportsWhetherResourcesAreConnected() {
        TestProbe<OfferRouter.Status> probe = KIT.createTestProbe();
        demand("orders", 3, 1);
        router.tell(new OfferRouter.GetStatus(probe.ref()));
        assertEquals(new OfferRouter.Status(true, 3), probe.receiveMessage());
        offers.tell(ResourceSide.Disconnected.INSTANCE);
        router.tell(new OfferRouter.GetStatus(probe.ref()));
        assertTrue(!probe.receiveMessage().connected());
    }
}

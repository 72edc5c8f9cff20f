package io.mysos.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import akka.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.typesafe.config.ConfigFactory;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.core.offer.Placement;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.resources.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A journal that fails a write: the persistent actors come back with backoff instead of stopping
 * for good, a create whose cluster actor could not record it is asked again until it is, and a
 * name is only given to a new cluster actor once the previous one has terminated.
 */
class JournalFailureTest {
    private static final ClusterSecrets SECRETS = ClusterSecrets.create("correct-horse", SchedulerKey.generate());
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private ActorTestKit kit;
    private PersistenceTestKit journal;
    private TestProbe<ClusterRegistry.Command> registryProbe;
    private TestProbe<OfferRouter.Command> router;
    private TestProbe<ResourceSide.Command> resources;
    private ClusterActor.Settings settings;

    @BeforeEach
    void setUp() {
        kit = ActorTestKit.create(PersistenceTestKitPlugin.getInstance().config()
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load()));
        journal = PersistenceTestKit.create(kit.system());
        registryProbe = kit.createTestProbe();
        router = kit.createTestProbe();
        resources = kit.createTestProbe();
        settings = ClusterActor.Settings.fromConfig(kit.system().settings().config());
    }

    @AfterEach
    void tearDown() {
        kit.shutdownTestKit();
    }

    private static ClusterSpec spec(String name) {
        return new ClusterSpec(name, "app", 2, Resources.DEFAULT_INSTANCE, Optional.empty(), false);
    }

    private static Placement placement(int port) {
        return new Placement("orders", "offer-" + port, "agent-1", "127.0.0.1", port, Resources.DEFAULT_INSTANCE);
    }

    @Test
    void aClusterActorComesBackAfterAFailedWriteAndRecordsNothingOfIt() {
        var cluster = kit.spawn(ClusterActor.create("orders", new ClusterActor.Peers(registryProbe.ref(), router.ref(),
                resources.ref()), settings));
        var created = kit.<ClusterActor.CreateResult>createTestProbe();
        cluster.tell(new ClusterActor.Create(spec("orders"), SECRETS, settings.clock().instant(), created.ref()));
        created.expectMessage(new ClusterActor.Created("orders"));

        journal.failNextPersisted(ClusterActor.persistenceId("orders").id());
        var answers = kit.<OfferRouter.PlaceResult>createTestProbe();
        cluster.tell(new ClusterActor.FromRouter(new OfferRouter.Place(placement(31000), answers.ref())));
        cluster.tell(new ClusterActor.FromRouter(new OfferRouter.Place(placement(31001), answers.ref())));

        // The failed write is never answered (the router's ask times out); the next placement is, after the restart.
        var accepted = assertInstanceOf(OfferRouter.Accepted.class, answers.receiveMessage(PATIENCE));
        assertEquals(31001, accepted.placement().port());
        assertEquals(1, accepted.task().serverId(), "the failed write took no server id");
        var events = journal.persistedInStorage(ClusterActor.persistenceId("orders").id());
        assertEquals(2, events.size(), events.toString());
        assertInstanceOf(io.mysos.core.cluster.ClusterEvent.ReplicaAdded.class, events.get(1));
    }

    @Test
    void aCreateTheClusterActorCouldNotRecordIsAskedAgainUntilItIs() {
        var registry = kit.spawn(ClusterRegistry.create(router.ref(), resources.ref(), settings, Duration.ofMillis(300)));
        resources.expectMessageClass(ResourceSide.SubscribeTasks.class);
        journal.failNextPersisted(ClusterActor.persistenceId("orders").id());

        var reply = kit.<ClusterRegistry.CreateResult>createTestProbe();
        registry.tell(new ClusterRegistry.CreateCluster(spec("orders"), SECRETS, reply.ref()));
        assertInstanceOf(ClusterRegistry.CreateFailed.class, reply.receiveMessage(PATIENCE));

        var view = kit.<Optional<ClusterView>>createTestProbe();
        view.awaitAssert(PATIENCE, () -> {
            registry.tell(new ClusterRegistry.GetCluster("orders", view.ref()));
            assertTrue(view.receiveMessage(Duration.ofSeconds(1)).isPresent(), "created once the journal took the write");
            return null;
        });
        var events = journal.persistedInStorage(ClusterActor.persistenceId("orders").id());
        assertEquals(1, events.size(), events.toString());
    }

    @Test
    void theRegistryComesBackAfterAFailedWrite() {
        var registry = kit.spawn(ClusterRegistry.create(router.ref(), resources.ref(), settings, Duration.ofSeconds(5)));
        journal.failNextPersisted(ClusterRegistry.PERSISTENCE_ID.id());
        var lost = kit.<ClusterRegistry.CreateResult>createTestProbe();
        registry.tell(new ClusterRegistry.CreateCluster(spec("lost"), SECRETS, lost.ref()));
        var reply = kit.<ClusterRegistry.CreateResult>createTestProbe();
        registry.tell(new ClusterRegistry.CreateCluster(spec("orders"), SECRETS, reply.ref()));

        assertEquals(new ClusterRegistry.Created("orders"), reply.receiveMessage(PATIENCE));
        var listed = kit.<List<ClusterView>>createTestProbe();
        listed.awaitAssert(PATIENCE, () -> {
            registry.tell(new ClusterRegistry.ListClusters(listed.ref()));
            assertEquals(List.of("orders"), listed.receiveMessage(Duration.ofSeconds(1)).stream().map(ClusterView::name).toList(),
                    "the create whose write failed left nothing behind");
            return null;
        });
    }

    @Test
    void aNameIsGivenToANewClusterActorOnlyOnceTheOldOneHasTerminated() {
        var registry = kit.spawn(ClusterRegistry.create(router.ref(), resources.ref(), settings, Duration.ofSeconds(5)));
        var reply = kit.<ClusterRegistry.CreateResult>createTestProbe();
        registry.tell(new ClusterRegistry.CreateCluster(spec("orders"), SECRETS, reply.ref()));
        assertEquals(new ClusterRegistry.Created("orders"), reply.receiveMessage(PATIENCE));

        // The cluster ends and a new one of the same name is asked for at once, before the old actor has stopped.
        registry.tell(new ClusterRegistry.ClusterGone("orders"));
        registry.tell(new ClusterRegistry.CreateCluster(spec("orders"), SECRETS, reply.ref()));
        assertEquals(new ClusterRegistry.Created("orders"), reply.receiveMessage(PATIENCE));
        var view = kit.<Optional<ClusterView>>createTestProbe();
        registry.tell(new ClusterRegistry.GetCluster("orders", view.ref()));
        assertTrue(view.receiveMessage(PATIENCE).isPresent());
    }

    @Test
    void aClusterActorThatStopsForGoodIsStartedAgainWithItsCluster() {
        var registry = kit.spawn(ClusterRegistry.create(router.ref(), resources.ref(), settings, Duration.ofSeconds(5)));
        var reply = kit.<ClusterRegistry.CreateResult>createTestProbe();
        registry.tell(new ClusterRegistry.CreateCluster(spec("orders"), SECRETS, reply.ref()));
        assertEquals(new ClusterRegistry.Created("orders"), reply.receiveMessage(PATIENCE));

        // A rejected event is not a journal outage: the actor stops for good, and the registry sees it terminate.
        journal.rejectNextPersisted(ClusterActor.persistenceId("orders").id());
        var outcome = kit.<ClusterActor.Outcome>createTestProbe();
        registry.tell(new ClusterRegistry.Guarded("orders", new ClusterActor.Resize(3, "correct-horse", outcome.ref())));

        outcome.awaitAssert(PATIENCE, () -> {
            registry.tell(new ClusterRegistry.Guarded("orders", new ClusterActor.Resize(3, "correct-horse", outcome.ref())));
            var answer = outcome.receiveMessage(Duration.ofSeconds(2));
            assertInstanceOf(ClusterActor.Done.class, answer, "served by the new actor, with the cluster it recovered: " + answer);
            return null;
        });
        var view = kit.<Optional<ClusterView>>createTestProbe();
        registry.tell(new ClusterRegistry.GetCluster("orders", view.ref()));
        assertEquals(3, view.receiveMessage(PATIENCE).orElseThrow().numNodes());
    }

    @Test
    void aCreateThatCanNoLongerBeAnsweredInTimeIsDroppedUnrecorded() {
        var registry = kit.spawn(ClusterRegistry.create(router.ref(), resources.ref(), settings, Duration.ofSeconds(5)));
        var reply = kit.<ClusterRegistry.CreateResult>createTestProbe();
        var now = settings.clock().instant();
        registry.tell(new ClusterRegistry.CreateCluster(spec("late"), SECRETS, Optional.of(now.plusSeconds(2)), reply.ref()));
        registry.tell(new ClusterRegistry.CreateCluster(spec("orders"), SECRETS, Optional.of(now.plusSeconds(60)), reply.ref()));
        assertEquals(new ClusterRegistry.Created("orders"), reply.receiveMessage(PATIENCE), "the late create got no answer");
        var listed = kit.<List<ClusterView>>createTestProbe();
        listed.awaitAssert(PATIENCE, () -> {
            registry.tell(new ClusterRegistry.ListClusters(listed.ref()));
            assertEquals(List.of("orders"), listed.receiveMessage(Duration.ofSeconds(1)).stream().map(ClusterView::name).toList());
            return null;
        });
        assertEquals(1, journal.persistedInStorage(ClusterRegistry.PERSISTENCE_ID.id()).size(), "only the create in time is recorded");
    }

    @Test
    void aCreateRecordedAfterItsAskerGaveUpIsUndoneAndTheNameStaysFree() {
        // The journal takes 1.5 s for the registry's write of "slow": longer than its asker waits (2 s, less the
        // second a reply needs to reach it), so the API has answered 503 by the time it is recorded.
        journal.withPolicy((persistenceId, operation) -> {
            if (persistenceId.equals(ClusterRegistry.PERSISTENCE_ID.id()) && operation instanceof akka.persistence.testkit.WriteEvents write
                    && write.getBatch().stream().anyMatch(e -> e instanceof ClusterRegistry.ClusterRegistered r
                            && r.spec().name().equals("slow"))) {
                sleep(Duration.ofMillis(1500));
            }
            return akka.persistence.testkit.ProcessingSuccess$.MODULE$;
        });
        var registry = kit.spawn(ClusterRegistry.create(router.ref(), resources.ref(), settings, Duration.ofSeconds(1)));
        var reply = kit.<ClusterRegistry.CreateResult>createTestProbe();
        registry.tell(new ClusterRegistry.CreateCluster(spec("slow"), SECRETS, Optional.of(settings.clock().instant().plusSeconds(2)),
                reply.ref()));

        var events = kit.<List<Object>>createTestProbe();
        events.awaitAssert(PATIENCE, () -> {
            var recorded = journal.persistedInStorage(ClusterRegistry.PERSISTENCE_ID.id());
            assertEquals(List.of(ClusterRegistry.ClusterRegistered.class, ClusterRegistry.ClusterRemoved.class),
                    recorded.stream().map(Object::getClass).toList(), "recorded, then undone: " + recorded);
            return null;
        });
        reply.expectNoMessage(Duration.ofMillis(200));
        var view = kit.<Optional<ClusterView>>createTestProbe();
        registry.tell(new ClusterRegistry.GetCluster("slow", view.ref()));
        assertTrue(view.receiveMessage(PATIENCE).isEmpty(), "a create answered 503 never takes effect");

        journal.resetPolicy();
        registry.tell(new ClusterRegistry.CreateCluster(spec("slow"), SECRETS, Optional.of(settings.clock().instant().plusSeconds(60)),
                reply.ref()));
        assertEquals(new ClusterRegistry.Created("slow"), reply.receiveMessage(PATIENCE), "the name is free for the create tried again");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

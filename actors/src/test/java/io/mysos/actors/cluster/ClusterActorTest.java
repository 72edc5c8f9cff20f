package io.mysos.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.core.cluster.ClusterStatus;
import io.mysos.core.offer.Placement;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterActorTest {
    private static final ActorTestKit KIT = ActorTestKit.create(EventSourcedBehaviorTestKit.config());
    private static final SchedulerKey KEY = SchedulerKey.generate();
    private static final ClusterSecrets SECRETS = ClusterSecrets.create("correct-horse", KEY);
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private TestProbe<ClusterRegistry.Command> registry;
    private TestProbe<OfferRouter.Command> router;
    private TestProbe<ResourceSide.Command> resources;
    private EventSourcedBehaviorTestKit<ClusterActor.Command, ClusterEvent, ClusterState> cluster;

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    @BeforeEach
    void setUp() {
        registry = KIT.createTestProbe();
        router = KIT.createTestProbe();
        resources = KIT.createTestProbe();
        var peers = new ClusterActor.Peers(registry.ref(), router.ref(), resources.ref());
        // A long converge interval: these tests see only the messages that follow events.
        var settings = ClusterActor.Settings.fromConfig(com.typesafe.config.ConfigFactory.parseString("mysos.cluster.converge-interval = 1h")
                .withFallback(com.typesafe.config.ConfigFactory.load())).withClock(Clock.fixed(NOW, ZoneOffset.UTC));
        cluster = EventSourcedBehaviorTestKit.create(KIT.system(), ClusterActor.create("orders", peers, settings));
    }

    private static ClusterSpec spec(int nodes) {
        return new ClusterSpec("orders", "app", nodes, Resources.DEFAULT_INSTANCE, Optional.empty(), false);
    }

    private void create(int nodes) {
        var result = cluster.<ClusterActor.CreateResult>runCommand(r -> new ClusterActor.Create(spec(nodes), SECRETS, NOW, r));
        assertEquals(new ClusterActor.Created("orders"), result.reply());
    }

    private TaskId place(int port) {
        var placement = new Placement("orders", "offer-" + port, "agent-1", "127.0.0.1", port, Resources.DEFAULT_INSTANCE);
        var result = cluster.<OfferRouter.PlaceResult>runCommand(r -> new ClusterActor.FromRouter(new OfferRouter.Place(placement, r)));
        var accepted = assertInstanceOf(OfferRouter.Accepted.class, result.reply());
        assertEquals(port, accepted.task().port());
        return accepted.task().taskId();
    }

    private void status(TaskId task, TaskState state) {
        cluster.runCommand(new ClusterActor.StatusUpdate(new TaskStatus(task, state, "")));
    }

    private ClusterView view() {
        var probe = KIT.<Optional<ClusterView>>createTestProbe();
        cluster.runCommand(new ClusterActor.GetView(probe.ref()));
        return probe.receiveMessage().orElseThrow();
    }

    /**
     * The demands told since the last check (runCommand returns once the actor carried out the
     * command, so the router's queue is complete) repeat the last one checked, then ask for
     * {@code instances}; any other demand fails.
     */
    private io.mysos.core.offer.Demand expectDemand(int instances) {
        var told = ClusterSimulation.takeQueued(router).stream().filter(OfferRouter.UpdateDemand.class::isInstance)
                .map(m -> ((OfferRouter.UpdateDemand) m).demand()).toList();
        var counts = told.stream().map(io.mysos.core.offer.Demand::instances).toList();
        if (told.isEmpty() || counts.get(counts.size() - 1) != instances
                || counts.stream().dropWhile(n -> n == lastDemand).anyMatch(n -> n != instances)) {
            throw new AssertionError("expected demands " + lastDemand + "... then " + instances + ", but the actor told " + counts);
        }
        lastDemand = instances;
        return told.get(told.size() - 1);
    }

    /** Forgets the demands told while a cluster was set up; the last one asks for {@code instances}. */
    private void demandSettledAt(int instances) {
        var told = ClusterSimulation.takeQueued(router).stream().filter(OfferRouter.UpdateDemand.class::isInstance)
                .map(m -> ((OfferRouter.UpdateDemand) m).demand().instances()).toList();
        assertEquals(instances, told.get(told.size() - 1), "demands told: " + told);
        lastDemand = instances;
    }

    /** The demand last checked (an actor without a cluster asks for none). */
    private int lastDemand;

    @Test
    void createRecordsTheClusterAndAsksForItsInstances() {
        var result = cluster.<ClusterActor.CreateResult>runCommand(r -> new ClusterActor.Create(spec(3), SECRETS, NOW, r));
        assertEquals(List.of(new ClusterEvent.ClusterCreated(spec(3), SECRETS, NOW)), result.events());
        var demand = expectDemand(3);
        assertEquals(Resources.DEFAULT_INSTANCE, demand.size());
    }

    @Test
    void createIsIdempotent() {
        create(1);
        var again = cluster.<ClusterActor.CreateResult>runCommand(r -> new ClusterActor.Create(spec(1), SECRETS, NOW, r));
        assertTrue(again.events().isEmpty());
        assertEquals(new ClusterActor.Created("orders"), again.reply());
    }

    @Test
    void placementIsRecordedBeforeTheLaunchWithAServerIdThatIsNeverZero() {
        create(2);
        var placement = new Placement("orders", "offer-1", "agent-1", "127.0.0.1", 31000, Resources.DEFAULT_INSTANCE);
        var result = cluster.<OfferRouter.PlaceResult>runCommand(r -> new ClusterActor.FromRouter(new OfferRouter.Place(placement, r)));
        var added = assertInstanceOf(ClusterEvent.ReplicaAdded.class, result.event());
        assertEquals(TaskId.of("orders", 1), added.taskId());
        var accepted = assertInstanceOf(OfferRouter.Accepted.class, result.reply());
        assertEquals(1, accepted.task().serverId());
        assertEquals("app", accepted.task().user());
        assertEquals("correct-horse", KEY.open(accepted.task().userPassword()));
    }

    @Test
    void rejectsPlacementsBeyondItsNodeCount() {
        create(1);
        place(31000);
        var placement = new Placement("orders", "offer-2", "agent-1", "127.0.0.1", 31001, Resources.DEFAULT_INSTANCE);
        var result = cluster.<OfferRouter.PlaceResult>runCommand(r -> new ClusterActor.FromRouter(new OfferRouter.Place(placement, r)));
        assertTrue(result.events().isEmpty());
        assertInstanceOf(OfferRouter.Rejected.class, result.reply());
    }

    @Test
    void firstRunningInstanceIsElectedMasterOfEpochZeroAndPromoted() {
        create(2);
        var first = place(31000);
        var second = place(31001);
        assertEquals(List.of(), ClusterSimulation.takeQueued(resources));
        var result = cluster.runCommand(new ClusterActor.StatusUpdate(new TaskStatus(second, TaskState.RUNNING, "")));
        assertEquals(List.of(new ClusterEvent.TaskStateChanged(second, TaskState.RUNNING, "", NOW),
                new ClusterEvent.MasterElected(0, second, Map.of())), result.events());
        assertEquals(new ResourceSide.Send(second, new ExecutorCommand.Promote(0)), resources.receiveMessage());

        status(first, TaskState.RUNNING);
        assertEquals(List.of(), ClusterSimulation.takeQueued(resources));
        assertEquals(Optional.of(second), cluster.getState().current().orElseThrow().master());
        assertEquals(ClusterStatus.PENDING, view().status(), "not running until the instances confirm their roles");

        cluster.runCommand(new ClusterActor.ReportReceived(new ExecutorReport.Promoted(second, 0)));
        assertEquals(new ResourceSide.Send(first, new ExecutorCommand.Reparent(0, "127.0.0.1", 31001)), resources.receiveMessage(),
                "replicas follow the master once it is writable");
        cluster.runCommand(new ClusterActor.ReportReceived(new ExecutorReport.Reparented(first, 0, "127.0.0.1", 31001)));
        assertEquals(ClusterStatus.PENDING, view().status(), "not running until the replica says it is in sync");
        cluster.runCommand(new ClusterActor.ReportReceived(new ExecutorReport.ReplicationLag(first, 0, Optional.of(0L), 0, false)));
        var view = view();
        assertEquals(ClusterStatus.RUNNING, view.status());
        assertEquals(second.value(), view.master().orElseThrow().taskId());
        assertEquals(Optional.empty(), view.reason());
    }

    @Test
    void duplicateStatusUpdatesRecordNothing() {
        create(1);
        var task = place(31000);
        status(task, TaskState.RUNNING);
        var again = cluster.runCommand(new ClusterActor.StatusUpdate(new TaskStatus(task, TaskState.RUNNING, "")));
        assertTrue(again.events().isEmpty());
    }

    @Test
    void statusOfAnUnknownTaskKillsIt() {
        create(1);
        var stranger = TaskId.of("orders", 99);
        var result = cluster.runCommand(new ClusterActor.StatusUpdate(new TaskStatus(stranger, TaskState.RUNNING, "")));
        assertTrue(result.events().isEmpty());
        assertEquals(new ResourceSide.Kill(stranger), resources.receiveMessage());
    }

    @Test
    void aFailedReplicaIsReplacedWithANewTask() {
        create(2);
        var master = place(31000);
        var replica = place(31001);
        status(master, TaskState.RUNNING);
        status(replica, TaskState.RUNNING);
        demandSettledAt(0);
        var failed = cluster.runCommand(new ClusterActor.StatusUpdate(new TaskStatus(replica, TaskState.FAILED, "")));
        assertEquals(List.of(new ClusterEvent.TaskStateChanged(replica, TaskState.FAILED, "", NOW),
                new ClusterEvent.ReplicaLost(replica, "FAILED", NOW)), failed.events());
        expectDemand(1);
        var replacement = place(31002);
        assertEquals(TaskId.of("orders", 3), replacement);
    }

    @Test
    void wrongPasswordDeletesNothing() {
        create(1);
        place(31000);
        var probe = KIT.<ClusterActor.Outcome>createTestProbe();
        cluster.runCommand(new ClusterActor.Delete("wrong-password", probe.ref()));
        assertEquals(new ClusterActor.WrongPassword("orders"), probe.receiveMessage(Duration.ofSeconds(5)));
        assertTrue(cluster.getState().current().isPresent());
        assertInstanceOf(ClusterState.Active.class, cluster.getState(), "not being deleted");
    }

    @Test
    void deleteKillsEveryInstanceAndTerminatesWhenAllAreGone() {
        create(2);
        var a = place(31000);
        var b = place(31001);
        status(a, TaskState.RUNNING);
        status(b, TaskState.RUNNING);
        resources.receiveSeveralMessages(1);
        var probe = KIT.<ClusterActor.Outcome>createTestProbe();
        cluster.runCommand(new ClusterActor.Delete("correct-horse", probe.ref()));
        assertEquals(new ClusterActor.Done("orders", "deleting"), probe.receiveMessage(Duration.ofSeconds(5)));
        assertEquals(List.of(new ResourceSide.Kill(a), new ResourceSide.Kill(b)), resources.receiveSeveralMessages(2));
        assertEquals(ClusterStatus.DELETING, view().status());

        status(a, TaskState.KILLED);
        var last = cluster.runCommand(new ClusterActor.StatusUpdate(new TaskStatus(b, TaskState.KILLED, "")));
        assertEquals(List.of(new ClusterEvent.TaskStateChanged(b, TaskState.KILLED, "", NOW),
                new ClusterEvent.ClusterTerminated(NOW)), last.events());
        assertTrue(cluster.getState().current().isEmpty());
        registry.fishForMessage(Duration.ofSeconds(3), m -> m instanceof ClusterRegistry.ClusterGone
                ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
    }

    @Test
    void aResentCreateDoesNotReviveAnEndedCluster() {
        create(1);
        var probe = KIT.<ClusterActor.Outcome>createTestProbe();
        cluster.runCommand(new ClusterActor.Delete("correct-horse", probe.ref()));
        probe.receiveMessage(Duration.ofSeconds(5));
        assertTrue(cluster.getState().current().isEmpty());
        var again = cluster.<ClusterActor.CreateResult>runCommand(r -> new ClusterActor.Create(spec(1), SECRETS, NOW, r));
        assertTrue(again.events().isEmpty());
        assertTrue(cluster.getState().current().isEmpty());
    }

    @Test
    void aLaterClusterOfTheSameNameNeverReusesTaskIds() {
        create(1);
        var first = place(31000);
        var probe = KIT.<ClusterActor.Outcome>createTestProbe();
        cluster.runCommand(new ClusterActor.Delete("correct-horse", probe.ref()));
        probe.receiveMessage(Duration.ofSeconds(5));
        status(first, TaskState.KILLED);
        var later = NOW.plusSeconds(60);
        cluster.<ClusterActor.CreateResult>runCommand(r -> new ClusterActor.Create(spec(1), SECRETS, later, r));
        assertEquals(TaskId.of("orders", 2), place(31000));
    }

    @Test
    void recoversItsStateAfterARestartAndReconcilesLiveTasks() {
        create(3);
        var a = place(31000);
        var b = place(31001);
        status(a, TaskState.RUNNING);
        status(b, TaskState.STARTING);
        var before = cluster.getState();
        resources.receiveSeveralMessages(1);
        cluster.restart();
        assertEquals(before, cluster.getState());
        var reconcile = resources.expectMessageClass(ResourceSide.Reconcile.class);
        assertEquals(List.of(a, b), reconcile.tasks().stream().map(t -> t.taskId()).toList());
    }

    @Test
    void pendingClusterExplainsWhatItWaitsFor() {
        create(3);
        cluster.runCommand(new ClusterActor.FromRouter(new OfferRouter.Shortfall(Optional.of("waiting for resources: 3 x {cpus 1, mem 512mb, disk 2gb}; largest free offer has mem 300mb"))));
        var probe = KIT.<Optional<ClusterView>>createTestProbe();
        cluster.runCommand(new ClusterActor.GetView(probe.ref()));
        var view = probe.receiveMessage().orElseThrow();
        assertEquals(ClusterStatus.PENDING, view.status());
        assertEquals(Optional.of("waiting for resources: 3 x {cpus 1, mem 512mb, disk 2gb}; largest free offer has mem 300mb"),
                view.reason());
    }

    @Test
    void aFailoverSerializesAndRecoversItsWholeState() {
        create(2);
        var master = place(31000);
        var replica = place(31001);
        status(master, TaskState.RUNNING);
        status(replica, TaskState.RUNNING);
        cluster.runCommand(new ClusterActor.ReportReceived(new ExecutorReport.Promoted(master, 0)));
        var lost = cluster.runCommand(new ClusterActor.StatusUpdate(new TaskStatus(master, TaskState.FAILED, "gone")));
        assertEquals(3, lost.events().size());
        var election = cluster.getState().current().orElseThrow().election().orElseThrow();
        assertEquals(List.of(replica), election.candidates());
        cluster.restart();
        assertEquals(election, cluster.getState().current().orElseThrow().election().orElseThrow());

        var position = io.mysos.core.election.Position.mariadb("0-1-42");
        var elected = cluster.runCommand(new ClusterActor.ReportReceived(
                new ExecutorReport.PositionReported(replica, 1, position, position)));
        assertEquals(List.of(new ClusterEvent.MasterElected(1, replica, Map.of(replica.value(), "mariadb:0-1-42"))), elected.events());
        var completed = cluster.runCommand(new ClusterActor.ReportReceived(new ExecutorReport.Promoted(replica, 1)));
        assertInstanceOf(ClusterEvent.FailoverCompleted.class, completed.event());
        var before = cluster.getState();
        assertTrue(before.current().orElseThrow().lastFailover().isPresent());
        cluster.restart();
        assertEquals(before, cluster.getState());
    }

    @Test
    void settingsComeFromTheConfigurationWithTheDocumentedDefaults() {
        var defaults = ClusterActor.Settings.fromConfig(com.typesafe.config.ConfigFactory.load());
        assertEquals(Duration.ofMillis(200), defaults.queryInterval());
        assertEquals(Duration.ofSeconds(5), defaults.electionTimeout());
        var tuned = ClusterActor.Settings.fromConfig(com.typesafe.config.ConfigFactory
                .parseString("mysos.cluster.election-timeout = 2s").withFallback(com.typesafe.config.ConfigFactory.load()));
        assertEquals(Duration.ofSeconds(2), tuned.electionTimeout());
    }
}

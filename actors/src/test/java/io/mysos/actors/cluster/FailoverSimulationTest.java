package io.mysos.actors.cluster;

import static io.mysos.actors.cluster.ClusterSimulation.PASSWORD;
import static io.mysos.actors.cluster.ClusterSimulation.START;
import static io.mysos.actors.cluster.ClusterSimulation.host;
import static io.mysos.actors.cluster.ClusterSimulation.port;
import static io.mysos.actors.cluster.ClusterSimulation.promote;
import static io.mysos.actors.cluster.ClusterSimulation.query;
import static io.mysos.actors.cluster.ClusterSimulation.reparent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterStatus;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failover, fencing, replacement, scaling and switchover of one cluster actor, step by step on
 * manual time: each scenario asserts the exact events persisted and messages sent.
 */
class FailoverSimulationTest {
    private static final String CAUSE = "FAILED: mysqld exited with signal 9";
    private ClusterSimulation sim;

    @BeforeEach
    void setUp() {
        sim = new ClusterSimulation();
    }

    @AfterEach
    void tearDown() {
        sim.close();
    }

    private static ClusterEvent.MasterLost lost(long epoch, TaskId master) {
        return new ClusterEvent.MasterLost(epoch, master, CAUSE, START);
    }

    private static ClusterEvent.ElectionStarted election(long epoch, TaskId previous, TaskId... candidates) {
        return new ClusterEvent.ElectionStarted(epoch, Optional.of(previous), List.of(candidates), CAUSE, false, START);
    }

    /** The master's mysqld dies: the master is fenced and both replicas are asked for their positions. */
    private void masterDies(TaskId master, TaskId... replicas) {
        sim.status(master, TaskState.FAILED, "mysqld exited with signal 9");
        sim.expectEvents(new ClusterEvent.TaskStateChanged(master, TaskState.FAILED, "mysqld exited with signal 9", sim.clock.instant()),
                lost(0, master), election(1, master, replicas));
        var sent = sim.nextToResources(1 + replicas.length);
        assertEquals(new ResourceSide.Kill(master), sent.get(0), "the old master is fenced first");
        assertEquals(Set.of(replicas).stream().map(r -> query(r, 1)).collect(java.util.stream.Collectors.toSet()),
                Set.copyOf(sent.subList(1, sent.size())));
    }

    @Test
    void electsTheMostAdvancedOfTwoReplicasAndCompletesTheFailover() {
        var t = sim.runningCluster(3);
        var master = t.get(0);
        masterDies(master, t.get(1), t.get(2));

        sim.position(t.get(1), 1, "0-1-10");
        sim.expectNoEvents();
        sim.position(t.get(2), 1, "0-1-12");
        sim.expectEvents(new ClusterEvent.MasterElected(1, t.get(2),
                Map.of(t.get(1).value(), "mariadb:0-1-10", t.get(2).value(), "mariadb:0-1-12")));
        sim.expectToResources(promote(t.get(2), 1));
        sim.expectNothingToResources();

        sim.passes(Duration.ofMillis(800));
        sim.promoted(t.get(2), 1);
        sim.expectEvents(new ClusterEvent.FailoverCompleted(1, Optional.of(master), t.get(2), 800, CAUSE));
        sim.resources.fishForMessage(Duration.ofSeconds(3), m -> m.equals(reparent(t.get(1), 1, t.get(2)))
                ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
        sim.reparented(t.get(1), 1, t.get(2));
        var view = sim.view();
        assertEquals(t.get(2).value(), view.master().orElseThrow().taskId());
        assertEquals(1, view.epoch());
    }

    @Test
    void equalPositionsGoToTheLowestServerId() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        sim.position(t.get(2), 1, "0-1-7");
        sim.position(t.get(1), 1, "0-1-7");
        sim.expectEvents(new ClusterEvent.MasterElected(1, t.get(1),
                Map.of(t.get(1).value(), "mariadb:0-1-7", t.get(2).value(), "mariadb:0-1-7")));
    }

    @Test
    void reasksASilentReplicaAndElectsFromThoseThatAnsweredAtTheTimeout() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        sim.position(t.get(1), 1, "0-1-5");
        sim.passes(Duration.ofMillis(200));
        assertEquals(query(t.get(2), 1), sim.resources.receiveMessage(), "only the silent replica is asked again");
        sim.expectNoEvents();
        sim.passes(Duration.ofMillis(4800));
        sim.expectEvents(new ClusterEvent.MasterElected(1, t.get(1), Map.of(t.get(1).value(), "mariadb:0-1-5")));
    }

    @Test
    void allSilentLeavesTheClusterDegradedAndNeverPromotesBlindly() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        sim.passes(Duration.ofSeconds(5));
        sim.expectNoEvents();
        var view = sim.view();
        assertEquals(ClusterStatus.DEGRADED, view.status());
        assertTrue(view.reason().orElseThrow().startsWith("no replica to elect as master for epoch 1 has answered"),
                view.reason().toString());
        assertTrue(view.master().isEmpty(), "no master is shown while there is none");
        sim.position(t.get(2), 1, "0-1-3");
        sim.expectNoEvents();
        sim.position(t.get(1), 1, "0-1-2");
        sim.expectEvents(new ClusterEvent.MasterElected(1, t.get(2),
                Map.of(t.get(1).value(), "mariadb:0-1-2", t.get(2).value(), "mariadb:0-1-3")));
    }

    @Test
    void theWinnerDyingBeforeItsPromotionStartsTheNextElection() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        sim.position(t.get(1), 1, "0-1-10");
        sim.position(t.get(2), 1, "0-1-12");
        sim.expectEvents(new ClusterEvent.MasterElected(1, t.get(2),
                Map.of(t.get(1).value(), "mariadb:0-1-10", t.get(2).value(), "mariadb:0-1-12")));
        sim.nextToResources(1);
        sim.status(t.get(2), TaskState.LOST, "agent gone");
        var cause = "LOST: agent gone";
        sim.expectEvents(new ClusterEvent.TaskStateChanged(t.get(2), TaskState.LOST, "agent gone", sim.clock.instant()),
                new ClusterEvent.MasterLost(1, t.get(2), cause, START),
                new ClusterEvent.ElectionStarted(2, Optional.of(t.get(2)), List.of(t.get(1)), cause, false, START));
        assertEquals(List.of(new ResourceSide.Kill(t.get(2)), query(t.get(1), 2)), sim.nextToResources(2));
        sim.position(t.get(1), 2, "0-1-10");
        sim.expectEvents(new ClusterEvent.MasterElected(2, t.get(1), Map.of(t.get(1).value(), "mariadb:0-1-10")));
    }

    @Test
    void aCandidateDyingDuringTheElectionIsNotWaitedFor() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        sim.position(t.get(1), 1, "0-1-4");
        sim.status(t.get(2), TaskState.FAILED);
        sim.expectEvents(new ClusterEvent.TaskStateChanged(t.get(2), TaskState.FAILED, "", sim.clock.instant()),
                new ClusterEvent.ReplicaLost(t.get(2), "FAILED", START),
                new ClusterEvent.MasterElected(1, t.get(1), Map.of(t.get(1).value(), "mariadb:0-1-4")));
    }

    @Test
    void staleEpochRepliesAreIgnored() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        sim.position(t.get(1), 0, "0-1-99");
        sim.position(t.get(2), 7, "0-1-99");
        sim.promoted(t.get(1), 0);
        sim.expectNoEvents();
        sim.position(t.get(1), 1, "0-1-1");
        sim.position(t.get(2), 1, "0-1-2");
        sim.expectEvents(new ClusterEvent.MasterElected(1, t.get(2),
                Map.of(t.get(1).value(), "mariadb:0-1-1", t.get(2).value(), "mariadb:0-1-2")));
    }

    @Test
    void duplicatedAndReorderedStatusUpdatesChangeNothing() {
        var t = sim.runningCluster(2);
        sim.status(t.get(1), TaskState.RUNNING);
        sim.expectNoEvents();
        sim.status(t.get(1), TaskState.FAILED);
        sim.expectEvents(new ClusterEvent.TaskStateChanged(t.get(1), TaskState.FAILED, "", sim.clock.instant()),
                new ClusterEvent.ReplicaLost(t.get(1), "FAILED", START));
        sim.expectToResources(new ResourceSide.Release(t.get(1)));
        sim.status(t.get(1), TaskState.FAILED);
        sim.status(t.get(1), TaskState.STARTING);
        sim.expectNoEvents();
        assertEquals(new ResourceSide.Kill(t.get(1)), sim.resources.receiveMessage(),
                "a late update of a task given up for is answered with a kill");
    }

    @Test
    void aSchedulerRestartMidElectionRunsTheElectionAgainForTheSameEpoch() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        sim.position(t.get(1), 1, "0-1-10");
        sim.stopScheduler();
        sim.start();
        var sent = sim.resources.fishForMessage(Duration.ofSeconds(3), m -> m instanceof ResourceSide.Send s
                && s.command() instanceof io.mysos.core.protocol.ExecutorCommand.QueryPosition
                ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
        assertEquals(1, ((io.mysos.core.protocol.ExecutorCommand.QueryPosition) ((ResourceSide.Send) sent.get(sent.size() - 1))
                .command()).epoch());
        sim.position(t.get(1), 1, "0-1-10");
        sim.position(t.get(2), 1, "0-1-11");
        sim.expectEvents(new ClusterEvent.MasterElected(1, t.get(2),
                Map.of(t.get(1).value(), "mariadb:0-1-10", t.get(2).value(), "mariadb:0-1-11")));
    }

    @Test
    void anUnconfirmedPromotionIsSentAgainAfterARestart() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        sim.position(t.get(1), 1, "0-1-10");
        sim.position(t.get(2), 1, "0-1-11");
        sim.expectEvents(new ClusterEvent.MasterElected(1, t.get(2),
                Map.of(t.get(1).value(), "mariadb:0-1-10", t.get(2).value(), "mariadb:0-1-11")));
        sim.stopScheduler();
        sim.drain();
        sim.start();
        sim.status(t.get(2), TaskState.RUNNING);
        sim.resources.fishForMessage(Duration.ofSeconds(3), m -> m.equals(promote(t.get(2), 1))
                ? akka.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : akka.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
        sim.promoted(t.get(2), 1);
        var completed = sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.FailoverCompleted.class);
        assertEquals(Optional.of(t.get(0)), completed.oldMaster());
        assertEquals(t.get(2), completed.newMaster());
    }

    @Test
    void theOldMasterComingBackAfterTheElectionIsKilled() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        sim.position(t.get(1), 1, "0-1-1");
        sim.position(t.get(2), 1, "0-1-1");
        sim.expectEvents(new ClusterEvent.MasterElected(1, t.get(1),
                Map.of(t.get(1).value(), "mariadb:0-1-1", t.get(2).value(), "mariadb:0-1-1")));
        sim.nextToResources(1);
        sim.status(t.get(0), TaskState.RUNNING);
        sim.expectNoEvents();
        sim.expectToResources(new ResourceSide.Kill(t.get(0)));
        assertEquals(t.get(1).value(), sim.view().master().orElseThrow().taskId(), "the API shows one master");
    }

    @Test
    void theLostMastersReplacementIsLaunchedOnceTheNewMasterTakesWrites() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        sim.expectDemand(0);
        sim.position(t.get(1), 1, "0-1-3");
        sim.position(t.get(2), 1, "0-1-3");
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.MasterElected.class);
        sim.promoted(t.get(1), 1);
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.FailoverCompleted.class);
        sim.expectDemand(1);
    }

    @Test
    void aLostReplicaIsReplacedAndTheReplacementFollowsTheMaster() {
        var t = sim.runningCluster(3);
        sim.status(t.get(2), TaskState.LOST, "agent gone");
        sim.expectEvents(new ClusterEvent.TaskStateChanged(t.get(2), TaskState.LOST, "agent gone", sim.clock.instant()),
                new ClusterEvent.ReplicaLost(t.get(2), "LOST: agent gone", START));
        sim.expectToResources(new ResourceSide.Release(t.get(2)));
        sim.expectDemand(1);
        var replacement = sim.place();
        assertEquals(TaskId.of("orders", 4), replacement);
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.ReplicaAdded.class);
        sim.status(replacement, TaskState.RUNNING);
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.TaskStateChanged.class);
        sim.expectToResources(reparent(replacement, 0, t.get(0)));
    }

    @Test
    void scalingUpAsksForMoreInstances() {
        sim.runningCluster(3);
        var outcome = sim.guarded(r -> new ClusterActor.Resize(5, PASSWORD, r));
        assertEquals(new ClusterActor.Done("orders", "resizing from 3 to 5 nodes"), outcome);
        sim.expectEvents(new ClusterEvent.ClusterResized(3, 5, List.of()));
        sim.expectDemand(2);
    }

    /** Sends a guarded request without waiting for its answer. */
    private akka.actor.testkit.typed.javadsl.TestProbe<ClusterActor.Outcome> ask(
            java.util.function.Function<akka.actor.typed.ActorRef<ClusterActor.Outcome>, ClusterActor.Guarded> request) {
        var probe = sim.kit.<ClusterActor.Outcome>createTestProbe();
        sim.cluster.tell(request.apply(probe.ref()));
        return probe;
    }

    @Test
    void scalingDownRemovesTheMostLaggingReplicaAndNeverTheMaster() {
        var t = sim.runningCluster(3);
        var outcome = ask(r -> new ClusterActor.Resize(2, PASSWORD, r));
        assertEquals(Set.of(query(t.get(1), 0), query(t.get(2), 0)), Set.copyOf(sim.nextToResources(2)));
        sim.position(t.get(2), 0, "0-1-9");
        sim.expectNoEvents();
        sim.position(t.get(1), 0, "0-1-5");
        sim.expectEvents(new ClusterEvent.ClusterResized(3, 2, List.of(t.get(1))));
        assertEquals(new ClusterActor.Done("orders", "resizing from 3 to 2 nodes"), outcome.receiveMessage());
        sim.expectToResources(new ResourceSide.Kill(t.get(1)));
        sim.status(t.get(1), TaskState.KILLED);
        sim.expectEvents(new ClusterEvent.TaskStateChanged(t.get(1), TaskState.KILLED, "", sim.clock.instant()));
        assertEquals(2, sim.view().numNodes());
        assertEquals(ClusterStatus.RUNNING, sim.view().status(), "a replica let go is not replaced");
    }

    @Test
    void aReplicaSilentDuringAShrinkCountsAsTheMostLagging() {
        var t = sim.runningCluster(3);
        var outcome = ask(r -> new ClusterActor.Resize(1, PASSWORD, r));
        sim.nextToResources(2);
        sim.position(t.get(1), 0, "0-1-9");
        sim.passes(Duration.ofSeconds(1));
        sim.expectEvents(new ClusterEvent.ClusterResized(3, 1, List.of(t.get(2), t.get(1))));
        assertEquals(new ClusterActor.Done("orders", "resizing from 3 to 1 nodes"), outcome.receiveMessage());
    }

    @Test
    void aShrinkWaitingForPositionsWhenTheClusterIsDeletedIsAnsweredWithAConflict() {
        var t = sim.runningCluster(3);
        var shrink = ask(r -> new ClusterActor.Resize(2, PASSWORD, r));
        sim.nextToResources(2);
        assertEquals(new ClusterActor.Done("orders", "deleting"), sim.guarded(r -> new ClusterActor.Delete(PASSWORD, r)));
        sim.passes(Duration.ofSeconds(1));
        assertInstanceOf(ClusterActor.Conflict.class, shrink.receiveMessage());
        sim.expectEvents(new ClusterEvent.ClusterDeletionRequested(START));
        sim.expectNoEvents();
    }

    @Test
    void shrinkingDuringAFailoverIsRefusedButGrowingIsNot() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        var refused = sim.guarded(r -> new ClusterActor.Resize(2, PASSWORD, r));
        assertInstanceOf(ClusterActor.Conflict.class, refused);
        sim.expectNoEvents();
        assertEquals(new ClusterActor.Done("orders", "resizing from 3 to 4 nodes"), sim.guarded(r -> new ClusterActor.Resize(4, PASSWORD, r)));
        sim.expectEvents(new ClusterEvent.ClusterResized(3, 4, List.of()));
    }

    @Test
    void aWrongPasswordChangesNothing() {
        sim.runningCluster(2);
        assertEquals(new ClusterActor.WrongPassword("orders"), sim.guarded(r -> new ClusterActor.Resize(4, "nope-nope", r)));
        assertEquals(new ClusterActor.WrongPassword("orders"), sim.guarded(r -> new ClusterActor.Switchover(Optional.empty(), "nope-nope", r)));
        sim.expectNoEvents();
    }

    @Test
    void plannedSwitchoverWaitsUntilTheTargetHasEveryWriteAndKeepsTheOldMasterAsAReplica() {
        var t = sim.runningCluster(3);
        var master = t.get(0);
        var target = t.get(2);
        var outcome = sim.guarded(r -> new ClusterActor.Switchover(Optional.of(target.value()), PASSWORD, r));
        assertEquals(new ClusterActor.Done("orders", "switching over to " + target + " in epoch 1"), outcome);
        sim.expectEvents(new ClusterEvent.ElectionStarted(1, Optional.of(master), List.of(target), ClusterActor.PLANNED, true, START));
        assertEquals(Set.of(query(target, 1), query(master, 1)), Set.copyOf(sim.nextToResources(2)));

        sim.position(master, 1, "0-1-20");
        sim.position(target, 1, "0-1-18");
        sim.expectNoEvents();
        sim.passes(Duration.ofMillis(200));
        assertEquals(query(target, 1), sim.resources.receiveMessage(), "the target is asked until it has caught up");
        sim.position(target, 1, "0-1-20");
        sim.expectEvents(new ClusterEvent.MasterElected(1, target,
                Map.of(master.value(), "mariadb:0-1-20", target.value(), "mariadb:0-1-20")));
        sim.expectToResources(promote(target, 1));
        sim.expectNothingToResources();
        sim.promoted(target, 1);
        sim.expectEvents(new ClusterEvent.FailoverCompleted(1, Optional.of(master), target, 200, ClusterActor.PLANNED));
        assertEquals(Set.of(reparent(master, 1, target), reparent(t.get(1), 1, target)), Set.copyOf(sim.nextToResources(2)),
                "the others follow once the new master is writable, the old master among them");
        sim.expectNothingToResources();
    }

    @Test
    void aSwitchoverToSomethingThatIsNotAReplicaIsRefused() {
        var t = sim.runningCluster(2);
        var outcome = sim.guarded(r -> new ClusterActor.Switchover(Optional.of(t.get(0).value()), PASSWORD, r));
        assertInstanceOf(ClusterActor.Invalid.class, outcome);
        sim.expectNoEvents();
    }

    @Test
    void theMasterDyingDuringASwitchoverTurnsItIntoAFailover() {
        var t = sim.runningCluster(3);
        var master = t.get(0);
        sim.guarded(r -> new ClusterActor.Switchover(Optional.of(t.get(1).value()), PASSWORD, r));
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.ElectionStarted.class);
        sim.nextToResources(2);
        sim.status(master, TaskState.FAILED, "mysqld exited with signal 9");
        sim.expectEvents(new ClusterEvent.TaskStateChanged(master, TaskState.FAILED, "mysqld exited with signal 9", sim.clock.instant()),
                lost(0, master), election(1, master, t.get(1), t.get(2)));
    }

    @Test
    void deleteDuringAnElectionKillsEverythingAndEndsTheElection() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        assertEquals(new ClusterActor.Done("orders", "deleting"), sim.guarded(r -> new ClusterActor.Delete(PASSWORD, r)));
        sim.expectEvents(new ClusterEvent.ClusterDeletionRequested(START));
        assertEquals(Set.of(new ResourceSide.Kill(t.get(1)), new ResourceSide.Kill(t.get(2))), Set.copyOf(sim.nextToResources(2)));
        sim.position(t.get(1), 1, "0-1-1");
        sim.passes(Duration.ofSeconds(6));
        sim.expectNoEvents();
        sim.status(t.get(1), TaskState.KILLED);
        sim.status(t.get(2), TaskState.KILLED);
        sim.expectEvents(new ClusterEvent.TaskStateChanged(t.get(1), TaskState.KILLED, "", sim.clock.instant()),
                new ClusterEvent.TaskStateChanged(t.get(2), TaskState.KILLED, "", sim.clock.instant()),
                new ClusterEvent.ClusterTerminated(START.plusSeconds(6)));
    }

    @Test
    void aSingleNodeClusterWithoutReplicasWaitsDegradedInsteadOfPromotingAnEmptyInstance() {
        var t = sim.runningCluster(1);
        sim.status(t.get(0), TaskState.FAILED, "disk full");
        var cause = "FAILED: disk full";
        sim.expectEvents(new ClusterEvent.TaskStateChanged(t.get(0), TaskState.FAILED, "disk full", sim.clock.instant()),
                new ClusterEvent.MasterLost(0, t.get(0), cause, START),
                new ClusterEvent.ElectionStarted(1, Optional.of(t.get(0)), List.of(), cause, false, START));
        sim.expectDemand(0);
        sim.passes(Duration.ofSeconds(5));
        sim.expectNoEvents();
        assertEquals(ClusterStatus.DEGRADED, sim.view().status());
        assertTrue(sim.view().reason().orElseThrow().contains("no replica to elect"), sim.view().reason().toString());
    }

    @Test
    void everyEventAndTheStateSurviveARestart() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        sim.position(t.get(1), 1, "0-1-1");
        sim.position(t.get(2), 1, "0-1-2");
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.MasterElected.class);
        var before = sim.view();
        sim.stopScheduler();
        sim.start();
        var after = sim.view();
        assertEquals(before.master(), after.master());
        assertEquals(before.epoch(), after.epoch());
        assertEquals(host(t.get(2)), after.master().orElseThrow().host());
        assertEquals(port(t.get(2)), after.master().orElseThrow().port());
    }

    // ------------------------------------------------------------ diverged histories

    @Test
    void divergedHistoriesPromoteNobodyAndKeepTheClusterDegradedWithAReasonUntilForced() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        // Both applied a 10th transaction of domain 0, from different servers: a fork.
        sim.position(t.get(1), 1, "0-1-10");
        sim.position(t.get(2), 1, "0-3-10");
        var positions = Map.of(t.get(1).value(), "mariadb:0-1-10", t.get(2).value(), "mariadb:0-3-10");
        sim.expectEvents(new ClusterEvent.HistoriesDiverged(1, positions, t.get(1), Map.of(t.get(2).value(), List.of("0-3-10")), START));
        sim.expectNothingToResources();

        sim.passes(Duration.ofSeconds(6));
        sim.expectNoEvents();
        sim.expectNothingToResources();
        var view = sim.view();
        assertEquals(ClusterStatus.DEGRADED, view.status());
        assertTrue(view.master().isEmpty());
        var reason = view.reason().orElseThrow();
        assertTrue(reason.contains("diverged") && reason.contains(t.get(2) + " holds 0-3-10")
                && reason.contains("POST /clusters/orders/failover target=<task> force=true"), reason);

        var refused = sim.guarded(r -> new ClusterActor.Switchover(Optional.of(t.get(2).value()), false, PASSWORD, r));
        assertTrue(assertInstanceOf(ClusterActor.Conflict.class, refused).reason().contains("force=true"), refused.toString());
        sim.expectNoEvents();

        var forced = sim.guarded(r -> new ClusterActor.Switchover(Optional.of(t.get(2).value()), true, PASSWORD, r));
        assertEquals(new ClusterActor.Done("orders", "promoting " + t.get(2) + " in epoch 1 (forced)"), forced);
        sim.expectEvents(new ClusterEvent.MasterElected(1, t.get(2), positions, Map.of(t.get(1).value(), List.of("0-1-10"))));
        sim.expectToResources(promote(t.get(2), 1));
        sim.promoted(t.get(2), 1);
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.FailoverCompleted.class);
        sim.expectToResources(reparent(t.get(1), 1, t.get(2)));
    }

    @Test
    void aForcedPromotionMustNameARunningReplica() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        sim.position(t.get(1), 1, "0-1-10");
        sim.position(t.get(2), 1, "0-3-10");
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.HistoriesDiverged.class);
        var outcome = sim.guarded(r -> new ClusterActor.Switchover(Optional.of(t.get(0).value()), true, PASSWORD, r));
        assertInstanceOf(ClusterActor.Invalid.class, outcome);
        sim.expectNoEvents();
    }

    @Test
    void aReplicaWithAnErrantTransactionInAnotherDomainIsNotOutvotedByTransactionCount() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        sim.position(t.get(1), 1, "0-1-20");
        sim.position(t.get(2), 1, "0-1-12,7-3-1");
        sim.expectEvents(new ClusterEvent.HistoriesDiverged(1,
                Map.of(t.get(1).value(), "mariadb:0-1-20", t.get(2).value(), "mariadb:0-1-12,7-3-1"), t.get(1),
                Map.of(t.get(2).value(), List.of("7-3-1")), START));
        sim.expectNothingToResources();
    }

    // ------------------------------------------------------------ who is a candidate

    @Test
    void replicasThatStartRunningAfterARestartInWhichTheMasterWasLostAreAskedAndOneIsElected() {
        var t = sim.runningCluster(3);
        sim.stopScheduler();
        sim.drain();
        sim.start();
        sim.status(t.get(1), TaskState.STARTING, "restarting mysqld");
        sim.status(t.get(2), TaskState.STARTING, "restarting mysqld");
        sim.status(t.get(0), TaskState.LOST, "data directory is gone");
        var cause = "LOST: data directory is gone";
        sim.expectEvents(new ClusterEvent.TaskStateChanged(t.get(1), TaskState.STARTING, "restarting mysqld", sim.clock.instant()),
                new ClusterEvent.TaskStateChanged(t.get(2), TaskState.STARTING, "restarting mysqld", sim.clock.instant()),
                new ClusterEvent.TaskStateChanged(t.get(0), TaskState.LOST, "data directory is gone", sim.clock.instant()),
                new ClusterEvent.MasterLost(0, t.get(0), cause, START),
                new ClusterEvent.ElectionStarted(1, Optional.of(t.get(0)), List.of(), cause, false, START));
        sim.settle();
        sim.drain();

        sim.status(t.get(1), TaskState.RUNNING);
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.TaskStateChanged.class);
        sim.expectToResources(query(t.get(1), 1));
        sim.position(t.get(1), 1, "0-1-30");
        sim.expectNoEvents();
        sim.status(t.get(2), TaskState.RUNNING);
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.TaskStateChanged.class);
        sim.expectToResources(query(t.get(2), 1));
        sim.position(t.get(2), 1, "0-1-31");
        sim.expectEvents(new ClusterEvent.MasterElected(1, t.get(2),
                Map.of(t.get(1).value(), "mariadb:0-1-30", t.get(2).value(), "mariadb:0-1-31")));
        sim.expectToResources(promote(t.get(2), 1));
    }

    @Test
    void theOnlyCandidateLostMidElectionDoesNotStallItWhileAnotherReplicaRuns() {
        var t = sim.runningCluster(3);
        sim.status(t.get(2), TaskState.STARTING, "restarting mysqld");
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.TaskStateChanged.class);
        sim.status(t.get(0), TaskState.FAILED, "mysqld exited with signal 9");
        sim.expectEvents(new ClusterEvent.TaskStateChanged(t.get(0), TaskState.FAILED, "mysqld exited with signal 9", sim.clock.instant()),
                lost(0, t.get(0)), election(1, t.get(0), t.get(1)));
        sim.status(t.get(1), TaskState.LOST, "agent gone");
        sim.expectEvents(new ClusterEvent.TaskStateChanged(t.get(1), TaskState.LOST, "agent gone", sim.clock.instant()),
                new ClusterEvent.ReplicaLost(t.get(1), "LOST: agent gone", START));
        sim.settle();
        sim.drain();
        sim.status(t.get(2), TaskState.RUNNING);
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.TaskStateChanged.class);
        sim.expectToResources(query(t.get(2), 1));
        sim.position(t.get(2), 1, "0-1-44");
        sim.expectEvents(new ClusterEvent.MasterElected(1, t.get(2), Map.of(t.get(2).value(), "mariadb:0-1-44")));
    }

    // ------------------------------------------------------------ restarts during a failover

    @Test
    void afterARestartBeforeThePromotionWasConfirmedTheReplicasFollowTheConfirmationAtOnce() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        sim.position(t.get(1), 1, "0-1-10");
        sim.position(t.get(2), 1, "0-1-11");
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.MasterElected.class);
        sim.stopScheduler();
        sim.drain();
        sim.start();
        sim.status(t.get(1), TaskState.RUNNING);
        sim.status(t.get(2), TaskState.RUNNING);
        sim.settle();
        assertTrue(ClusterSimulation.takeQueued(sim.resources).contains(promote(t.get(2), 1)), "the promotion is sent again");
        sim.promoted(t.get(2), 1);
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.FailoverCompleted.class);
        sim.settle();
        assertEquals(List.of(reparent(t.get(1), 1, t.get(2)), new ResourceSide.Release(t.get(0))),
                ClusterSimulation.takeQueued(sim.resources),
                "the replica follows the confirmation without waiting for a converge tick; the old master is released");
    }

    @Test
    void afterARestartFollowingAConfirmedPromotionTheReplicasFollowTheNewConfirmationAtOnce() {
        var t = sim.runningCluster(3);
        masterDies(t.get(0), t.get(1), t.get(2));
        sim.position(t.get(1), 1, "0-1-10");
        sim.position(t.get(2), 1, "0-1-11");
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.MasterElected.class);
        sim.promoted(t.get(2), 1);
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.FailoverCompleted.class);
        sim.stopScheduler();
        sim.drain();
        sim.start();
        // The executors come back in any order; the master's confirmation arrives before any converge tick.
        sim.status(t.get(1), TaskState.RUNNING);
        sim.promoted(t.get(2), 1);
        sim.settle();
        assertTrue(ClusterSimulation.takeQueued(sim.resources).contains(reparent(t.get(1), 1, t.get(2))),
                "the replica is pointed at the confirmed master at once");
        sim.expectNoEvents();
    }
}

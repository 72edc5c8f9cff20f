package io.mysos.actors.cluster;

import static io.mysos.actors.cluster.ClusterSimulation.PASSWORD;
import static io.mysos.actors.cluster.ClusterSimulation.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterStatus;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A replica that keeps failing the same way (its master purged the binlogs it needs) is replaced at
 * once, then after 5 s, 10 s, 20 s...; the cluster says why; what the failed ones hold is released;
 * the back-off survives a restart of the scheduler; and a master failover is never delayed. On
 * manual time: every "not yet" is exact.
 */
class ReplacementBackoffSimulationTest {
    /** What the executor reports when replication stops for good; the address varies, the cause does not. */
    private static final String BROKE = "replication broke: Got fatal error 1236 from master when reading data from binary log: "
            + "'Could not find GTID state requested by slave in any binlog files' (master 10.0.0.1:31000)";
    private static final String CAUSE = "FAILED: " + BROKE;
    /** The cause as the reason shows it: cut to one readable line. */
    private static final String SHOWN = CAUSE.substring(0, 117) + "...";
    private ClusterSimulation sim;
    private Instant now = START;

    @BeforeEach
    void setUp() {
        sim = new ClusterSimulation();
    }

    @AfterEach
    void tearDown() {
        sim.close();
    }

    private void passes(Duration duration) {
        sim.passes(duration);
        now = now.plus(duration);
    }

    /** {@code replica} fails with the crash loop's cause: it is recorded lost and released. */
    private void failsAgain(TaskId replica) {
        sim.status(replica, TaskState.FAILED, BROKE);
        sim.expectEvents(new ClusterEvent.TaskStateChanged(replica, TaskState.FAILED, BROKE, sim.clock.instant()),
                new ClusterEvent.ReplicaLost(replica, CAUSE, now));
        sim.expectToResources(new ResourceSide.Release(replica));
    }

    /** The replacement placed by the router starts and fails at once. */
    private TaskId replacementFails() {
        var replacement = sim.place();
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.ReplicaAdded.class);
        failsAgain(replacement);
        return replacement;
    }

    /** No replacement is asked for until just before {@code wait} has passed, then it is. */
    private void replacementAskedForAfter(Duration wait) {
        sim.expectDemand(0);
        passes(wait.minusMillis(1));
        sim.expectDemand(0);
        passes(Duration.ofMillis(1));
        sim.expectDemand(1);
    }

    private String reason() {
        return sim.view().reason().orElseThrow();
    }

    @Test
    void aReplicaFailingTheSameWayIsReplacedAtOnceThenAfterFiveTenAndTwentySeconds() {
        var t = sim.runningCluster(2);
        failsAgain(t.get(1));
        sim.expectDemand(1);

        // Off the converge ticks' whole seconds: the back-off's own timer asks for the replacement.
        passes(Duration.ofMillis(300));
        replacementFails();
        var view = sim.view();
        assertEquals(ClusterStatus.DEGRADED, view.status(), "a missing replica is never RUNNING");
        assertEquals("replica failed 2 times with '" + SHOWN + "'; next try in 5s", view.reason().orElseThrow());
        replacementAskedForAfter(Duration.ofSeconds(5));

        replacementFails();
        assertEquals("replica failed 3 times with '" + SHOWN + "'; next try in 10s", reason());
        passes(Duration.ofSeconds(4));
        assertEquals("replica failed 3 times with '" + SHOWN + "'; next try in 6s", reason());
        replacementAskedForAfter(Duration.ofSeconds(6));

        replacementFails();
        assertTrue(reason().startsWith("replica failed 4 times with 'FAILED: replication broke: Got fatal error 1236"), reason());
        replacementAskedForAfter(Duration.ofSeconds(20));

        // The replacement that finally works: the cluster is whole again.
        var replacement = sim.place();
        sim.status(replacement, TaskState.RUNNING);
        sim.reparented(replacement, 0, t.get(0));
        sim.awaitView(v -> v.status() == ClusterStatus.RUNNING && v.reason().isEmpty());
    }

    @Test
    void aFailureWithAnotherCauseIsReplacedAtOnce() {
        var t = sim.runningCluster(2);
        failsAgain(t.get(1));
        sim.expectDemand(1);
        var replacement = sim.place();
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.ReplicaAdded.class);
        sim.expectDemand(0);
        sim.status(replacement, TaskState.LOST, "agent gone");
        sim.expectEvents(new ClusterEvent.TaskStateChanged(replacement, TaskState.LOST, "agent gone", sim.clock.instant()),
                new ClusterEvent.ReplicaLost(replacement, "LOST: agent gone", START));
        sim.expectDemand(1);
    }

    @Test
    void theBackoffSurvivesARestartOfTheScheduler() {
        sim.runningCluster(2);
        failsAgain(TaskId.of("orders", 2));
        sim.expectDemand(1);
        replacementFails();
        replacementAskedForAfter(Duration.ofSeconds(5));
        replacementFails();
        passes(Duration.ofSeconds(3));

        sim.stopScheduler();
        sim.start();
        sim.settle();
        // The ended instances are released again, in case a release was lost with the scheduler.
        assertTrue(ClusterSimulation.takeQueued(sim.resources).contains(new ResourceSide.Release(TaskId.of("orders", 4))));
        assertEquals("replica failed 3 times with '" + SHOWN + "'; next try in 7s", reason());
        replacementAskedForAfter(Duration.ofSeconds(7));
    }

    @Test
    void aMasterFailoverIsNotDelayedByTheBackoff() {
        var t = sim.runningCluster(3);
        failsAgain(t.get(2));
        sim.expectDemand(1);
        replacementFails();
        sim.expectDemand(0);
        sim.drain();

        sim.status(t.get(0), TaskState.FAILED, "mysqld exited with signal 9");
        var cause = "FAILED: mysqld exited with signal 9";
        sim.expectEvents(new ClusterEvent.TaskStateChanged(t.get(0), TaskState.FAILED, "mysqld exited with signal 9", sim.clock.instant()),
                new ClusterEvent.MasterLost(0, t.get(0), cause, START),
                new ClusterEvent.ElectionStarted(1, java.util.Optional.of(t.get(0)), List.of(t.get(1)), cause, false, START));
        assertEquals(List.of(new ResourceSide.Kill(t.get(0)), ClusterSimulation.query(t.get(1), 1)), sim.nextToResources(2),
                "the old master is fenced and the election asks at once, without any Release of the old master yet");
        sim.position(t.get(1), 1, "0-1-9");
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.MasterElected.class);
        sim.promoted(t.get(1), 1);
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.FailoverCompleted.class);
        sim.settle();
        assertTrue(ClusterSimulation.takeQueued(sim.resources).contains(new ResourceSide.Release(t.get(0))),
                "the old master's sandbox goes once the failover completed");
    }

    @Test
    void aDeletedClusterReleasesEveryInstanceItKnows() {
        var t = sim.runningCluster(2);
        failsAgain(t.get(1));
        sim.expectDemand(1);
        var replacement = sim.place();
        sim.journal.expectNextPersistedClass(sim.pid(), ClusterEvent.ReplicaAdded.class);
        assertEquals(new ClusterActor.Done("orders", "deleting"), sim.guarded(r -> new ClusterActor.Delete(PASSWORD, r)));
        sim.expectEvents(new ClusterEvent.ClusterDeletionRequested(START));
        assertEquals(Set.of(new ResourceSide.Kill(t.get(0)), new ResourceSide.Kill(replacement)), Set.copyOf(sim.nextToResources(2)));
        sim.status(t.get(0), TaskState.KILLED);
        sim.status(replacement, TaskState.FAILED, "killed while starting");
        sim.expectEvents(new ClusterEvent.TaskStateChanged(t.get(0), TaskState.KILLED, "", sim.clock.instant()),
                new ClusterEvent.TaskStateChanged(replacement, TaskState.FAILED, "killed while starting", sim.clock.instant()),
                new ClusterEvent.ClusterTerminated(START));
        assertEquals(Set.of(new ResourceSide.Release(t.get(0)), new ResourceSide.Release(t.get(1)), new ResourceSide.Release(replacement)),
                Set.copyOf(sim.nextToResources(3)), "nothing of the cluster is left behind");
    }

    @Test
    void aReplicaLetGoByAShrinkIsReleasedOnceItEnded() {
        var t = sim.runningCluster(2);
        var outcome = sim.kit.<ClusterActor.Outcome>createTestProbe();
        sim.cluster.tell(new ClusterActor.Resize(1, PASSWORD, outcome.ref()));
        sim.expectToResources(ClusterSimulation.query(t.get(1), 0));
        sim.position(t.get(1), 0, "0-1-5");
        assertEquals(new ClusterActor.Done("orders", "resizing from 2 to 1 nodes"), outcome.receiveMessage());
        sim.expectEvents(new ClusterEvent.ClusterResized(2, 1, List.of(t.get(1))));
        sim.expectToResources(new ResourceSide.Kill(t.get(1)));
        sim.status(t.get(1), TaskState.FAILED, "mysqld did not stop in time");
        sim.expectEvents(new ClusterEvent.TaskStateChanged(t.get(1), TaskState.FAILED, "mysqld did not stop in time", sim.clock.instant()));
        sim.expectToResources(new ResourceSide.Release(t.get(1)));
        sim.expectDemand(0);
    }
}

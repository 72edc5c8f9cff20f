package io.mysos.actors.cluster;

import static io.mysos.actors.cluster.ClusterSimulation.host;
import static io.mysos.actors.cluster.ClusterSimulation.port;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.cluster.ClusterStatus;
import io.mysos.core.cluster.Lag;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code GET /clusters/{name}} shows through a replica's failure and its replacement's catch-up,
 * on manual time: live instances in {@code replicas}, ended ones apart with when they ended, and a
 * cluster that is RUNNING only once every replica is in sync.
 */
class ClusterViewSimulationTest {
    private ClusterSimulation sim;

    @BeforeEach
    void setUp() {
        sim = new ClusterSimulation();
    }

    @AfterEach
    void tearDown() {
        sim.close();
    }

    private static List<String> ids(List<ClusterView.InstanceView> instances) {
        return instances.stream().map(ClusterView.InstanceView::taskId).toList();
    }

    @Test
    void aReplacementThatConfirmedItsRoleIsNotInSyncUntilItsFirstLagReport() {
        var t = sim.runningCluster(3);
        sim.status(t.get(2), TaskState.FAILED, "mysqld exited with signal 9");
        var replacement = sim.place();
        sim.status(replacement, TaskState.RUNNING);
        sim.reparentedWithoutLag(replacement, 0, t.get(0));
        sim.settle();

        var unreported = sim.view();
        assertEquals(ClusterStatus.PENDING, unreported.status(), "a replica that may still replay the master's history is not in sync");
        assertEquals(Optional.of("waiting for instances to take their roles: 2 of 3 ready; waiting for the first replication report of "
                + replacement), unreported.reason());

        sim.report(new ExecutorReport.ReplicationLag(replacement, 0, Optional.of(0L), 0, false));
        sim.settle();
        assertEquals(ClusterStatus.RUNNING, sim.view().status());
    }

    @Test
    void aFailedReplicaMovesToEndedAndItsReplacementIsDegradedWhileItCatchesUp() {
        var t = sim.runningCluster(3);
        sim.passes(Duration.ofSeconds(30));
        var failedAt = sim.clock.instant();
        sim.status(t.get(2), TaskState.FAILED, "mysqld exited with signal 9");
        sim.settle();

        var afterFailure = sim.view();
        assertEquals(List.of(t.get(1).value()), ids(afterFailure.replicas()), "only the live replica is listed");
        assertEquals(List.of(new ClusterView.EndedView(t.get(2).value(), host(t.get(2)), port(t.get(2)), TaskState.FAILED,
                "mysqld exited with signal 9", Optional.of(failedAt))), afterFailure.ended());
        assertEquals("master", afterFailure.master().orElseThrow().role());
        assertEquals("replica", afterFailure.replicas().get(0).role());
        assertEquals(ClusterStatus.DEGRADED, afterFailure.status());

        var replacement = sim.place();
        sim.status(replacement, TaskState.RUNNING);
        sim.reparented(replacement, 0, t.get(0));
        sim.report(new ExecutorReport.ReplicationLag(replacement, 0, Optional.of(12L), 3912, true));
        sim.settle();

        var catchingUp = sim.view();
        assertEquals(List.of(t.get(1).value(), replacement.value()), ids(catchingUp.replicas()));
        var replica = catchingUp.replicas().get(1);
        assertTrue(replica.catchingUp());
        assertEquals(Optional.of(new Lag(3912, Optional.of(12L), true)), replica.lag());
        assertFalse(catchingUp.replicas().get(0).catchingUp());
        assertEquals(ClusterStatus.DEGRADED, catchingUp.status(), "3 of 3 running is not 3 of 3 in sync");
        assertEquals(Optional.of("replica " + replacement + " is catching up with the master: 3912 transactions (12 s) behind"),
                catchingUp.reason());

        sim.report(new ExecutorReport.ReplicationLag(replacement, 0, Optional.of(0L), 0, false));
        sim.settle();
        var inSync = sim.view();
        assertEquals(ClusterStatus.RUNNING, inSync.status());
        assertEquals(Optional.empty(), inSync.reason());
        assertFalse(inSync.replicas().get(1).catchingUp());
        assertEquals(1, inSync.ended().size());
    }

    @Test
    void aReplicaWhoseReplicationStoppedDegradesTheClusterAndTheReasonNamesIt() {
        var t = sim.runningCluster(3);
        sim.report(new ExecutorReport.ReplicationLag(t.get(2), 0, Optional.empty(), 0, false, false));
        sim.settle();
        var stopped = sim.view();
        assertEquals(ClusterStatus.DEGRADED, stopped.status());
        assertEquals(Optional.of("replica " + t.get(2) + " stopped replicating from the master (0 transactions behind)"),
                stopped.reason());
        assertFalse(stopped.replicas().get(1).replicating());
        assertTrue(stopped.replicas().get(0).replicating() || stopped.replicas().get(0).lag().isEmpty());

        sim.report(new ExecutorReport.ReplicationLag(t.get(2), 0, Optional.of(0L), 0, false, true));
        sim.settle();
        var again = sim.view();
        assertEquals(ClusterStatus.RUNNING, again.status());
        assertTrue(again.replicas().get(1).replicating());
    }

    @Test
    void aLagReportFromBeforeTheLastFailoverOrFromAnEndedTaskChangesNothing() {
        var t = sim.runningCluster(3);
        sim.report(new ExecutorReport.ReplicationLag(t.get(1), 7, Optional.of(40L), 9000, true));
        sim.report(new ExecutorReport.ReplicationLag(TaskId.of(ClusterSimulation.NAME, 99), 0, Optional.of(40L), 9000, true));
        sim.settle();
        var view = sim.view();
        assertEquals(ClusterStatus.RUNNING, view.status());
        assertTrue(view.replicas().stream().noneMatch(ClusterView.InstanceView::catchingUp));
    }

    @Test
    void endedInstancesKeepWhenTheyEndedAcrossASchedulerRestartNewestFirst() {
        var t = sim.runningCluster(3);
        sim.passes(Duration.ofSeconds(10));
        var firstAt = sim.clock.instant();
        sim.status(t.get(1), TaskState.LOST, "agent gone");
        sim.settle();
        var replacement = sim.place();
        sim.status(replacement, TaskState.RUNNING);
        sim.passes(Duration.ofSeconds(10));
        var secondAt = sim.clock.instant();
        sim.status(t.get(2), TaskState.FAILED, "disk full");
        sim.settle();

        sim.stopScheduler();
        sim.start();
        var ended = sim.view().ended();
        assertEquals(List.of(t.get(2).value(), t.get(1).value()), ended.stream().map(ClusterView.EndedView::taskId).toList());
        assertEquals(List.of(Optional.of(secondAt), Optional.of(firstAt)), ended.stream().map(ClusterView.EndedView::at).toList());
        assertEquals(List.of(TaskState.FAILED, TaskState.LOST), ended.stream().map(ClusterView.EndedView::state).toList());
        assertEquals(List.of(replacement.value()), ids(sim.view().replicas()));
    }
}

package io.mysos.core.failover;

import static io.mysos.core.failover.Lives.NOW;
import static io.mysos.core.failover.Lives.T1;
import static io.mysos.core.failover.Lives.T2;
import static io.mysos.core.failover.Lives.T3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RolesTest {
    @Test
    void replicasAreNotPointedAtAMasterThatHasNotConfirmedItIsWritable() {
        var life = Lives.running(3);
        assertEquals(List.of(new Action.Send(T1, new ExecutorCommand.Promote(0))), Roles.driveAll(life, Observed.initial()));
    }

    @Test
    void theMastersConfirmationSendsEveryReplicaItsReparentAtOnce() {
        var life = Lives.running(3);
        var decision = Roles.onPromoted(life, Observed.initial(), new ExecutorReport.Promoted(T1, 0), NOW);
        assertEquals(List.of(new Action.Send(T2, new ExecutorCommand.Reparent(0, "10.0.0.1", 31001)),
                new Action.Send(T3, new ExecutorCommand.Reparent(0, "10.0.0.1", 31001))), decision.actions());
        assertTrue(decision.observed().isConfirmed(T1));
    }

    @Test
    void theConfirmationOfAnElectedMasterCompletesItsFailover() {
        var life = Lives.running(3)
                .apply(new ClusterEvent.MasterLost(0, T1, "FAILED", NOW))
                .apply(new ClusterEvent.ElectionStarted(1, Optional.of(T1), List.of(T2, T3), "FAILED", false, NOW))
                .apply(new ClusterEvent.MasterElected(1, T2, Map.of()));
        var decision = Roles.onPromoted(life, Observed.initial(), new ExecutorReport.Promoted(T2, 1), NOW.plusMillis(750));
        assertEquals(List.of(new ClusterEvent.FailoverCompleted(1, Optional.of(T1), T2, 750, "FAILED")), decision.events());
        assertTrue(decision.actions().contains(new Action.Send(T3, new ExecutorCommand.Reparent(1, "10.0.0.2", 31002))));
        assertTrue(Roles.onPromoted(life, Observed.initial(), new ExecutorReport.Promoted(T3, 1), NOW).events().isEmpty(),
                "only the elected master's confirmation counts");
    }

    @Test
    void theOldMastersSandboxIsReleasedOnceTheFailoverCompletedNotBefore() {
        var life = Lives.running(3)
                .apply(new ClusterEvent.TaskStateChanged(T1, io.mysos.core.task.TaskState.FAILED, "signal 9"))
                .apply(new ClusterEvent.MasterLost(0, T1, "FAILED", NOW))
                .apply(new ClusterEvent.ElectionStarted(1, Optional.of(T1), List.of(T2, T3), "FAILED", false, NOW))
                .apply(new ClusterEvent.MasterElected(1, T2, Map.of()));
        assertTrue(Failover.onRecovery(life).stream().noneMatch(Action.Release.class::isInstance),
                "while the failover runs, the old master's sandbox stays");
        var decision = Roles.onPromoted(life, Observed.initial(), new ExecutorReport.Promoted(T2, 1), NOW.plusMillis(750));
        assertTrue(decision.actions().contains(new Action.Release(T1)), decision.actions().toString());
        var completed = Lives.apply(life, decision);
        assertEquals(List.of(new Action.Reconcile(List.of(completed.taskData(completed.instance(T2).orElseThrow()),
                completed.taskData(completed.instance(T3).orElseThrow()))), new Action.Release(T1)), Failover.onRecovery(completed),
                "after a restart the live instances are reconciled and the ended ones released again");
    }

    @Test
    void aPlannedSwitchoverReleasesNothing() {
        var life = Lives.running(2)
                .apply(new ClusterEvent.ElectionStarted(1, Optional.of(T1), List.of(T2), ClusterEvent.PLANNED, true, NOW))
                .apply(new ClusterEvent.MasterElected(1, T2, Map.of()));
        var decision = Roles.onPromoted(life, Observed.initial(), new ExecutorReport.Promoted(T2, 1), NOW);
        assertEquals(1, decision.events().size());
        assertTrue(decision.actions().stream().noneMatch(Action.Release.class::isInstance), "the old master lives on as a replica");
    }

    @Test
    void convergeResendsWhatIsUnconfirmedKillsWhatWasLetGoAndAsksAboutLongStagingInstances() {
        var staging = TaskId.of("orders", 4);
        var life = Lives.running(3)
                .apply(new ClusterEvent.ClusterResized(3, 4, List.of()))
                .apply(new ClusterEvent.ClusterResized(4, 3, List.of(T3)))
                .apply(new ClusterEvent.ReplicaAdded(staging, "agent-1", "10.0.0.4", 31004, Resources.DEFAULT_INSTANCE));
        var observed = Observed.initial().confirm(T1).stagedAt(staging, NOW);
        var early = Roles.converge(life, observed, NOW.plusSeconds(10), Duration.ofSeconds(30));
        assertEquals(List.of(new Action.Send(T2, new ExecutorCommand.Reparent(0, "10.0.0.1", 31001)), new Action.Kill(T3)),
                early.actions());
        var late = Roles.converge(life, observed, NOW.plusSeconds(30), Duration.ofSeconds(30));
        assertTrue(late.actions().get(late.actions().size() - 1) instanceof Action.Reconcile r
                && r.tasks().get(0).taskId().equals(staging));
        assertEquals(NOW.plusSeconds(30), late.observed().staged().get(staging), "asked again only after another timeout");
    }

    @Test
    void aReparentToAnOlderMasterConfirmsNothing() {
        var life = Lives.running(2);
        assertTrue(Roles.onReparented(life, Observed.initial(), new ExecutorReport.Reparented(T2, 0, "10.0.0.9", 1)).confirmed().isEmpty());
        assertTrue(Roles.onReparented(life, Observed.initial(), new ExecutorReport.Reparented(T2, 0, "10.0.0.1", 31001)).isConfirmed(T2));
    }

    @Test
    void aReplicasLagCountsOnlyForTheCurrentEpochAndNeverForTheMaster() {
        var life = Lives.running(3);
        var catching = new ExecutorReport.ReplicationLag(T2, 0, Optional.of(12L), 4000, true);
        var observed = Roles.onReplicationLag(life, Observed.initial(), catching);
        assertTrue(observed.isCatchingUp(T2));
        assertEquals(Optional.of(catching.lag()), observed.lag(T2));

        var stale = new ExecutorReport.ReplicationLag(T3, 1, Optional.of(12L), 4000, true);
        assertEquals(Observed.initial(), Roles.onReplicationLag(life, Observed.initial(), stale));
        var master = new ExecutorReport.ReplicationLag(T1, 0, Optional.of(12L), 4000, true);
        assertEquals(Observed.initial(), Roles.onReplicationLag(life, Observed.initial(), master));

        var inSync = new ExecutorReport.ReplicationLag(T2, 0, Optional.of(0L), 0, false);
        assertTrue(!Roles.onReplicationLag(life, observed, inSync).isCatchingUp(T2));
        assertTrue(observed.forget(T2).lag(T2).isEmpty(), "an ended task's lag is forgotten");
    }
}

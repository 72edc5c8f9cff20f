package io.mysos.core.failover;

import static io.mysos.core.failover.Lives.NOW;
import static io.mysos.core.failover.Lives.T1;
import static io.mysos.core.failover.Lives.T2;
import static io.mysos.core.failover.Lives.T3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailoverTest {
    private static final String CAUSE = "FAILED: signal 9";

    private static TaskStatus failed(TaskId task) {
        return new TaskStatus(task, TaskState.FAILED, "signal 9");
    }

    @Test
    void theFirstRunningInstanceOfEpochZeroBecomesMasterAndIsPromoted() {
        var life = Lives.created(2).apply(new ClusterEvent.ReplicaAdded(T1, "a", "10.0.0.1", 31001, Resources.DEFAULT_INSTANCE));
        var decision = Failover.onStatus(life, Observed.initial(), new TaskStatus(T1, TaskState.RUNNING, ""), NOW);
        assertEquals(List.of(new ClusterEvent.TaskStateChanged(T1, TaskState.RUNNING, "", NOW),
                new ClusterEvent.MasterElected(0, T1, Map.of())), decision.events());
        assertEquals(List.of(new Action.Send(T1, new ExecutorCommand.Promote(0))), decision.actions());
    }

    @Test
    void aLostMasterIsFencedAndAnElectionAsksEveryRunningReplica() {
        var life = Lives.running(3);
        var decision = Failover.onStatus(life, Lives.confirmed(life), failed(T1), NOW);
        assertEquals(List.of(new ClusterEvent.TaskStateChanged(T1, TaskState.FAILED, "signal 9", NOW),
                new ClusterEvent.MasterLost(0, T1, CAUSE, NOW),
                new ClusterEvent.ElectionStarted(1, Optional.of(T1), List.of(T2, T3), CAUSE, false, NOW)), decision.events());
        assertEquals(List.of(new Action.Kill(T1), new Action.Send(T2, new ExecutorCommand.QueryPosition(1)),
                new Action.Send(T3, new ExecutorCommand.QueryPosition(1))), decision.actions());
        assertTrue(decision.observed().confirmed().isEmpty(), "every role is confirmed again in the new epoch");
    }

    @Test
    void aLostReplicaIsRecordedForReplacement() {
        var life = Lives.running(3);
        var decision = Failover.onStatus(life, Lives.confirmed(life), failed(T3), NOW);
        assertEquals(List.of(new ClusterEvent.TaskStateChanged(T3, TaskState.FAILED, "signal 9", NOW),
                new ClusterEvent.ReplicaLost(T3, CAUSE, NOW)), decision.events());
        assertEquals(1, Lives.apply(life, decision).needed(NOW), "a replacement is asked for at once");
        assertEquals(List.of(new Action.Release(T3)), decision.actions(), "what the lost replica holds is freed");
    }

    @Test
    void aReplicaRunningDuringAnElectionIsAskedForItsPosition() {
        var life = Lives.running(3).apply(new ClusterEvent.TaskStateChanged(T3, TaskState.STARTING, "", NOW));
        var electing = Lives.apply(life, Failover.onStatus(life, Observed.initial(), failed(T1), NOW));
        var decision = Failover.onStatus(electing, Observed.initial(), new TaskStatus(T3, TaskState.RUNNING, ""), NOW);
        assertEquals(List.of(new ClusterEvent.TaskStateChanged(T3, TaskState.RUNNING, "", NOW)), decision.events());
        assertEquals(List.of(new Action.Send(T3, new ExecutorCommand.QueryPosition(1))), decision.actions());
    }

    @Test
    void anInstanceBackFromTheDeadOrUnknownIsKilled() {
        var life = Lives.running(2).apply(new ClusterEvent.TaskStateChanged(T2, TaskState.LOST, "", NOW));
        assertEquals(List.of(new Action.Kill(T2)),
                Failover.onStatus(life, Observed.initial(), new TaskStatus(T2, TaskState.RUNNING, ""), NOW).actions());
        var stranger = TaskId.of("orders", 9);
        assertEquals(List.of(new Action.Kill(stranger)),
                Failover.onStatus(life, Observed.initial(), new TaskStatus(stranger, TaskState.RUNNING, ""), NOW).actions());
    }

    @Test
    void aRepeatedStatusRecordsNothingButStillDrivesTheRole() {
        var life = Lives.running(2);
        var observed = Observed.initial().confirm(T1);
        var decision = Failover.onStatus(life, observed, new TaskStatus(T2, TaskState.RUNNING, ""), NOW);
        assertTrue(decision.events().isEmpty());
        assertEquals(List.of(new Action.Send(T2, new ExecutorCommand.Reparent(0, "10.0.0.1", 31001))), decision.actions());
    }

    @Test
    void aReplicaLetGoByAShrinkIsNotReplaced() {
        var life = Lives.running(3).apply(new ClusterEvent.ClusterResized(3, 2, List.of(T3)));
        var decision = Failover.onStatus(life, Observed.initial(), new TaskStatus(T3, TaskState.KILLED, ""), NOW);
        assertEquals(List.of(new ClusterEvent.TaskStateChanged(T3, TaskState.KILLED, "", NOW)), decision.events());
        assertEquals(List.of(new Action.Release(T3)), decision.actions(), "it will not come back: what it holds is freed");
    }

    @Test
    void aReplicaLostDuringAnElectionIsReleasedToo() {
        var life = Lives.running(3);
        var electing = Lives.apply(life, Failover.onStatus(life, Observed.initial(), failed(T1), NOW));
        var decision = Failover.onStatus(electing, Observed.initial(), failed(T3), NOW);
        assertTrue(decision.actions().contains(new Action.Release(T3)), decision.actions().toString());
        assertTrue(!decision.actions().contains(new Action.Release(T1)), "the lost master's sandbox stays while its failover runs");
    }
}

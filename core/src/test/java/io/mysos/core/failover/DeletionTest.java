package io.mysos.core.failover;

import static io.mysos.core.failover.Lives.NOW;
import static io.mysos.core.failover.Lives.T1;
import static io.mysos.core.failover.Lives.T2;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.task.TaskState;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeletionTest {
    @Test
    void deletionKillsEveryInstanceAndEndsWithTheLastOne() {
        var life = Lives.running(2);
        var start = Deletion.start(life, Observed.initial(), NOW);
        assertEquals(List.of(new ClusterEvent.ClusterDeletionRequested(NOW)), start.events());
        assertEquals(List.of(new Action.Kill(T1), new Action.Kill(T2)), start.actions());
        var first = Deletion.onStatus(life, Observed.initial(), new TaskStatus(T1, TaskState.KILLED, ""), NOW);
        assertEquals(List.of(new ClusterEvent.TaskStateChanged(T1, TaskState.KILLED, "", NOW)), first.events());
        var last = Deletion.onStatus(Lives.apply(life, first), Observed.initial(), new TaskStatus(T2, TaskState.KILLED, ""), NOW);
        assertEquals(List.of(new ClusterEvent.TaskStateChanged(T2, TaskState.KILLED, "", NOW), new ClusterEvent.ClusterTerminated(NOW)),
                last.events());
        assertEquals(List.of(), first.actions(), "nothing is released before the life ends");
        assertEquals(List.of(new Action.Release(T1), new Action.Release(T2)), last.actions(),
                "at its end every instance is released, so nothing of the cluster is left behind");
    }

    @Test
    void theEndOfALifeReleasesInstancesThatEndedBeforeTheDeletionToo() {
        var life = Lives.running(3)
                .apply(new ClusterEvent.TaskStateChanged(Lives.T3, TaskState.FAILED, "replication broke"))
                .apply(new ClusterEvent.ReplicaLost(Lives.T3, "FAILED: replication broke", NOW));
        assertEquals(List.of(new Action.Kill(T1), new Action.Kill(T2)), Deletion.start(life, Observed.initial(), NOW).actions());
        // (The deletion itself lives in the actor's state; the life goes on applying the instances' events.)
        var ending = Lives.apply(life, Deletion.onStatus(life, Observed.initial(), new TaskStatus(T1, TaskState.KILLED, ""), NOW));
        var last = Deletion.onStatus(ending, Observed.initial(), new TaskStatus(T2, TaskState.FAILED, "killed while starting"), NOW);
        assertEquals(List.of(new Action.Release(T1), new Action.Release(T2), new Action.Release(Lives.T3)), last.actions());
    }

    @Test
    void aClusterWithoutInstancesEndsAtOnce() {
        assertEquals(List.of(new ClusterEvent.ClusterDeletionRequested(NOW), new ClusterEvent.ClusterTerminated(NOW)),
                Deletion.start(Lives.created(1), Observed.initial(), NOW).events());
        var onlyEnded = Lives.running(1).apply(new ClusterEvent.TaskStateChanged(T1, TaskState.FAILED, ""));
        assertEquals(List.of(new Action.Release(T1)), Deletion.start(onlyEnded, Observed.initial(), NOW).actions());
    }

    @Test
    void anInstanceStillRunningIsKilledAgain() {
        var decision = Deletion.onStatus(Lives.running(2), Observed.initial(), new TaskStatus(T2, TaskState.RUNNING, ""), NOW);
        assertEquals(List.of(new Action.Kill(T2)), decision.actions());
    }
}

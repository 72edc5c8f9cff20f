package io.mysos.core.failover;

import static io.mysos.core.failover.Lives.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.cluster.Instance;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Which ended instances a cluster's life keeps for the API, and in which order. */
class EndedInstancesTest {
    /** A replica {@code serverId} added, run, and ended {@code endedAt}. */
    private static ClusterLife replicaEnded(ClusterLife life, long serverId, TaskState state, Instant endedAt) {
        var id = TaskId.of("orders", serverId);
        return life.apply(new ClusterEvent.ReplicaAdded(id, "agent-1", "10.0.0.9", 31000, Resources.DEFAULT_INSTANCE))
                .apply(new ClusterEvent.TaskStateChanged(id, TaskState.RUNNING, "", endedAt.minusSeconds(60)))
                .apply(new ClusterEvent.TaskStateChanged(id, state, "mysqld exited with signal 9", endedAt));
    }

    @Test
    void endedInstancesAreNewestFirstWithTheirFinalStateReasonAndTime() {
        var life = replicaEnded(Lives.running(3), 4, TaskState.FAILED, NOW.plusSeconds(10));
        life = replicaEnded(life, 5, TaskState.LOST, NOW.plusSeconds(30));
        life = replicaEnded(life, 6, TaskState.KILLED, NOW.plusSeconds(20));
        var ended = life.ended();
        assertEquals(List.of(5L, 6L, 4L), ended.stream().map(i -> i.taskId().serverId()).toList());
        assertEquals(TaskState.LOST, ended.get(0).state());
        assertEquals("mysqld exited with signal 9", ended.get(0).message());
        assertEquals(Optional.of(NOW.plusSeconds(30)), ended.get(0).endedAt());
    }

    @Test
    void onlyTheLastTwentyEndedInstancesAreKeptAndTheLiveOnesStay() {
        var life = Lives.running(3);
        for (long id = 4; id < 34; id++) {
            life = replicaEnded(life, id, TaskState.FAILED, NOW.plusSeconds(id));
        }
        assertEquals(LongStream.rangeClosed(14, 33).map(i -> 47 - i).boxed().toList(),
                life.ended().stream().map(i -> i.taskId().serverId()).toList());
        assertEquals(3, life.live().size());
        assertEquals(23, life.instances().size());
    }

    @Test
    void anInstanceThatEndedLongAgoGoesBeforeOneAddedEarlierThatEndedLater() {
        // The master of epoch 0 (task 1) runs for ever; a replica added later ends first.
        var life = replicaEnded(Lives.running(1), 2, TaskState.FAILED, NOW);
        life = life.apply(new ClusterEvent.TaskStateChanged(Lives.T1, TaskState.FAILED, "", NOW.plusSeconds(99)))
                .apply(new ClusterEvent.MasterLost(0, Lives.T1, "FAILED", NOW.plusSeconds(99)));
        assertEquals(List.of(1L, 2L), life.ended().stream().map(i -> i.taskId().serverId()).toList());
    }

    @Test
    void endsRecordedBeforeTheJournalKeptTheirTimeComeLastWithNoTime() {
        var id = TaskId.of("orders", 4);
        var life = replicaEnded(Lives.running(3), 5, TaskState.FAILED, NOW)
                .apply(new ClusterEvent.ReplicaAdded(id, "agent-1", "10.0.0.9", 31000, Resources.DEFAULT_INSTANCE))
                .apply(new ClusterEvent.TaskStateChanged(id, TaskState.FAILED, "old"));
        var ended = life.ended();
        assertEquals(List.of(5L, 4L), ended.stream().map(i -> i.taskId().serverId()).toList());
        assertTrue(ended.get(1).endedAt().isEmpty());
        assertTrue(ended.stream().noneMatch(Instance::live));
    }
}

package io.mysos.actors.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysos.core.audit.RecordedEvent;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.password.PasswordHash;
import io.mysos.core.password.SealedSecret;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A cluster name's history split into lives and replayed by the cluster actor's own event handler. */
class ClusterHistoryTest {
    private static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");
    private static final TaskId T1 = TaskId.of("orders", 1);
    private static final TaskId T2 = TaskId.of("orders", 2);

    private static ClusterEvent.ClusterCreated created(int nodes) {
        var spec = new ClusterSpec("orders", "app", nodes, Resources.DEFAULT_INSTANCE, Optional.empty(), false);
        return new ClusterEvent.ClusterCreated(spec, new ClusterSecrets(new PasswordHash("pbkdf2", 1, "s", "h"),
                new SealedSecret("a", "b"), new SealedSecret("c", "d")), T0);
    }

    /** Each event written one second after the one before, from T0 + 1 s. */
    private static ClusterHistory history(ClusterEvent... events) {
        var recorded = new ArrayList<RecordedEvent>();
        for (var e : events) {
            recorded.add(new RecordedEvent(recorded.size() + 1, T0.plusSeconds(recorded.size() + 1), e));
        }
        return new ClusterHistory("orders", recorded);
    }

    private static final ClusterHistory TWO_LIVES = history(
            created(1),
            new ClusterEvent.ReplicaAdded(T1, "agent", "10.0.0.1", 31001, Resources.DEFAULT_INSTANCE),
            new ClusterEvent.TaskStateChanged(T1, TaskState.RUNNING, "", T0),
            new ClusterEvent.MasterElected(0, T1, Map.of()),
            new ClusterEvent.ClusterDeletionRequested(T0),
            new ClusterEvent.TaskStateChanged(T1, TaskState.KILLED, "", T0),
            new ClusterEvent.ClusterTerminated(T0),
            created(1),
            new ClusterEvent.ReplicaAdded(T2, "agent", "10.0.0.2", 31002, Resources.DEFAULT_INSTANCE));

    @Test
    void eachCreationStartsALifeOfTheSameName() {
        var lives = TWO_LIVES.lives();
        assertEquals(List.of(1, 2), lives.stream().map(ClusterHistory.Life::incarnation).toList());
        assertEquals(7, lives.get(0).events().size());
        assertEquals(List.of(8L, 9L), lives.get(1).events().stream().map(RecordedEvent::seq).toList());
        assertEquals(2, TWO_LIVES.life(Optional.empty()).orElseThrow().incarnation(), "the newest by default");
        assertEquals(Optional.empty(), TWO_LIVES.life(Optional.of(3)));
    }

    @Test
    void rebuildsTheClusterAsItWasAtAMoment() {
        var running = TWO_LIVES.at(T0.plusSeconds(4)).summary();
        assertEquals(new ClusterHistory.StateSummary("orders", "active", 1, 4, 0, Optional.of(T1), 1,
                List.of(new ClusterHistory.Member(T1, "10.0.0.1", 31001, "RUNNING", false))), running);
        assertEquals("deleting", TWO_LIVES.at(T0.plusSeconds(5)).summary().phase());
        assertEquals("none", TWO_LIVES.at(T0.plusSeconds(7)).summary().phase());
        var second = TWO_LIVES.replay().summary();
        assertEquals(List.of(2, 9), List.of(second.incarnation(), (int) second.lastSeq()));
        assertEquals(Optional.empty(), second.master());
        assertEquals("none", TWO_LIVES.at(T0).summary().phase(), "before its first event");
    }

    @Test
    void reportsTheFirstEventThatDoesNotApply() {
        var broken = history(new ClusterEvent.ReplicaAdded(T1, "agent", "10.0.0.1", 31001, Resources.DEFAULT_INSTANCE), created(1));
        var replay = broken.replay();
        assertEquals(1, replay.failure().orElseThrow().seq());
        assertEquals("ReplicaAdded", replay.failure().get().type());
        assertEquals("none", replay.summary().phase());
        assertEquals(List.of(), TWO_LIVES.violations());
        assertEquals(Optional.empty(), TWO_LIVES.replay().failure());
    }
}

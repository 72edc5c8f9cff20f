package io.mysos.core.audit;

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

/** Scripted cluster histories for the audit's tests: events numbered from 1, each a second after the one before. */
final class Histories {
    static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");
    static final TaskId T1 = TaskId.of("orders", 1);
    static final TaskId T2 = TaskId.of("orders", 2);
    static final TaskId T3 = TaskId.of("orders", 3);
    static final TaskId T4 = TaskId.of("orders", 4);

    private final List<RecordedEvent> events = new ArrayList<>();

    Instant now() {
        return T0.plusSeconds(events.size() + 1);
    }

    Histories add(ClusterEvent event) {
        events.add(new RecordedEvent(events.size() + 1, now(), event));
        return this;
    }

    List<RecordedEvent> events() {
        return List.copyOf(events);
    }

    static ClusterEvent.ClusterCreated created() {
        var spec = new ClusterSpec("orders", "app", 3, Resources.DEFAULT_INSTANCE, Optional.empty(), true);
        var secrets = new ClusterSecrets(new PasswordHash("pbkdf2", 1, "salt", "hash"), new SealedSecret("a", "b"), new SealedSecret("c", "d"));
        return new ClusterEvent.ClusterCreated(spec, secrets, T0);
    }

    /** Three instances running, T1 master of epoch 0. */
    static Histories running() {
        var h = new Histories().add(created());
        for (var id : List.of(T1, T2, T3)) {
            h.add(new ClusterEvent.ReplicaAdded(id, "agent-1", "127.0.0.1", 31000 + (int) id.serverId(), Resources.DEFAULT_INSTANCE));
        }
        for (var id : List.of(T1, T2, T3)) {
            h.add(new ClusterEvent.TaskStateChanged(id, TaskState.RUNNING, "", h.now()));
        }
        return h.add(new ClusterEvent.MasterElected(0, T1, Map.of()));
    }

    /** {@link #running()}, then T1 fails and T2 (ahead of T3) takes over in 1200 ms. */
    static Histories failedOver() {
        var h = running();
        h.add(new ClusterEvent.TaskStateChanged(T1, TaskState.FAILED, "mysqld exited", h.now()));
        h.add(new ClusterEvent.MasterLost(0, T1, "FAILED: mysqld exited", h.now()));
        h.add(new ClusterEvent.ElectionStarted(1, Optional.of(T1), List.of(T2, T3), "FAILED: mysqld exited", false, h.now()));
        h.add(new ClusterEvent.MasterElected(1, T2, Map.of(T2.value(), "mariadb:0-1-100", T3.value(), "mariadb:0-1-98")));
        return h.add(new ClusterEvent.FailoverCompleted(1, Optional.of(T1), T2, 1200, "FAILED: mysqld exited"));
    }
}

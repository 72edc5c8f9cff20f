package io.mysos.core.failover;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.password.PasswordHash;
import io.mysos.core.password.SealedSecret;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Clusters as their events build them, for the decisions' tests: {@code T1} is the master of epoch 0 unless said otherwise. */
final class Lives {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final TaskId T1 = TaskId.of("orders", 1);
    static final TaskId T2 = TaskId.of("orders", 2);
    static final TaskId T3 = TaskId.of("orders", 3);

    private Lives() {}

    static ClusterLife created(int nodes) {
        var spec = new ClusterSpec("orders", "app", nodes, Resources.DEFAULT_INSTANCE, Optional.empty(), false);
        var secrets = new ClusterSecrets(new PasswordHash("pbkdf2", 1, "salt", "hash"), new SealedSecret("a", "b"), new SealedSecret("c", "d"));
        return ClusterLife.created(new ClusterEvent.ClusterCreated(spec, secrets, NOW));
    }

    /** {@code nodes} instances running, the first one master of epoch 0. */
    static ClusterLife running(int nodes) {
        var life = created(nodes);
        for (int i = 1; i <= nodes; i++) {
            var id = TaskId.of("orders", i);
            life = life.apply(new ClusterEvent.ReplicaAdded(id, "agent-1", "10.0.0." + i, 31000 + i, Resources.DEFAULT_INSTANCE))
                    .apply(new ClusterEvent.TaskStateChanged(id, TaskState.RUNNING, ""));
        }
        return life.apply(new ClusterEvent.MasterElected(0, T1, Map.of()));
    }

    static ClusterLife apply(ClusterLife life, Decision decision) {
        for (var event : decision.events()) {
            life = life.apply(event);
        }
        return life;
    }

    /** Every instance of {@code life} confirmed its role. */
    static Observed confirmed(ClusterLife life) {
        var observed = Observed.initial();
        for (var instance : life.instances()) {
            observed = observed.confirm(instance.taskId());
        }
        return observed;
    }
}

package io.mysos.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysos.core.cluster.ClusterEvent.VolumeCreated;
import io.mysos.core.cluster.ClusterEvent.VolumeReleased;
import io.mysos.core.cluster.ClusterEvent.VolumeReused;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.password.PasswordHash;
import io.mysos.core.password.SealedSecret;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The persistent volumes as a cluster's events build them, and what the cluster decides about them. */
class VolumesTest {
    private static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");
    private static final Duration GONE_AFTER = Duration.ofMinutes(10);
    private static final TaskId ONE = TaskId.of("orders", 1);
    private static final TaskId TWO = TaskId.of("orders", 2);

    /** A master (task 1, volume on agent-1) and a replica (task 2, volume on agent-2), both running. */
    private static ClusterLife twoNodes() {
        var spec = new ClusterSpec("orders", "app", 2, Resources.DEFAULT_INSTANCE, Optional.empty(), false);
        var secrets = new ClusterSecrets(new PasswordHash("pbkdf2", 1, "salt", "hash"), new SealedSecret("a", "b"), new SealedSecret("c", "d"));
        var life = ClusterLife.created(new ClusterEvent.ClusterCreated(spec, secrets, T0));
        for (int i = 1; i <= 2; i++) {
            var id = TaskId.of("orders", i);
            life = life.apply(new ClusterEvent.ReplicaAdded(id, "agent-" + i, "db" + i, 31000, Resources.DEFAULT_INSTANCE))
                    .apply(new VolumeCreated(Volume.idFor(id), id, "agent-" + i, "db" + i))
                    .apply(new ClusterEvent.TaskStateChanged(id, TaskState.RUNNING, "", T0));
        }
        return life.apply(new ClusterEvent.MasterElected(0, ONE, Map.of()));
    }

    private static ClusterLife replicaFailedAt(Instant at) {
        return twoNodes().apply(new ClusterEvent.TaskStateChanged(TWO, TaskState.FAILED, "mysqld died", at));
    }

    @Test
    void aVolumeCreatedIsHeldAndInUseWhileItsTaskRuns() {
        var life = twoNodes();
        assertEquals(List.of("mysos-orders-1", "mysos-orders-2"), Volumes.held(life));
        assertEquals(List.of(), Volumes.reusable(life));
        assertEquals(List.of(), Volumes.toRelease(life, T0.plus(Duration.ofDays(1)), GONE_AFTER), "a volume in use is never given up");
    }

    @Test
    void aFailedInstanceLeavesItsVolumeFreeForItsRelaunch() {
        var at = T0.plusSeconds(60);
        var life = replicaFailedAt(at);
        assertEquals(List.of(new Volume("mysos-orders-2", "agent-2", "db2", TWO, Optional.of(at))), Volumes.reusable(life));
        assertEquals(List.of("mysos-orders-1", "mysos-orders-2"), Volumes.held(life));
        assertEquals(Optional.of(at.plus(GONE_AFTER)), Volumes.nextRelease(life, GONE_AFTER));
    }

    @Test
    void aRelaunchOnTheVolumeTakesItBack() {
        var three = TaskId.of("orders", 3);
        var life = replicaFailedAt(T0).apply(new ClusterEvent.ReplicaAdded(three, "agent-2", "db2", 31001, Resources.DEFAULT_INSTANCE))
                .apply(new VolumeReused("mysos-orders-2", three));
        assertEquals(List.of(), Volumes.reusable(life));
        assertEquals(List.of(new Volume("mysos-orders-2", "agent-2", "db2", three, Optional.empty())),
                life.volumes().stream().filter(v -> v.agentId().equals("agent-2")).toList());
        // The old task's late end does not free the volume its successor uses.
        life = life.apply(new ClusterEvent.TaskStateChanged(TWO, TaskState.LOST, "late", T0.plusSeconds(5)));
        assertEquals(List.of(), Volumes.reusable(life));
    }

    @Test
    void aVolumeNotOfferedBackWithinTheAgentGoneTimeIsGivenUp() {
        var life = replicaFailedAt(T0);
        assertEquals(List.of(), Volumes.toRelease(life, T0.plus(GONE_AFTER).minusSeconds(1), GONE_AFTER));
        var release = Volumes.toRelease(life, T0.plus(GONE_AFTER), GONE_AFTER);
        assertEquals(List.of(new VolumeReleased("mysos-orders-2", "agent agent-2 (db2) did not offer it back within 10 min",
                T0.plus(GONE_AFTER))), release);
        life = life.apply(release.get(0));
        assertEquals(List.of("mysos-orders-1"), Volumes.held(life));
        assertEquals(List.of(), Volumes.reusable(life), "the replacement goes elsewhere, on a new volume");
    }

    @Test
    void theVolumeOfAnInstanceLetGoIsGivenUpAtOnceAndNotReused() {
        var life = twoNodes().apply(new ClusterEvent.ClusterResized(2, 1, List.of(TWO)))
                .apply(new ClusterEvent.TaskStateChanged(TWO, TaskState.KILLED, "", T0.plusSeconds(1)));
        assertEquals(List.of(), Volumes.reusable(life));
        assertEquals(List.of(new VolumeReleased("mysos-orders-2", "instance mysos-orders-2 was let go", T0.plusSeconds(2))),
                Volumes.toRelease(life, T0.plusSeconds(2), GONE_AFTER));
    }

    @Test
    void theEndOfTheClusterReleasesEveryVolume() {
        assertEquals(List.of("mysos-orders-1", "mysos-orders-2"), Volumes.releaseAll(twoNodes(), "cluster deleted", T0).stream()
                .map(VolumeReleased::volumeId).toList());
    }
}

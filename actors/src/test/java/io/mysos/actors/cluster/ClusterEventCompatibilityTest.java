package io.mysos.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.SerializerWithStringManifest;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Journals written before the cluster events moved to core hold manifests such as
 * {@code io.mysos.actors.cluster.ClusterActor$ClusterCreated}: they must keep replaying into the
 * events of today, and events written today must carry their version.
 */
class ClusterEventCompatibilityTest {
    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final Instant AT = Instant.parse("2026-11-25T12:00:00Z");
    private static final TaskId ONE = TaskId.of("orders", 1);
    private static final TaskId TWO = TaskId.of("orders", 2);

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private static Serialization serialization() {
        return SerializationExtension.get(akka.actor.typed.javadsl.Adapter.toClassic(KIT.system()));
    }

    private static SerializerWithStringManifest jackson() throws Exception {
        return (SerializerWithStringManifest) serialization().serializerFor(ClusterEvent.ClusterTerminated.class);
    }

    @Test
    void aMasterElectedOfVersionOneUnderItsFormerClassNameReplaysWithNothingOverruled() throws Exception {
        var json = "{\"epoch\":1,\"taskId\":\"" + TWO + "\",\"positions\":{\"" + TWO + "\":\"mariadb:0-1-5\"}}";
        var event = jackson().fromBinary(json.getBytes(StandardCharsets.UTF_8), "io.mysos.actors.cluster.ClusterActor$MasterElected");
        assertEquals(new ClusterEvent.MasterElected(1, TWO, Map.of(TWO.value(), "mariadb:0-1-5"), Map.of()), event);
    }

    @Test
    void everyEventUnderItsFormerClassNameReplaysAsTheSameEvent() throws Exception {
        var spec = new ClusterSpec("orders", "app", 3, Resources.DEFAULT_INSTANCE, Optional.empty(), true);
        var secrets = ClusterSecrets.create("correct-horse", SchedulerKey.generate());
        List<ClusterEvent> events = List.of(
                new ClusterEvent.ClusterCreated(spec, secrets, AT),
                new ClusterEvent.ReplicaAdded(ONE, "agent-1", "10.0.0.1", 31000, Resources.DEFAULT_INSTANCE),
                new ClusterEvent.TaskStateChanged(ONE, TaskState.RUNNING, "up", AT),
                new ClusterEvent.ReplicaLost(TWO, "LOST: agent gone", AT),
                new ClusterEvent.MasterLost(0, ONE, "FAILED", AT),
                new ClusterEvent.ElectionStarted(1, Optional.of(ONE), List.of(TWO), "FAILED", false, AT),
                new ClusterEvent.MasterElected(1, TWO, Map.of(TWO.value(), "mariadb:0-1-5")),
                new ClusterEvent.FailoverCompleted(1, Optional.of(ONE), TWO, 800, "FAILED"),
                new ClusterEvent.ClusterResized(3, 2, List.of(ONE)),
                new ClusterEvent.ClusterDeletionRequested(AT),
                new ClusterEvent.ClusterTerminated(AT));
        for (var event : events) {
            var bytes = jackson().toBinary(event);
            var former = "io.mysos.actors.cluster.ClusterActor$" + event.getClass().getSimpleName();
            assertEquals(event, jackson().fromBinary(bytes, former), former);
        }
    }

    @Test
    void aReplicaLostWrittenBeforeItHadATimeReplaysAsLongAgoSoItDelaysNoReplacement() throws Exception {
        var json = "{\"taskId\":\"" + TWO + "\",\"cause\":\"FAILED: replication broke\"}";
        var expected = new ClusterEvent.ReplicaLost(TWO, "FAILED: replication broke", Instant.EPOCH);
        assertEquals(expected, jackson().fromBinary(json.getBytes(StandardCharsets.UTF_8), "io.mysos.core.cluster.ClusterEvent$ReplicaLost"));
        assertEquals(expected, jackson().fromBinary(json.getBytes(StandardCharsets.UTF_8), "io.mysos.actors.cluster.ClusterActor$ReplicaLost"));
        var written = new ClusterEvent.ReplicaLost(TWO, "FAILED", AT);
        assertEquals(written, jackson().fromBinary(jackson().toBinary(written), jackson().manifest(written)));
    }

    @Test
    void masterElectedIsWrittenAsVersionTwo() throws Exception {
        var event = new ClusterEvent.MasterElected(1, TWO, Map.of(), Map.of(ONE.value(), List.of("0-1-6")));
        var manifest = jackson().manifest(event);
        assertEquals("io.mysos.core.cluster.ClusterEvent$MasterElected#2", manifest);
        assertEquals(event, jackson().fromBinary(jackson().toBinary(event), manifest));
    }

    @Test
    void aTaskStateChangedWrittenBeforeItHadATimeReplaysWithAnUnknownTime() throws Exception {
        var json = "{\"taskId\":\"" + ONE + "\",\"state\":\"FAILED\",\"message\":\"signal 9\"}";
        for (var manifest : List.of("io.mysos.actors.cluster.ClusterActor$TaskStateChanged",
                "io.mysos.core.cluster.ClusterEvent$TaskStateChanged")) {
            var event = jackson().fromBinary(json.getBytes(StandardCharsets.UTF_8), manifest);
            assertEquals(new ClusterEvent.TaskStateChanged(ONE, TaskState.FAILED, "signal 9", Instant.EPOCH), event, manifest);
        }
        var timed = new ClusterEvent.TaskStateChanged(ONE, TaskState.FAILED, "signal 9", AT);
        assertEquals(timed, jackson().fromBinary(jackson().toBinary(timed), jackson().manifest(timed)));
    }

    @Test
    void aSnapshotTakenBeforeInstancesKeptTheirTimeRestoresThemWithAnUnknownTime() throws Exception {
        var spec = new ClusterSpec("orders", "app", 1, Resources.DEFAULT_INSTANCE, Optional.empty(), false);
        var secrets = ClusterSecrets.create("correct-horse", SchedulerKey.generate());
        var state = ClusterState.empty()
                .apply(new ClusterEvent.ClusterCreated(spec, secrets, AT))
                .apply(new ClusterEvent.ReplicaAdded(ONE, "agent-1", "10.0.0.1", 31000, Resources.DEFAULT_INSTANCE))
                .apply(new ClusterEvent.TaskStateChanged(ONE, TaskState.FAILED, "signal 9", AT));
        var json = new String(jackson().toBinary(state), StandardCharsets.UTF_8);
        var old = json.replace(",\"changedAt\":\"2026-11-25T12:00:00Z\"", "");
        assertEquals(false, old.contains("changedAt"), json);
        var restored = (ClusterState) jackson().fromBinary(old.getBytes(StandardCharsets.UTF_8), jackson().manifest(state));
        var instance = restored.current().orElseThrow().instance(ONE).orElseThrow();
        assertEquals(Instant.EPOCH, instance.changedAt());
        assertEquals(Optional.empty(), instance.endedAt());
        assertEquals(TaskState.FAILED, instance.state());
    }
}

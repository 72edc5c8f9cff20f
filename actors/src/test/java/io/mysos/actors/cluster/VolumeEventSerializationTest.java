package io.mysos.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.SerializationExtension;
import akka.serialization.SerializerWithStringManifest;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The volume events, and a cluster state holding volumes (a snapshot), through the journal's JSON and back. */
class VolumeEventSerializationTest {
    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final Instant AT = Instant.parse("2026-12-01T06:00:00Z");
    private static final TaskId ONE = TaskId.of("orders", 1);
    private static final TaskId TWO = TaskId.of("orders", 2);

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private static SerializerWithStringManifest jackson(Object o) throws Exception {
        return (SerializerWithStringManifest) SerializationExtension.get(akka.actor.typed.javadsl.Adapter.toClassic(KIT.system()))
                .serializerFor(o.getClass());
    }

    private static Object roundTrip(Object o) throws Exception {
        var serializer = jackson(o);
        return serializer.fromBinary(serializer.toBinary(o), serializer.manifest(o));
    }

    @Test
    void theVolumeEventsReplayAsWritten() throws Exception {
        List<ClusterEvent> events = List.of(new ClusterEvent.VolumeCreated("mysos-orders-1", ONE, "agent-1", "db1"),
                new ClusterEvent.VolumeReused("mysos-orders-1", TWO),
                new ClusterEvent.VolumeReleased("mysos-orders-1", "cluster deleted", AT));
        for (var event : events) {
            assertEquals(event, roundTrip(event));
        }
        var json = new String(jackson(events.get(0)).toBinary(events.get(0)), StandardCharsets.UTF_8);
        assertEquals("{\"volumeId\":\"mysos-orders-1\",\"taskId\":\"mysos-orders-1\",\"agentId\":\"agent-1\",\"host\":\"db1\"}", json);
    }

    @Test
    void aStateWithVolumesSurvivesASnapshotAndOneWithoutReadsAsNone() throws Exception {
        var spec = new ClusterSpec("orders", "app", 1, Resources.DEFAULT_INSTANCE, Optional.empty(), false);
        var life = ClusterLife.created(new ClusterEvent.ClusterCreated(spec, ClusterSecrets.create("correct-horse", SchedulerKey.generate()), AT))
                .apply(new ClusterEvent.ReplicaAdded(ONE, "agent-1", "db1", 31000, Resources.DEFAULT_INSTANCE))
                .apply(new ClusterEvent.VolumeCreated("mysos-orders-1", ONE, "agent-1", "db1"))
                .apply(new ClusterEvent.TaskStateChanged(ONE, TaskState.FAILED, "gone", AT));
        var state = new ClusterState.Active(life, 1, Optional.of(AT));
        assertEquals(state, roundTrip(state));
        assertEquals(1, ((ClusterState.Active) roundTrip(state)).life().volumes().size());

        // A snapshot written before volumes existed has no such field.
        var before = new ClusterState.Active(ClusterLife.created(new ClusterEvent.ClusterCreated(spec,
                ClusterSecrets.create("correct-horse", SchedulerKey.generate()), AT)), 0, Optional.of(AT));
        var serializer = jackson(before);
        var json = new String(serializer.toBinary(before), StandardCharsets.UTF_8);
        assertTrue(json.contains(",\"volumes\":[]"), json);
        var old = serializer.fromBinary(json.replace(",\"volumes\":[]", "").getBytes(StandardCharsets.UTF_8), serializer.manifest(before));
        assertEquals(List.of(), ((ClusterState.Active) old).life().volumes());
    }
}

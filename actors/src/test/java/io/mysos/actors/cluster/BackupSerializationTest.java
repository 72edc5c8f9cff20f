package io.mysos.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.SerializationExtension;
import akka.serialization.SerializerWithStringManifest;
import io.mysos.core.backup.BackupLog;
import io.mysos.core.backup.BackupPolicy;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The backup events and a state holding backups survive the journal's JSON; events written before backups still replay. */
class BackupSerializationTest {
    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final Instant AT = Instant.parse("2026-12-01T06:00:00Z");
    private static final TaskId TWO = TaskId.of("orders", 2);

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    private static Object roundTrip(Object value) throws Exception {
        var serializer = (SerializerWithStringManifest) SerializationExtension.get(akka.actor.typed.javadsl.Adapter.toClassic(KIT.system()))
                .serializerFor(value.getClass());
        return serializer.fromBinary(serializer.toBinary(value), serializer.manifest(value));
    }

    @Test
    void everyBackupEventAndAStateWithBackupsRoundTrip() throws Exception {
        List<ClusterEvent> events = List.of(new ClusterEvent.BackupRequested("b1", "api", AT), new ClusterEvent.BackupStarted("b1", TWO, AT),
                new ClusterEvent.BackupCompleted("b1", "hdfs://nn/mysos/orders/b1", 10, "0-1-5", 900, AT),
                new ClusterEvent.BackupFailed("b2", "store down", AT), new ClusterEvent.BackupDeleted("b1", AT),
                new ClusterEvent.BackupScheduleChanged(21600, 7));
        var log = BackupLog.empty();
        for (var event : events) {
            assertEquals(event, roundTrip(event));
            if (!(event instanceof ClusterEvent.BackupFailed)) {
                log = log.apply((ClusterEvent.BackupEvent) event);
            }
        }
        var spec = new ClusterSpec("orders", "app", 3, Resources.DEFAULT_INSTANCE, Optional.of("old/b1"), true,
                new BackupPolicy(Duration.ofHours(6), 7));
        var created = new ClusterEvent.ClusterCreated(spec, ClusterSecrets.create("correct-horse", SchedulerKey.generate()), AT);
        assertEquals(created, roundTrip(created));
        var state = new ClusterState.Active(ClusterLife.created(created), 3, Optional.of(AT), log);
        assertEquals(state, roundTrip(state));
    }

    @Test
    void aClusterCreatedWrittenBeforeBackupSchedulesReplaysWithNone() throws Exception {
        var created = new ClusterEvent.ClusterCreated(new ClusterSpec("orders", "app", 1, Resources.DEFAULT_INSTANCE, Optional.empty(), false),
                ClusterSecrets.create("correct-horse", SchedulerKey.generate()), AT);
        var serializer = (SerializerWithStringManifest) SerializationExtension.get(akka.actor.typed.javadsl.Adapter.toClassic(KIT.system()))
                .serializerFor(created.getClass());
        var json = new String(serializer.toBinary(created), StandardCharsets.UTF_8).replaceAll(",\"backupPolicy\":\\{[^}]*\\}", "");
        var replayed = (ClusterEvent.ClusterCreated) serializer.fromBinary(json.getBytes(StandardCharsets.UTF_8), serializer.manifest(created));
        assertEquals(BackupPolicy.NONE, replayed.spec().backupPolicy());
        assertEquals(created, replayed);
    }
}

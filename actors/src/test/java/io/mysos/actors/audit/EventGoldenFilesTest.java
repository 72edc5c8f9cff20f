package io.mysos.actors.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.SerializationExtension;
import akka.serialization.SerializerWithStringManifest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.actors.mesos.MesosFramework;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.password.PasswordHash;
import io.mysos.core.password.SealedSecret;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Golden files: one JSON sample of every event type the journal holds, exactly as it was written
 * (src/test/resources/golden/events/<type>.v<version>.json: manifest and the stored JSON). Every
 * file must keep deserializing to the event it was made from, so a change that would break old
 * journals fails the build. Golden files are never edited: a new shape gets a new version (and its
 * migration) and a new file next to the old ones. {@code -Dgolden.write=true} writes the files of
 * today's versions that are missing.
 */
class EventGoldenFilesTest {
    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = Path.of("src/test/resources/golden/events");
    private static final Instant AT = Instant.parse("2026-12-01T06:00:00.123Z");
    private static final TaskId ONE = TaskId.of("orders", 1);
    private static final TaskId TWO = TaskId.of("orders", 2);

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    /** The event every golden file of its type holds. */
    static Map<Class<?>, Object> samples() {
        var spec = new ClusterSpec("orders", "app", 3, Resources.DEFAULT_INSTANCE, Optional.empty(), true);
        var secrets = new ClusterSecrets(new PasswordHash("pbkdf2-sha256", 210000, "c2FsdA==", "aGFzaA=="),
                new SealedSecret("bm9uY2U=", "Y2lwaGVy"), new SealedSecret("bm9uY2Uy", "Y2lwaGVyMg=="));
        var samples = new LinkedHashMap<Class<?>, Object>();
        for (var event : List.of(
                new ClusterEvent.ClusterCreated(spec, secrets, AT),
                new ClusterEvent.ReplicaAdded(ONE, "agent-1", "10.0.0.1", 31001, Resources.DEFAULT_INSTANCE),
                new ClusterEvent.TaskStateChanged(ONE, TaskState.RUNNING, "mysqld accepts connections", AT),
                new ClusterEvent.ReplicaLost(TWO, "LOST: agent gone", AT),
                new ClusterEvent.MasterLost(0, ONE, "FAILED: mysqld exited", AT),
                new ClusterEvent.ElectionStarted(1, Optional.of(ONE), List.of(TWO), "FAILED: mysqld exited", false, AT),
                new ClusterEvent.MasterElected(1, TWO, Map.of(TWO.value(), "mariadb:0-1-100")),
                new ClusterEvent.HistoriesDiverged(1, Map.of(ONE.value(), "mariadb:0-1-100", TWO.value(), "mariadb:0-2-100"), TWO,
                        Map.of(ONE.value(), List.of("0-1-100")), AT),
                new ClusterEvent.FailoverCompleted(1, Optional.of(ONE), TWO, 1500, "FAILED: mysqld exited"),
                new ClusterEvent.ClusterResized(3, 2, List.of(ONE)),
                new ClusterEvent.ClusterDeletionRequested(AT),
                new ClusterEvent.ClusterTerminated(AT),
                new ClusterEvent.VolumeCreated("mysos-orders-1-data", ONE, "agent-1", "10.0.0.1"),
                new ClusterEvent.VolumeReused("mysos-orders-1-data", TWO),
                new ClusterEvent.VolumeReleased("mysos-orders-1-data", "the cluster was deleted", AT),
                new ClusterEvent.BackupRequested("20261201T060000Z", "api", AT),
                new ClusterEvent.BackupStarted("20261201T060000Z", TWO, AT),
                new ClusterEvent.BackupCompleted("20261201T060000Z", "hdfs://nn:8020/mysos/orders/20261201T060000Z", 123456789L,
                        "mariadb:0-1-100", 4200, AT),
                new ClusterEvent.BackupFailed("20261201T070000Z", "the backup store is unreachable", AT),
                new ClusterEvent.BackupDeleted("20261201T060000Z", AT),
                new ClusterEvent.BackupScheduleChanged(21600, 7),
                new ClusterRegistry.ClusterRegistered(spec, secrets, AT),
                new ClusterRegistry.ClusterRemoved("orders"),
                new MesosFramework.FrameworkIdAssigned("5e4b1c3a-0000-4c1e-9d6e-2f6c0b1d2e3f-0001"))) {
            samples.put(event.getClass(), event);
        }
        return samples;
    }

    private static SerializerWithStringManifest jackson() throws java.io.NotSerializableException {
        return (SerializerWithStringManifest) SerializationExtension.get(akka.actor.typed.javadsl.Adapter.toClassic(KIT.system()))
                .serializerFor(ClusterEvent.ClusterTerminated.class);
    }

    private static String fileName(Class<?> type, int version) {
        return type.getName().substring(type.getPackageName().length() + 1) + ".v" + version + ".json";
    }

    @Test
    void everyEventTypeHasAnExplicitVersionAndASample() {
        var types = new ArrayList<Class<?>>();
        for (var type : ClusterEvent.class.getPermittedSubclasses()) {
            // Groups of events (a sealed interface such as BackupEvent) are no event type themselves: their records are.
            types.addAll(type.isInterface() ? List.of(type.getPermittedSubclasses()) : List.of(type));
        }
        types.addAll(List.of(ClusterRegistry.Event.class.getPermittedSubclasses()));
        types.add(MesosFramework.FrameworkIdAssigned.class);
        assertEquals(new java.util.HashSet<>(types), EventSchema.VERSIONS.keySet(), "EventSchema names every event type");
        assertEquals(EventSchema.VERSIONS.keySet(), samples().keySet(), "this test has a sample of every event type");
    }

    @Test
    void todaysEventsAreWrittenWithTheirVersionAndAsTheirNewestGoldenFile() throws IOException {
        var jackson = jackson();
        for (var sample : samples().entrySet()) {
            var type = sample.getKey();
            int version = EventSchema.VERSIONS.get(type);
            assertEquals(EventSchema.manifest(type), jackson.manifest(sample.getValue()), "the manifest carries the version");
            var file = DIR.resolve(fileName(type, version));
            var written = JSON.readTree(jackson.toBinary(sample.getValue()));
            if (!Files.exists(file) && Boolean.getBoolean("golden.write")) {
                var golden = JSON.createObjectNode().put("manifest", EventSchema.manifest(type)).put("version", version);
                golden.set("event", written);
                Files.writeString(file, golden.toPrettyString() + "\n", StandardCharsets.UTF_8);
            }
            assertTrue(Files.exists(file), "no golden file " + file + " for version " + version + " of " + type.getSimpleName()
                    + ": a new version needs one (-Dgolden.write=true writes it)");
            assertEquals(JSON.readTree(file.toFile()).path("event"), written,
                    type.getSimpleName() + " is written differently than its golden file of version " + version
                            + ": raise its version in EventSchema, add a migration, and a new golden file");
        }
    }

    @Test
    void everyGoldenFileStillReadsAsTheEventItWasMadeFrom() throws IOException {
        var jackson = jackson();
        var samples = samples();
        List<Path> files;
        try (Stream<Path> listing = Files.list(DIR)) {
            files = listing.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() >= samples.size(), files.toString());
        for (var file : files) {
            var golden = JSON.readTree(file.toFile());
            var manifest = golden.path("manifest").asText();
            var className = manifest.contains("#") ? manifest.substring(0, manifest.indexOf('#')) : manifest;
            var expected = samples.entrySet().stream()
                    .filter(s -> s.getKey().getName().equals(className) || file.getFileName().toString()
                            .startsWith(s.getKey().getName().substring(s.getKey().getPackageName().length() + 1) + ".v"))
                    .map(Map.Entry::getValue).findFirst()
                    .orElseThrow(() -> new AssertionError(file + ": no event of today is made from " + manifest));
            var bytes = JSON.writeValueAsBytes(golden.path("event"));
            assertEquals(expected, jackson.fromBinary(bytes, manifest), file.getFileName().toString());
        }
    }
}

package io.mysos.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.ServerBinding;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.actors.scheduler.SchedulerGuardian;
import io.mysos.core.password.SchedulerKey;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup API against real actors and a real {@code file://} store, with a resource side that
 * offers nothing (so no instance ever runs): what a user sees for each request and each mistake.
 */
class BackupRoutesTest {
    private final HttpClient client = HttpClient.newHttpClient();
    @TempDir
    Path store;
    private ActorTestKit kit;
    private ServerBinding binding;

    @BeforeEach
    void start() throws Exception {
        var config = ConfigFactory.parseString("mysos.passwords { first-delay = 30s, max-delay = 30s }")
                .withValue("mysos.backup.root", ConfigValueFactory.fromAnyRef(store.toUri().toString()))
                .withFallback(PersistenceTestKitPlugin.getInstance().config()).withFallback(ConfigFactory.load());
        kit = ActorTestKit.create(config);
        var refs = new CompletableFuture<SchedulerGuardian.Refs>();
        kit.spawn(SchedulerGuardian.create(resources(), ClusterActor.Settings.fromConfig(config), refs, new CompletableFuture<>()));
        binding = ApiServer.start(kit.system(), refs.get(10, TimeUnit.SECONDS), SchedulerKey.generate(),
                Executors.newSingleThreadExecutor(), "127.0.0.1", 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && get("/health").statusCode() != 200) {
            Thread.sleep(20);
        }
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    private static Behavior<ResourceSide.Command> resources() {
        return Behaviors.setup(context -> Behaviors.receiveMessage(msg -> {
            if (msg instanceof ResourceSide.SubscribeOffers subscribe) {
                subscribe.subscriber().tell(ResourceSide.Connected.INSTANCE);
            }
            return Behaviors.same();
        }));
    }

    @Test
    void listsTheScheduleAndChangesItWithThePassword() throws Exception {
        var password = create("orders", form("cluster_user", "app", "backup_interval", "6h"));
        var listed = json(get("/clusters/orders/backups"));
        assertEquals("6h", listed.path("backup_interval").asText());
        assertEquals(0, listed.path("backup_keep").asInt());
        assertEquals(0, listed.path("backups").size());

        assertError(send("PATCH", "/clusters/orders/backups", form("backup_keep", "3")), 400, "password is required");
        assertError(send("PATCH", "/clusters/orders/backups", form("password", "wrong", "backup_keep", "3")), 403, "wrong password");
        assertError(send("PATCH", "/clusters/orders/backups", form("password", password)), 400, "backup_interval");
        assertError(send("PATCH", "/clusters/orders/backups", form("password", password, "backup_interval", "1m")), 400, "at least 5m");
        var changed = send("PATCH", "/clusters/orders/backups", form("password", password, "backup_keep", "3"));
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals("backup_interval 6h, backup_keep 3", json(changed).path("detail").asText());
        assertEquals(3, json(get("/clusters/orders/backups")).path("backup_keep").asInt());
    }

    @Test
    void theScheduleChangesThroughThePatchOfTheClusterTooButNotWithAResize() throws Exception {
        var password = create("orders", form("cluster_user", "app"));
        assertError(send("PATCH", "/clusters/orders", form("password", "wrong", "backup_interval", "6h")), 403, "wrong password");
        assertError(send("PATCH", "/clusters/orders", form("password", password, "backup_interval", "6h", "num_nodes", "2")),
                400, "one at a time");
        assertEquals("off", json(get("/clusters/orders/backups")).path("backup_interval").asText(), "a refused PATCH changed nothing");
        assertEquals(1, json(get("/clusters/orders")).path("num_nodes").asInt());

        var changed = send("PATCH", "/clusters/orders", form("password", password, "backup_interval", "12h", "backup_keep", "2"));
        assertEquals(200, changed.statusCode(), changed.body());
        var listed = json(get("/clusters/orders/backups"));
        assertEquals("12h", listed.path("backup_interval").asText());
        assertEquals(2, listed.path("backup_keep").asInt());
    }

    @Test
    void aBackupNeedsThePasswordAndAnInstanceToTakeIt() throws Exception {
        var password = create("orders", form("cluster_user", "app"));
        assertError(send("POST", "/clusters/orders/backups", Map.of()), 400, "password is required");
        assertError(send("POST", "/clusters/orders/backups", form("password", "wrong")), 403, "wrong password");
        assertError(send("POST", "/clusters/orders/backups", form("password", password)), 409, "no instance to back up");
        assertError(send("POST", "/clusters/nosuch/backups", form("password", "x")), 404, "nosuch");
    }

    @Test
    void backupIdAtCreateMustNameACompleteBackupInTheStore() throws Exception {
        writeBackup("old", "b1", true);
        writeBackup("old", "half", false);
        assertError(send("POST", "/clusters/copy", form("cluster_user", "app", "backup_id", "old/half")), 400,
                "backup old/half is unknown or incomplete");
        assertError(send("POST", "/clusters/copy", form("cluster_user", "app", "backup_id", "old/none")), 400, "unknown or incomplete");
        assertEquals(404, get("/clusters/copy").statusCode(), "nothing was created");
        create("copy", form("cluster_user", "app", "backup_id", "old/b1"));
        assertEquals("old/b1", json(get("/clusters/copy")).path("backup_id").asText());
    }

    @Test
    void theBackupsOfANameWithoutClusterComeFromTheStore() throws Exception {
        writeBackup("gone", "b1", true);
        writeBackup("gone", "half", false);
        var listed = json(get("/clusters/gone/backups"));
        assertEquals(1, listed.path("backups").size(), listed.toString());
        var backup = listed.path("backups").get(0);
        assertEquals("gone/b1", backup.path("backup_id").asText());
        assertEquals("COMPLETED", backup.path("state").asText());
        assertEquals("0-1-42", backup.path("position").asText());
        assertEquals(7, backup.path("bytes").asLong());
        assertError(get("/clusters/never/backups"), 404, "never");
    }

    @Test
    void restoreToMustLieBetweenTheBackupAndTheLatestRecoverablePoint() throws Exception {
        writeBackup("old", "b1", true);
        writeArchive("old", "0-1-43", "0-1-60", "2026-12-01T06:01:00Z");
        var latest = json(get("/clusters/old/backups")).path("recoverable");
        assertEquals("old/b1", latest.path("backup_id").asText(), latest.toString());
        assertEquals("2026-12-01T06:01:00Z", latest.path("time").asText());
        assertEquals("0-1-60", latest.path("position").asText());

        assertError(send("POST", "/clusters/copy", form("cluster_user", "app", "restore_to", "0-1-50")), 400, "restore_to needs backup_id");
        assertError(send("POST", "/clusters/copy", form("cluster_user", "app", "backup_id", "old/b1", "restore_to", "yesterday")),
                400, "RFC 3339");
        assertError(send("POST", "/clusters/copy", form("cluster_user", "app", "backup_id", "old/b1", "restore_to",
                "2026-12-01T05:00:00Z")), 400, "before backup old/b1 finished");
        assertError(send("POST", "/clusters/copy", form("cluster_user", "app", "backup_id", "old/b1", "restore_to",
                "2026-12-01T06:02:00Z")), 400, "after the latest recoverable point of backup old/b1 (2026-12-01T06:01:00Z, 0-1-60)");
        assertError(send("POST", "/clusters/copy", form("cluster_user", "app", "backup_id", "old/b1", "restore_to", "0-1-61")),
                400, "after the latest recoverable point");
        assertError(send("POST", "/clusters/copy", form("cluster_user", "app", "backup_id", "old/b1", "restore_to", "0-1-41")),
                400, "before backup old/b1");
        assertEquals(404, get("/clusters/copy").statusCode(), "nothing was created");
        create("copy", form("cluster_user", "app", "backup_id", "old/b1", "restore_to", "2026-12-01T06:00:30+00:00"));
        create("copy2", form("cluster_user", "app", "backup_id", "old/b1", "restore_to", "0-1-60"));
    }

    /** One archived piece of epoch 1 holding {@code first..last}, with everything before {@code covered} archived. */
    private void writeArchive(String cluster, String first, String last, String covered) throws Exception {
        var dir = Files.createDirectories(store.resolve(cluster).resolve("binlogs").resolve("0000000001"));
        Files.writeString(dir.resolve("epoch.json"), "{\"epoch\":1,\"task\":\"mysos-old-1\",\"startedAt\":\"2026-12-01T05:00:00Z\","
                + "\"continuesAfter\":\"\"}");
        Files.writeString(dir.resolve("0000000001.binlog"), "1234567");
        Files.writeString(dir.resolve("0000000001.json"), "{\"epoch\":1,\"number\":1,\"task\":\"mysos-old-1\",\"file\":\"mysql-bin.000001\","
                + "\"start\":0,\"end\":7,\"header\":false,\"firstGtids\":\"" + first + "\",\"lastGtids\":\"" + last + "\","
                + "\"firstTime\":\"2026-12-01T06:00:04Z\",\"lastTime\":\"2026-12-01T06:00:59Z\",\"coveredUntil\":\"" + covered + "\","
                + "\"bytes\":7,\"sha256\":\"x\"}");
    }

    private void writeBackup(String cluster, String id, boolean complete) throws Exception {
        var dir = Files.createDirectories(store.resolve(cluster).resolve(id));
        Files.writeString(dir.resolve("backup.xbstream"), "1234567");
        if (complete) {
            Files.writeString(dir.resolve("manifest.json"), "{\"version\":1,\"cluster\":\"" + cluster + "\",\"id\":\"" + id + "\","
                    + "\"startedAt\":\"2026-12-01T06:00:00Z\",\"finishedAt\":\"2026-12-01T06:00:05Z\",\"sourceTask\":\"mysos-" + cluster
                    + "-2\",\"serverVersion\":\"MariaDB 10.11\",\"method\":\"mariadb-backup\",\"position\":\"0-1-42\","
                    + "\"files\":[{\"name\":\"backup.xbstream\",\"bytes\":7,\"sha256\":\"x\"}]}");
        }
    }

    private String create(String name, Map<String, String> form) throws Exception {
        var answer = send("POST", "/clusters/" + name, form);
        assertEquals(200, answer.statusCode(), answer.body());
        return json(answer).path("cluster_password").asText();
    }

    private static void assertError(HttpResponse<String> response, int status, String contains) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        var error = json(response).path("error").asText();
        assertTrue(error.contains(contains), error);
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> form) throws Exception {
        var body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        var request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return ClusterJson.MAPPER.readTree(response.body());
    }

    private static Map<String, String> form(String... pairs) {
        var map = new LinkedHashMap<String, String>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}

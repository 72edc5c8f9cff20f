package io.mysos.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.ServerBinding;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.mysos.actors.scheduler.SchedulerGuardian;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.password.SchedulerKey;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The API against real actors on the in-memory persistence testkit and a resource side that
 * connects but offers nothing: every answer a user sees for input, passwords and unknown names.
 */
class ClusterRoutesTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private ActorTestKit kit;
    private PersistenceTestKit journal;
    private ServerBinding binding;

    @AfterEach
    void stop() {
        if (kit != null) {
            kit.shutdownTestKit();
        }
    }

    /** A resource side that says it is there (or not) and never offers anything. */
    private static Behavior<ResourceSide.Command> resources(boolean connects) {
        return Behaviors.setup(context -> Behaviors.receiveMessage(msg -> {
            if (msg instanceof ResourceSide.SubscribeOffers subscribe && connects) {
                subscribe.subscriber().tell(ResourceSide.Connected.INSTANCE);
            }
            if (msg instanceof ResourceSide.Kill kill) {
                // Nothing runs here: every kill is immediately confirmed.
                lastRegistry.tell(new ResourceSide.TaskStatusReceived(new io.mysos.core.protocol.TaskStatus(
                        kill.taskId(), io.mysos.core.task.TaskState.KILLED, "")));
            }
            if (msg instanceof ResourceSide.SubscribeTasks subscribe) {
                lastRegistry = subscribe.subscriber();
            }
            return Behaviors.same();
        }));
    }

    private static akka.actor.typed.ActorRef<ResourceSide.TaskEvent> lastRegistry;

    private void start(boolean connects) throws Exception {
        // A wait after the third wrong password long enough that a test sees it, whatever the machine's load.
        var config = ConfigFactory.parseString("mysos.passwords { first-delay = 30s, max-delay = 30s }")
                .withFallback(PersistenceTestKitPlugin.getInstance().config()).withFallback(ConfigFactory.load());
        kit = ActorTestKit.create(config);
        journal = PersistenceTestKit.create(kit.system());
        var refs = new CompletableFuture<SchedulerGuardian.Refs>();
        kit.spawn(SchedulerGuardian.create(resources(connects), ClusterActor.Settings.fromConfig(config), refs, new CompletableFuture<>()));
        binding = ApiServer.start(kit.system(), refs.get(10, TimeUnit.SECONDS), SchedulerKey.generate(),
                Executors.newSingleThreadExecutor(), "127.0.0.1", 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
        // Let the resource side connect (or, for the disconnected case, have had every chance to).
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(connects ? 10 : 0) + TimeUnit.MILLISECONDS.toNanos(200);
        while (System.nanoTime() < deadline && get("/health").statusCode() != 200) {
            Thread.sleep(20);
        }
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> form) throws Exception {
        var body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        var request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> sendJson(String method, String path, String json) throws Exception {
        var request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build();
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

    private void assertError(HttpResponse<String> response, int status, String fragment) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), response.body());
        var error = json(response).path("error").asText();
        assertTrue(error.contains(fragment), "error '" + error + "' should mention '" + fragment + "'");
    }

    private void assertNothingRecorded() throws Exception {
        journal.expectNothingPersisted("registry");
        assertEquals(0, json(get("/clusters")).path("clusters").size());
    }

    @Test
    void createAnswersWithTheClusterUrlAndAGeneratedPassword() throws Exception {
        start(true);
        var response = send("POST", "/clusters/orders", form("cluster_user", "app", "num_nodes", "3"));
        assertEquals(200, response.statusCode(), response.body());
        var body = json(response);
        assertTrue(body.path("cluster_url").asText().endsWith("/clusters/orders"));
        assertTrue(body.path("cluster_password").asText().length() >= 20);

        var shown = json(get("/clusters/orders"));
        assertEquals("orders", shown.path("name").asText());
        assertEquals("PENDING", shown.path("state").asText());
        assertEquals(3, shown.path("num_nodes").asInt());
        assertEquals("app", shown.path("user").asText());
        assertEquals("512mb", shown.path("size").path("mem").asText());
        assertTrue(shown.path("master").isNull());
        assertTrue(shown.path("replicas").isArray() && shown.path("replicas").isEmpty(), shown.toString());
        assertTrue(shown.path("ended").isArray() && shown.path("ended").isEmpty(), shown.toString());
        assertTrue(shown.path("reason").asText().startsWith("waiting for resources: 3 x {cpus 1, mem 512mb, disk 2gb}"),
                shown.toString());
        assertFalse(get("/clusters/orders").body().contains(body.path("cluster_password").asText()));
    }

    @Test
    void createAcceptsAJsonBodyAndAChosenPassword() throws Exception {
        start(true);
        var response = sendJson("POST", "/clusters/ledger", """
                {"cluster_user":"app","num_nodes":2,"size":{"cpus":0.5,"mem":"256MB","disk":"1gb"},
                 "cluster_password":"chosen-password-1"}""");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("chosen-password-1", json(response).path("cluster_password").asText());
        var shown = json(get("/clusters/ledger"));
        assertEquals(0.5, shown.path("size").path("cpus").asDouble());
        assertEquals("256mb", shown.path("size").path("mem").asText());
    }

    @Test
    void sizeAsAFormFieldHoldsJson() throws Exception {
        start(true);
        var response = send("POST", "/clusters/small", form("cluster_user", "app",
                "size", "{\"cpus\":1.0,\"mem\":\"512mb\",\"disk\":\"2gb\"}"));
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void rejectsBadInputWith400AndRecordsNothing() throws Exception {
        start(true);
        assertError(send("POST", "/clusters/orders", form()), 400, "cluster_user");
        assertError(send("POST", "/clusters/orders", form("cluster_user", "app", "num_nodes", "0")), 400, "num_nodes");
        assertError(send("POST", "/clusters/orders", form("cluster_user", "app", "num_nodes", "101")), 400, "num_nodes");
        assertError(send("POST", "/clusters/orders", form("cluster_user", "app", "num_nodes", "three")), 400, "num_nodes");
        assertError(send("POST", "/clusters/Orders", form("cluster_user", "app")), 400, "cluster name");
        assertError(send("POST", "/clusters/-orders", form("cluster_user", "app")), 400, "cluster name");
        assertError(send("POST", "/clusters/" + "a".repeat(64), form("cluster_user", "app")), 400, "cluster name");
        assertError(send("POST", "/clusters/orders", form("cluster_user", "app'; DROP USER root; --")), 400, "cluster_user");
        assertError(send("POST", "/clusters/orders", form("cluster_user", "root")), 400, "reserved");
        assertError(send("POST", "/clusters/orders", form("cluster_user", "a".repeat(33))), 400, "cluster_user");
        assertError(send("POST", "/clusters/orders", form("cluster_user", "app", "cluster_password", "it's-a-quote")), 400, "cluster_password");
        assertError(send("POST", "/clusters/orders", form("cluster_user", "app", "cluster_password", "back\\slash-pw")), 400, "cluster_password");
        assertError(send("POST", "/clusters/orders", form("cluster_user", "app", "size", "{\"mem\":\"12xb\"}")), 400, "mem");
        assertError(send("POST", "/clusters/orders", form("cluster_user", "app", "size", "not json")), 400, "size");
        assertError(send("POST", "/clusters/orders", form("cluster_user", "app", "size", "{\"gpus\":1}")), 400, "gpus");
        assertError(send("POST", "/clusters/orders", form("cluster_user", "app", "size", "{\"cpus\":-1}")), 400, "cpus");
        assertError(send("POST", "/clusters/orders", form("cluster_user", "app", "size", "{\"cpus\":1e-300,\"mem\":\"1b\",\"disk\":\"1b\"}")),
                400, "too small for a MySQL instance");
        assertError(sendJson("POST", "/clusters/orders", "{\"cluster_user\":\"app\",\"size\":{\"mem\":\"100mb\"}}"), 400, "mem must be at least 256mb");
        assertError(send("POST", "/clusters/orders", form("cluster_user", "app", "backup_id", "b-1")), 400,
                "backup_id must look like <cluster>/<id>");
        assertError(send("POST", "/clusters/orders", form("cluster_user", "app", "backup_id", "orders/b-1")), 400,
                "backups are not configured");
        assertError(sendJson("POST", "/clusters/orders", "{not json"), 400, "JSON");
        assertError(sendJson("POST", "/clusters/orders", "[1,2]"), 400, "JSON object");
        assertNothingRecorded();
    }

    @Test
    void aTakenNameIsRefusedWith409() throws Exception {
        start(true);
        assertEquals(200, send("POST", "/clusters/orders", form("cluster_user", "app")).statusCode());
        assertError(send("POST", "/clusters/orders", form("cluster_user", "other")), 409, "already exists");
        assertEquals("app", json(get("/clusters/orders")).path("user").asText());
    }

    @Test
    void unknownClustersAre404() throws Exception {
        start(true);
        assertError(get("/clusters/nothing"), 404, "does not exist");
        assertError(send("DELETE", "/clusters/nothing", form("password", "whatever-pw")), 404, "does not exist");
    }

    @Test
    void wrongPasswordIs403AndDeletesNothing() throws Exception {
        start(true);
        send("POST", "/clusters/orders", form("cluster_user", "app", "cluster_password", "right-password"));
        assertError(send("DELETE", "/clusters/orders", form("password", "wrong-password")), 403, "wrong password");
        assertError(send("DELETE", "/clusters/orders", form()), 400, "password is required");
        assertEquals("PENDING", json(get("/clusters/orders")).path("state").asText());
    }

    @Test
    void repeatedWrongPasswordsAre429WithRetryAfterAndCostNoCheck() throws Exception {
        start(true);
        send("POST", "/clusters/orders", form("cluster_user", "app", "cluster_password", "right-password"));
        for (int i = 0; i < 3; i++) {
            assertError(send("DELETE", "/clusters/orders", form("password", "wrong-password")), 403, "wrong password");
        }
        var refused = send("PATCH", "/clusters/orders", form("password", "right-password", "num_nodes", "2"));
        assertError(refused, 429, "3 wrong passwords in a row");
        var retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0 && retryAfter <= 30, "Retry-After " + retryAfter);
        assertEquals(1, json(get("/clusters/orders")).path("num_nodes").asInt(), "the refused resize changed nothing");
    }

    @Test
    void deleteWithThePasswordRemovesTheCluster() throws Exception {
        start(true);
        send("POST", "/clusters/orders", form("cluster_user", "app", "cluster_password", "right-password"));
        var response = send("DELETE", "/clusters/orders", form("password", "right-password"));
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(json(response).path("cluster_url").asText().endsWith("/clusters/orders"));
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (get("/clusters/orders").statusCode() != 404 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(404, get("/clusters/orders").statusCode());
        assertEquals(0, json(get("/clusters")).path("clusters").size());
        // The name is free again.
        assertEquals(200, send("POST", "/clusters/orders", form("cluster_user", "app")).statusCode());
    }

    @Test
    void createIs503WhileNoResourcesAreConnected() throws Exception {
        start(false);
        assertError(send("POST", "/clusters/orders", form("cluster_user", "app")), 503, "no resources are connected");
        assertNothingRecorded();
        assertEquals(503, get("/health").statusCode());
    }

    @Test
    void unknownMethodsAndPathsAnswerJson() throws Exception {
        start(true);
        var put = send("PUT", "/clusters/orders", form());
        assertEquals(405, put.statusCode());
        assertTrue(json(put).has("error"));
        var missing = get("/nowhere");
        assertEquals(404, missing.statusCode());
        assertTrue(json(missing).has("error"));
    }

    @Test
    void resizeChecksItsInputAndThePassword() throws Exception {
        start(true);
        send("POST", "/clusters/orders", form("cluster_user", "app", "cluster_password", "right-password"));
        assertError(send("PATCH", "/clusters/orders", form("password", "right-password")), 400, "num_nodes is required");
        assertError(send("PATCH", "/clusters/orders", form("password", "right-password", "num_nodes", "0")), 400, "num_nodes");
        assertError(send("PATCH", "/clusters/orders", form("password", "right-password", "num_nodes", "101")), 400, "num_nodes");
        assertError(send("PATCH", "/clusters/orders", form("num_nodes", "3")), 400, "password is required");
        assertError(send("PATCH", "/clusters/orders", form("password", "wrong-password", "num_nodes", "3")), 403, "wrong password");
        assertError(send("PATCH", "/clusters/nothing", form("password", "right-password", "num_nodes", "3")), 404, "does not exist");
        assertEquals(1, json(get("/clusters/orders")).path("num_nodes").asInt());

        var resized = sendJson("PATCH", "/clusters/orders", "{\"password\":\"right-password\",\"num_nodes\":3}");
        assertEquals(200, resized.statusCode(), resized.body());
        assertEquals(3, json(get("/clusters/orders")).path("num_nodes").asInt());
    }

    @Test
    void aSwitchoverNeedsAWritableMaster() throws Exception {
        start(true);
        send("POST", "/clusters/orders", form("cluster_user", "app", "cluster_password", "right-password"));
        assertError(send("POST", "/clusters/orders/failover", form("password", "wrong-password")), 403, "wrong password");
        assertError(send("POST", "/clusters/orders/failover", form("password", "right-password")), 409, "no writable master");
        assertError(send("POST", "/clusters/nothing/failover", form("password", "right-password")), 404, "does not exist");
        assertError(send("POST", "/clusters/orders/failover", form("password", "right-password", "force", "maybe")), 400, "force");
        assertError(send("POST", "/clusters/orders/failover", form("password", "right-password", "force", "true")), 400, "needs a target");
    }
}

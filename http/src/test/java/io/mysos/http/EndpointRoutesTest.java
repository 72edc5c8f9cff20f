package io.mysos.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import com.fasterxml.jackson.databind.JsonNode;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.actors.cluster.ClusterView;
import io.mysos.core.cluster.ClusterStatus;
import io.mysos.core.endpoint.RoutingView;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskState;
import io.mysos.endpoints.EndpointDirectory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /clusters/{name}/endpoints}, against a registry whose view of "orders" the test changes. */
class EndpointRoutesTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicReference<Optional<ClusterView>> orders = new AtomicReference<>(Optional.empty());
    private final AtomicReference<Integer> asked = new AtomicReference<>(0);
    private ActorTestKit kit;
    private ServerBinding binding;

    @BeforeEach
    void start() throws Exception {
        kit = ActorTestKit.create();
        var registry = kit.spawn(Behaviors.<ClusterRegistry.Command>receiveMessage(msg -> {
            if (msg instanceof ClusterRegistry.GetCluster get) {
                asked.updateAndGet(n -> n + 1);
                get.replyTo().tell(get.name().equals("orders") ? orders.get() : Optional.empty());
            }
            return Behaviors.same();
        }));
        var settings = ApiSettings.fromConfig(kit.system().settings().config(), URI.create("http://127.0.0.1:1"));
        EndpointDirectory directory = cluster -> cluster.equals("orders")
                ? Optional.of(new EndpointDirectory.Addresses("127.0.0.1:30000", "127.0.0.1:30001")) : Optional.empty();
        var routes = new EndpointRoutes(kit.system(), registry, directory, settings);
        binding = Http.get(kit.system()).newServerAt("127.0.0.1", 0).bind(routes.route())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    private static RoutingView.Member member(String task, int port, boolean confirmed) {
        return new RoutingView.Member(task, "10.0.0.1", port, TaskState.RUNNING, confirmed, Optional.empty(), false);
    }

    private static ClusterView view(long epoch, boolean failingOver, RoutingView.Member master, RoutingView.Member... replicas) {
        return new ClusterView("orders", ClusterStatus.RUNNING, 2, epoch, Optional.empty(), List.of(), Resources.DEFAULT_INSTANCE,
                "app", Instant.EPOCH, Optional.empty(), Optional.empty(), false, Optional.empty(), List.of(),
                new RoutingView(epoch, failingOver, Optional.of(master), List.of(replicas)));
    }

    private CompletableFuture<HttpResponse<String>> get(String path) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path)).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return ClusterJson.MAPPER.readTree(response.body());
    }

    @Test
    void showsTheMasterTheReadOnlyReplicasAndTheEndpointAddresses() throws Exception {
        orders.set(Optional.of(view(3, false, member("mysos-orders-1", 31001, true), member("mysos-orders-2", 31002, true))));
        var response = get("/clusters/orders/endpoints").get(10, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertEquals(ClusterJson.MAPPER.readTree("""
                {"cluster":"orders","epoch":3,"fenced":false,
                 "read_write":{"task_id":"mysos-orders-1","host":"10.0.0.1","port":31001},
                 "read_only":[{"task_id":"mysos-orders-2","host":"10.0.0.1","port":31002}],
                 "endpoints":{"read_write":"127.0.0.1:30000","read_only":"127.0.0.1:30001"}}"""), json(response));
    }

    @Test
    void aWaitAnswersWhenTheMasterIsFencedAndAgainWhenTheNextOneIsWritable() throws Exception {
        var master = member("mysos-orders-1", 31001, true);
        var replica = member("mysos-orders-2", 31002, true);
        orders.set(Optional.of(view(3, false, master, replica)));
        var fencing = get("/clusters/orders/endpoints?wait=3");
        awaitAsked(3);
        assertFalse(fencing.isDone(), "nothing changed yet: the request is held");
        orders.set(Optional.of(view(3, true, master, replica)));
        var fenced = json(fencing.get(10, TimeUnit.SECONDS));
        assertTrue(fenced.get("fenced").asBoolean());
        assertTrue(fenced.get("read_write").isNull());

        var electing = get("/clusters/orders/endpoints?wait=3&fenced=true");
        awaitAsked(asked.get() + 2);
        assertFalse(electing.isDone());
        orders.set(Optional.of(view(4, false, member("mysos-orders-2", 31002, true))));
        var next = json(electing.get(10, TimeUnit.SECONDS));
        assertEquals(4, next.get("epoch").asLong());
        assertEquals("mysos-orders-2", next.get("read_write").get("task_id").asText());
    }

    @Test
    void aWaitForAnOlderEpochAnswersAtOnce() throws Exception {
        orders.set(Optional.of(view(5, false, member("mysos-orders-3", 31003, true))));
        var response = get("/clusters/orders/endpoints?wait=2").get(10, TimeUnit.SECONDS);
        assertEquals(5, json(response).get("epoch").asLong());
    }

    @Test
    void anUnknownClusterIs404AndABadEpoch400() throws Exception {
        var missing = get("/clusters/ledger/endpoints").get(10, TimeUnit.SECONDS);
        assertEquals(404, missing.statusCode());
        assertTrue(json(missing).has("error"));
        orders.set(Optional.of(view(0, false, member("mysos-orders-1", 31001, true))));
        var bad = get("/clusters/orders/endpoints?wait=soon").get(10, TimeUnit.SECONDS);
        assertEquals(400, bad.statusCode());
        assertTrue(json(bad).get("error").asText().contains("wait"));
        for (var careless : java.util.List.of("wait=-1", "wait=1&wait=2", "wait=0&fenced=maybe", "fenced=yes", "fenced=true&fenced=false")) {
            var answer = get("/clusters/orders/endpoints?" + careless).get(10, TimeUnit.SECONDS);
            assertEquals(400, answer.statusCode(), careless);
            assertTrue(json(answer).get("error").asText().matches(".*(wait|fenced).*"), careless + ": " + json(answer));
        }
        assertEquals(200, get("/clusters/orders/endpoints?wait=2&wait=2&fenced=false").get(10, TimeUnit.SECONDS).statusCode(),
                "the same value twice is the value");
    }

    /** Until the registry has been asked {@code times} times in all (the held request looked again). */
    private void awaitAsked(int times) throws InterruptedException {
        while (asked.get() < times) {
            Thread.sleep(10);
        }
    }
}

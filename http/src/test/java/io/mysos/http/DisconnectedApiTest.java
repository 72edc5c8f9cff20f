package io.mysos.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.ServerBinding;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import com.typesafe.config.ConfigFactory;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.actors.scheduler.SchedulerGuardian;
import io.mysos.core.password.SchedulerKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** While the resources (the Mesos master) are away, the API keeps answering reads and answers 503 to every change. */
class DisconnectedApiTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicReference<ActorRef<ResourceSide.OfferEvent>> router = new AtomicReference<>();
    private ActorTestKit kit;
    private ServerBinding binding;

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    /** A resource side that connects, never offers, and lets the test say when it is lost or back. */
    private Behavior<ResourceSide.Command> resources() {
        return Behaviors.receiveMessage(msg -> {
            if (msg instanceof ResourceSide.SubscribeOffers subscribe) {
                router.set(subscribe.subscriber());
                subscribe.subscriber().tell(ResourceSide.Connected.INSTANCE);
            }
            return Behaviors.same();
        });
    }

    private HttpResponse<String> send(String method, String path, String form) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(form)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private void awaitHealth(int status) throws Exception {
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (send("GET", "/health", "").statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(status, send("GET", "/health", "").statusCode());
    }

    @Test
    void readsAnswerAndChangesAre503UntilTheResourcesAreBack() throws Exception {
        var config = PersistenceTestKitPlugin.getInstance().config().withFallback(ConfigFactory.load());
        kit = ActorTestKit.create(config);
        var refs = new CompletableFuture<SchedulerGuardian.Refs>();
        kit.spawn(SchedulerGuardian.create(resources(), ClusterActor.Settings.fromConfig(config), refs, new CompletableFuture<>()));
        binding = ApiServer.start(kit.system(), refs.get(10, TimeUnit.SECONDS), SchedulerKey.generate(),
                Executors.newSingleThreadExecutor(), "127.0.0.1", 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
        awaitHealth(200);
        var created = send("POST", "/clusters/orders", "cluster_user=app&num_nodes=2&cluster_password=orders-secret-1");
        assertEquals(200, created.statusCode(), created.body());

        router.get().tell(ResourceSide.Disconnected.INSTANCE);
        awaitHealth(503);
        assertEquals(200, send("GET", "/clusters", "").statusCode());
        assertEquals(200, send("GET", "/clusters/orders", "").statusCode());
        for (var change : new String[][] {
                {"POST", "/clusters/ledger", "cluster_user=app"},
                {"PATCH", "/clusters/orders", "num_nodes=3&password=orders-secret-1"},
                {"POST", "/clusters/orders/failover", "password=orders-secret-1"},
                {"DELETE", "/clusters/orders", "password=orders-secret-1"}}) {
            var response = send(change[0], change[1], change[2]);
            assertEquals(503, response.statusCode(), change[0] + " " + change[1] + ": " + response.body());
            assertTrue(ClusterJson.MAPPER.readTree(response.body()).path("error").asText().contains("no resources are connected"),
                    response.body());
        }
        assertEquals(200, send("GET", "/clusters/orders", "").statusCode(), "nothing was changed: the cluster is still there");

        router.get().tell(ResourceSide.Connected.INSTANCE);
        awaitHealth(200);
        assertEquals(200, send("PATCH", "/clusters/orders", "num_nodes=3&password=orders-secret-1").statusCode());
    }
}

package io.mysos.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
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
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that opens long polls and event streams without end gets a bounded share: past
 * {@code mysos.http.max-open-streams} (2 here) they are 503 with Retry-After, while every request
 * that answers at once still does, and a place is free again once its request has its answer. A long
 * poll is held for the whole watch timeout, even past the server's time limit for other requests.
 */
class OpenStreamsTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private ActorTestKit kit;
    private ServerBinding binding;

    @BeforeEach
    void start() throws Exception {
        var config = ConfigFactory.parseString("mysos.audit.read-journal = \"akka.persistence.testkit.query\"\n"
                        + "mysos.http.max-open-streams = 2\nmysos.endpoints.watch-timeout = 3s\n"
                        // Shorter than the watch timeout, as Akka HTTP's default 20 s is shorter than the default 30 s.
                        + "akka.http.server.request-timeout = 2500ms")
                .withFallback(PersistenceTestKitPlugin.getInstance().config()).withFallback(ConfigFactory.load());
        kit = ActorTestKit.create(config);
        var refs = new CompletableFuture<SchedulerGuardian.Refs>();
        kit.spawn(SchedulerGuardian.create(connected(), ClusterActor.Settings.fromConfig(config), refs,
                new CompletableFuture<>()));
        binding = ApiServer.start(kit.system(), refs.get(10, TimeUnit.SECONDS), SchedulerKey.generate(),
                Executors.newSingleThreadExecutor(), "127.0.0.1", 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Resources that are connected and never offer anything: clusters stay pending. */
    private static akka.actor.typed.Behavior<ResourceSide.Command> connected() {
        return Behaviors.receiveMessage(msg -> {
            if (msg instanceof ResourceSide.SubscribeOffers subscribe) {
                subscribe.subscriber().tell(ResourceSide.Connected.INSTANCE);
            }
            return Behaviors.same();
        });
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path))
                .timeout(Duration.ofSeconds(20));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> stream() throws Exception {
        return client.send(request("/events").header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
    }

    private double openStreams() throws Exception {
        return get("/metrics").body().lines().filter(l -> l.startsWith("mysos_api_open_streams "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).findFirst().orElse(-1);
    }

    /** Creates the cluster; where its endpoints route now. */
    private com.fasterxml.jackson.databind.JsonNode created(String name) throws Exception {
        var created = client.send(request("/clusters/" + name).POST(HttpRequest.BodyPublishers.ofString("cluster_user=app"))
                .header("Content-Type", "application/x-www-form-urlencoded").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, created.statusCode(), created.body());
        return ClusterJson.MAPPER.readTree(get("/clusters/" + name + "/endpoints").body());
    }

    @Test
    void aLongPollWithNoChangeAnswersTheSameTargetsAtTheWatchTimeoutNotA503() throws Exception {
        var targets = created("ledger");
        var started = Instant.now();
        var unchanged = get("/clusters/ledger/endpoints?wait=" + targets.path("epoch").asLong() + "&fenced="
                + targets.path("fenced").asBoolean());
        var held = Duration.between(started, Instant.now());
        assertEquals(200, unchanged.statusCode(), unchanged.body());
        assertEquals(targets, ClusterJson.MAPPER.readTree(unchanged.body()));
        assertTrue(held.compareTo(Duration.ofMillis(2900)) >= 0, "held for the watch timeout (3 s), not " + held);
    }

    @Test
    void longPollsAndStreamsPastTheLimitAre503UntilAPlaceIsFree() throws Exception {
        var targets = created("orders");
        var epoch = targets.path("epoch").asLong() + "&fenced=" + targets.path("fenced").asBoolean();
        assertEquals(0.0, openStreams());

        var watch = request("/clusters/orders/endpoints?wait=" + epoch).build();
        var first = client.sendAsync(watch, HttpResponse.BodyHandlers.ofString());
        var second = client.sendAsync(watch, HttpResponse.BodyHandlers.ofString());
        var deadline = Instant.now().plusSeconds(2);
        while (openStreams() < 2 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertEquals(2.0, openStreams(), "both long polls wait");

        var third = get("/clusters/orders/endpoints?wait=" + epoch);
        assertEquals(503, third.statusCode(), third.body());
        assertTrue(third.body().contains("too many event streams and watches are open (2)"), third.body());
        assertEquals("5", third.headers().firstValue("Retry-After").orElse(""));
        var events = stream();
        assertEquals(503, events.statusCode(), "an event stream takes a place as a long poll does: " + events.body());

        // What answers at once is never counted.
        assertEquals(200, get("/clusters/orders/endpoints").statusCode());
        assertEquals(200, get("/clusters").statusCode());

        // At the watch timeout the long polls answer the same targets, and their places are free.
        assertEquals(200, first.get(10, TimeUnit.SECONDS).statusCode());
        assertEquals(200, second.get(10, TimeUnit.SECONDS).statusCode());
        deadline = Instant.now().plusSeconds(2);
        while (openStreams() > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertEquals(0.0, openStreams());
        assertEquals(200, get("/clusters/orders/endpoints?wait=" + (targets.path("epoch").asLong() + 1)).statusCode(), "a place again");
    }
}

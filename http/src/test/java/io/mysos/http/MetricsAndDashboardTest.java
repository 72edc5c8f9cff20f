package io.mysos.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.ServerBinding;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import com.typesafe.config.ConfigFactory;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.actors.scheduler.SchedulerGuardian;
import io.mysos.core.password.SchedulerKey;
import io.mysos.http.metrics.Promtool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /metrics and the dashboard's files, served by the real API server next to the cluster routes. */
class MetricsAndDashboardTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private ActorTestKit kit;
    private ServerBinding binding;

    /** A resource side that is connected and offers nothing: clusters stay PENDING. */
    private static Behavior<ResourceSide.Command> resources() {
        return Behaviors.receiveMessage(msg -> {
            if (msg instanceof ResourceSide.SubscribeOffers subscribe) {
                subscribe.subscriber().tell(ResourceSide.Connected.INSTANCE);
            }
            return Behaviors.same();
        });
    }

    @BeforeEach
    void start() throws Exception {
        var config = PersistenceTestKitPlugin.getInstance().config().withFallback(ConfigFactory.load());
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

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path);
    }

    @Test
    void metricsShowACreatedClusterAndTheRequestsThatWereAnsweredAndPassPromtool() throws Exception {
        var created = client.send(HttpRequest.newBuilder(uri("/clusters/orders"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("cluster_user=app&num_nodes=3")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, created.statusCode(), created.body());
        assertEquals(404, get("/clusters/nosuch").statusCode());

        var metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=UTF-8",
                metrics.headers().firstValue("Content-Type").orElse("").replace("utf-8", "UTF-8"));
        var text = metrics.body();
        assertTrue(text.contains("mysos_clusters{state=\"PENDING\"} 1"), text);
        assertTrue(text.contains("mysos_http_request_duration_seconds_count{method=\"POST\",route=\"/clusters/{name}\",status=\"200\"} 1"), text);
        assertTrue(text.contains("mysos_http_request_duration_seconds_count{method=\"GET\",route=\"/clusters/{name}\",status=\"404\"} 1"), text);
        assertTrue(text.contains("jvm_threads_current"), text);
        Promtool.checkMetrics(text);
    }

    @Test
    void theDashboardPageAndItsFilesComeFromTheJarAndTheApiStillAnswersJsonErrors() throws Exception {
        var page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("/dashboard/app.js"), page.body());
        assertTrue(!page.body().contains("http://") && !page.body().contains("https://"), "no external URLs");
        var script = get("/dashboard/app.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("/clusters"), "the page reads the API");
        assertEquals(200, get("/dashboard/style.css").statusCode());
        assertEquals(404, get("/dashboard/../reference.conf").statusCode());
        var unknown = get("/nosuch");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().startsWith("{\"error\""), unknown.body());
    }
}

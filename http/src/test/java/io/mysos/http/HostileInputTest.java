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
import io.mysos.actors.offer.OfferRouter;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.password.SchedulerKey;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Input as a hostile or careless client sends it, against the real routes and actors: every
 * answer is a JSON error with a 4xx status and a short message, the server stays up, and bad
 * input records nothing.
 */
class HostileInputTest {
    private static final String ADVERTISED = "http://mysos.example.net:8080";
    private ActorTestKit kit;
    private PersistenceTestKit journal;
    private int port;
    /** The pool that hashes new clusters' passwords; a test can fill it up. */
    private final java.util.concurrent.ExecutorService hashing = Executors.newSingleThreadExecutor();
    private volatile boolean hashingFull;

    private static Behavior<ResourceSide.Command> connectedResources() {
        return Behaviors.setup(context -> Behaviors.receiveMessage(msg -> {
            if (msg instanceof ResourceSide.SubscribeOffers subscribe) {
                subscribe.subscriber().tell(ResourceSide.Connected.INSTANCE);
            }
            return Behaviors.same();
        }));
    }

    @BeforeEach
    void start() throws Exception {
        kit = ActorTestKit.create(PersistenceTestKitPlugin.getInstance().config().withFallback(ConfigFactory.load()));
        journal = PersistenceTestKit.create(kit.system());
        var refs = new CompletableFuture<SchedulerGuardian.Refs>();
        kit.spawn(SchedulerGuardian.create(connectedResources(), ClusterActor.Settings.fromConfig(kit.system().settings().config()), refs,
                new CompletableFuture<>()));
        ServerBinding binding = ApiServer.start(kit.system(), refs.get(10, TimeUnit.SECONDS), SchedulerKey.generate(),
                command -> {
                    if (hashingFull) {
                        throw new java.util.concurrent.RejectedExecutionException("full");
                    }
                    hashing.execute(command);
                }, "127.0.0.1", 0, URI.create(ADVERTISED)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = binding.localAddress().getPort();
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (get("/health").status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @AfterEach
    void stop() {
        hashing.shutdownNow();
        kit.shutdownTestKit();
    }

    @Test
    void headIsAnsweredAsGetWithoutTheBody() throws Exception {
        var head = RawHttp.request(port, "HEAD", "/health", "", "");
        assertEquals(200, head.status(), "load balancers check health with HEAD");
        assertEquals("", head.body());
        assertEquals(404, RawHttp.request(port, "HEAD", "/clusters/nothing", "", "").status());
    }

    private RawHttp.Answer get(String target) throws Exception {
        return RawHttp.request(port, "GET", target, "", "");
    }

    private RawHttp.Answer postJson(String target, String json) throws Exception {
        return RawHttp.request(port, "POST", target, "application/json", json);
    }

    private RawHttp.Answer postForm(String target, String form) throws Exception {
        return RawHttp.request(port, "POST", target, "application/x-www-form-urlencoded", form);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A JSON error with {@code status}, a message containing {@code fragment}, short and naming no Akka setting. */
    private static void assertError(RawHttp.Answer answer, int status, String fragment) throws Exception {
        var shown = answer.status() + " " + answer.contentType() + " " + cut(answer.body());
        assertEquals(status, answer.status(), shown);
        assertTrue(answer.contentType().startsWith("application/json"), shown);
        JsonNode body = ClusterJson.MAPPER.readTree(answer.body());
        var error = body.path("error").asText();
        assertTrue(error.contains(fragment), "error '" + cut(error) + "' should mention '" + fragment + "'");
        assertTrue(error.length() <= 300, "a short message, not " + error.length() + " characters");
        assertFalse(error.contains("akka."), error);
        assertFalse(error.contains("127.0.0.1"), error);
        assertFalse(answer.body().contains("\tat "), "no stack trace");
    }

    private static String cut(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private void assertAliveAndNothingRecorded() throws Exception {
        assertEquals(200, get("/health").status(), "the server still answers");
        journal.expectNothingPersisted("registry");
        assertEquals("{\"clusters\":[]}", get("/clusters").body());
    }

    private static String nestedObjects(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    @Test
    void jsonNestedThousandsOfLevelsDeepIs400AndTheServerLives() throws Exception {
        for (int depth : List.of(17, 2_000, 20_000, 30_000, 100_000)) {
            var objects = nestedObjects(depth);
            var lists = "[".repeat(depth) + "]".repeat(depth);
            for (var body : List.of(objects, "{\"cluster_user\":\"app\",\"size\":" + lists + "}")) {
                // Within the body limit the depth limit refuses it; beyond it, the size limit does.
                boolean fits = body.length() <= 65_536;
                assertError(postJson("/clusters/orders", body), fits ? 400 : 413, fits ? "nested deeper than 16" : "larger than");
            }
            var form = "cluster_user=app&size=" + enc(objects);
            boolean fits = form.length() <= 65_536;
            assertError(postForm("/clusters/orders", form), fits ? 400 : 413, fits ? "nested deeper than 16" : "larger than");
        }
        assertAliveAndNothingRecorded();
    }

    @Test
    void deeplyNestedJsonWithinTheBodyLimitIsRefusedWithoutReadingItAll() throws Exception {
        // 20,000 levels fit in 64 KiB as "[[[...": the limit on depth, not on size, refuses it.
        var lists = "[".repeat(20_000) + "]".repeat(20_000);
        assertError(postJson("/clusters/orders", "{\"size\":" + lists + "}"), 400, "nested deeper than 16");
        assertError(postForm("/clusters/orders", "cluster_user=app&size=" + enc("{\"cpus\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}")), 400, "nested deeper");
        assertAliveAndNothingRecorded();
    }

    @Test
    void longValuesAndLargeBodiesAreRefused() throws Exception {
        var huge = "x".repeat(10_000);
        assertError(postJson("/clusters/orders", "{\"cluster_user\":\"" + huge + "\"}"), 400, "longer than 8192");
        assertError(postJson("/clusters/orders", "{\"" + huge + "\":1}"), 400, "longer than 8192");
        assertError(postJson("/clusters/orders", "{\"cluster_user\":\"app\",\"num_nodes\":" + "9".repeat(1000) + "}"), 400, "longer than 40");
        assertError(postForm("/clusters/orders", "cluster_user=" + "a".repeat(200_000)), 413, "larger than 65536 bytes");
        assertError(postJson("/clusters/orders", "{\"cluster_user\":\"" + "a".repeat(200_000) + "\"}"), 413, "larger than 65536 bytes");
        // Values are quoted cut short: a user name of 5,000 characters does not come back whole.
        assertError(postForm("/clusters/orders", "cluster_user=" + "a".repeat(5_000)), 400, "cluster_user");
        assertError(postForm("/clusters/orders", "cluster_user=app&size=" + enc("{\"mem\":\"" + "9".repeat(5_000) + "zb\"}")), 400, "size.mem");
        assertError(postForm("/clusters/" + "a".repeat(1_500), "cluster_user=app"), 400, "cluster name");
        assertAliveAndNothingRecorded();
    }

    @Test
    void malformedJsonOfEveryKindIs400() throws Exception {
        for (var body : List.of("{\"cluster_user\":\"app\"} trailing", "{\"cluster_user\":\"app\"}{\"num_nodes\":3}",
                "{\"cluster_user\":\"app\"}]", "{\"cluster_user\":\"app\",\"cluster_user\":\"other\"}",
                "{\"cluster_user\":\"app\",\"size\":{\"mem\":\"1gb\",\"mem\":\"2gb\"}}", "{\"cluster_user\":\"app\"",
                "{\"cluster_user\":'app'}", "{\"cluster_user\":\"app\",}", "{\"cluster_user\":NaN}", "[1,2]", "\"app\"", "true")) {
            var answer = postJson("/clusters/orders", body);
            assertEquals(400, answer.status(), body + " -> " + answer);
            assertError(answer, 400, "the request body");
        }
        assertError(postForm("/clusters/orders", "cluster_user=app&size=" + enc("{\"mem\":\"1gb\"} {}")), 400, "size");
        assertAliveAndNothingRecorded();
    }

    @Test
    void valuesOfTheWrongTypeAre400() throws Exception {
        assertError(postJson("/clusters/orders", "{\"cluster_user\":true}"), 400, "cluster_user must be a string");
        assertError(postJson("/clusters/orders", "{\"cluster_user\":7}"), 400, "cluster_user must be a string");
        assertError(postJson("/clusters/orders", "{\"cluster_user\":[\"app\"]}"), 400, "cluster_user must be a single value");
        assertError(postJson("/clusters/orders", "{\"cluster_user\":{\"a\":1}}"), 400, "cluster_user must be a single value");
        assertError(postJson("/clusters/orders", "{\"cluster_user\":\"app\",\"cluster_password\":12345678}"), 400, "cluster_password");
        assertError(postJson("/clusters/orders", "{\"cluster_user\":\"app\",\"backup_id\":true}"), 400, "backup_id");
        assertError(postJson("/clusters/orders", "{\"cluster_user\":\"app\",\"num_nodes\":true}"), 400, "num_nodes");
        assertError(postJson("/clusters/orders", "{\"cluster_user\":\"app\",\"num_nodes\":3.0}"), 400, "num_nodes");
        assertError(postJson("/clusters/orders", "{\"cluster_user\":\"app\",\"size\":{\"mem\":512}}"), 400, "size.mem");
        assertError(postJson("/clusters/orders", "{\"cluster_user\":\"app\",\"size\":{\"cpus\":\"1e0\"}}"), 400, "size.cpus");
        assertAliveAndNothingRecorded();
    }

    @Test
    void numbersAreAsciiDigitsWithoutSign() throws Exception {
        for (var count : List.of("+3", "３", "٣", "३", "3\u00a0", "0x3", "3e0", "-0")) {
            assertError(postForm("/clusters/orders", "cluster_user=app&num_nodes=" + enc(count)), 400, "num_nodes");
        }
        assertError(postForm("/clusters/orders", "cluster_user=app&size=" + enc("{\"cpus\":\"+1\"}")), 400, "size.cpus");
        assertError(postForm("/clusters/orders", "cluster_user=app&size=" + enc("{\"cpus\":\"１\"}")), 400, "size.cpus");
        assertError(postForm("/clusters/orders", "cluster_user=app&size=" + enc("{\"mem\":\"５１２mb\"}")), 400, "size.mem");
        assertAliveAndNothingRecorded();
    }

    @Test
    void aFormFieldGivenTwiceWithDifferentValuesIs400() throws Exception {
        assertError(postForm("/clusters/orders", "cluster_user=app&backup_id=x&backup_id="), 400, "backup_id");
        assertError(postForm("/clusters/orders", "cluster_user=app&cluster_user=root"), 400, "cluster_user");
        assertError(postForm("/clusters/orders", "cluster_user=app&num_nodes=1&num_nodes=3"), 400, "num_nodes");
        assertAliveAndNothingRecorded();
        // The same value twice says one thing.
        assertEquals(200, postForm("/clusters/orders", "cluster_user=app&cluster_user=app").status());
    }

    @Test
    void errorsBeforeAnyRouteAreJsonToo() throws Exception {
        assertError(get("/clusters/" + "a".repeat(5_000)), 414, "URI is too long");
        assertError(get("/clusters/%zz"), 400, "");
        assertError(get("/clusters/%"), 400, "");
        assertError(postForm("/clusters/orders?x=%G1", "cluster_user=app"), 400, "");
        assertError(RawHttp.send(port, "GET /health HTTP/1.1\r\nX-Big: " + "v".repeat(20_000), new byte[0]), 431, "");
        assertError(RawHttp.send(port, "GET /health HTTP/1.1\r\nBad Header Name: v", new byte[0]), 400, "");
        assertAliveAndNothingRecorded();
    }

    @Test
    void rejectionsAreJsonWithOurMessages() throws Exception {
        assertError(RawHttp.request(port, "PUT", "/clusters/orders", "application/json", "{}"), 405, "");
        assertError(RawHttp.request(port, "TRACE", "/clusters", "", ""), 405, "");
        assertError(RawHttp.request(port, "BREW", "/clusters", "", ""), 405, "method not allowed");
        assertError(RawHttp.send(port, "GET /health HTTP/2.0", new byte[0]), 400, "");
        assertError(get("/nowhere"), 404, "");
        assertError(get("/clusters/orders/failover"), 405, "");
        assertError(RawHttp.request(port, "POST", "/clusters/orders", "text/plain", "cluster_user=app"), 415, "Content-Type");
        assertError(RawHttp.request(port, "POST", "/clusters/orders", "application/xml", "<x/>"), 415, "Content-Type");
        var badForm = postForm("/clusters/orders", "cluster_user=%zz" + "q".repeat(150));
        assertError(badForm, 400, "(line 1, column 15)");
        assertFalse(badForm.body().contains("qqq"), "the message does not echo the input: " + badForm.body());
        assertError(postForm("/clusters/orders", "cluster_user=%C3%28"), 400, "cluster_user");
        assertError(RawHttp.request(port, "POST", "/clusters/orders", "multipart/form-data; boundary=x", "--x\r\nbroken"), 400, "");
        assertAliveAndNothingRecorded();
    }

    @Test
    void invalidUtf8IsNeverAName() throws Exception {
        var body = new byte[] {'{', '"', 'c', 'l', 'u', 's', 't', 'e', 'r', '_', 'u', 's', 'e', 'r', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertError(RawHttp.send(port, "POST /clusters/orders HTTP/1.1\r\nContent-Type: application/json", body), 400, "cluster_user");
        assertError(get("/clusters/%C3%28"), 400, "cluster name");
        assertAliveAndNothingRecorded();
    }

    @Test
    void clusterUrlIsTheAdvertisedAddressNotTheHostHeader() throws Exception {
        var answer = RawHttp.send(port, "POST /clusters/orders HTTP/1.1\r\nX-Forwarded-Host: evil.example\r\n"
                + "Content-Type: application/x-www-form-urlencoded", "cluster_user=app".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, answer.status(), answer.body());
        assertEquals(ADVERTISED + "/clusters/orders", ClusterJson.MAPPER.readTree(answer.body()).path("cluster_url").asText());
        var hostHeader = RawHttp.send(port, "POST /clusters/ledger HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded",
                "cluster_user=app".getBytes(StandardCharsets.UTF_8));
        assertEquals(ADVERTISED + "/clusters/ledger", ClusterJson.MAPPER.readTree(hostHeader.body()).path("cluster_url").asText());
    }

    @Test
    void theAskTimeoutComesFromTheConfiguration() {
        var defaults = ApiSettings.fromConfig(ConfigFactory.load(), URI.create(ADVERTISED));
        assertEquals(Duration.ofSeconds(15), defaults.askTimeout());
        var changed = ApiSettings.fromConfig(ConfigFactory.parseString("mysos.http.ask-timeout = 3s").withFallback(ConfigFactory.load()),
                URI.create(ADVERTISED));
        assertEquals(Duration.ofSeconds(3), changed.askTimeout());
    }

    @Test
    void aFloodOfCreatesIsTurnedAwayWith429WhenHashingIsFull() throws Exception {
        hashingFull = true;
        var answer = postForm("/clusters/orders", "cluster_user=app");
        assertError(answer, 429, "too many clusters are being created");
        assertAliveAndNothingRecorded();
        hashingFull = false;
        assertEquals(200, postForm("/clusters/orders", "cluster_user=app").status(), "it passes once there is room");
    }
}

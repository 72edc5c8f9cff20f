package io.mysos.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.ServerBinding;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.actors.scheduler.SchedulerGuardian;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The audit routes on the persistence testkit's journal and read journal, joined to the API as ApiServer joins them. */
class AuditRoutesTest {
    private static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");
    private static final TaskId T1 = TaskId.of("orders", 1);
    private static final TaskId T2 = TaskId.of("orders", 2);
    private static final TaskId T3 = TaskId.of("orders", 3);
    private static final TaskId T4 = TaskId.of("orders", 4);

    private final HttpClient client = HttpClient.newHttpClient();
    private ActorTestKit kit;
    private PersistenceTestKit journal;
    private ServerBinding binding;

    @BeforeEach
    void start() throws Exception {
        var config = ConfigFactory.parseString("mysos.audit.read-journal = \"akka.persistence.testkit.query\"")
                .withFallback(PersistenceTestKitPlugin.getInstance().config()).withFallback(ConfigFactory.load());
        kit = ActorTestKit.create(config);
        journal = PersistenceTestKit.create(kit.system());
        var refs = new CompletableFuture<SchedulerGuardian.Refs>();
        kit.spawn(SchedulerGuardian.create(Behaviors.<ResourceSide.Command>ignore(), ClusterActor.Settings.fromConfig(config), refs,
                new CompletableFuture<>()));
        binding = ApiServer.start(kit.system(), refs.get(10, TimeUnit.SECONDS), SchedulerKey.generate(),
                Executors.newSingleThreadExecutor(), "127.0.0.1", 0).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    /** Two lives of "orders": the first failed over from T1 to T2 and was deleted; the second has one instance. */
    private void recordTwoLives() {
        var spec = new ClusterSpec("orders", "app", 3, Resources.DEFAULT_INSTANCE, Optional.empty(), true);
        var secrets = ClusterSecrets.create("secret-password", SchedulerKey.generate());
        var events = new ArrayList<Object>(List.of(new ClusterEvent.ClusterCreated(spec, secrets, T0)));
        for (var id : List.of(T1, T2, T3)) {
            events.add(new ClusterEvent.ReplicaAdded(id, "local", "127.0.0.1", 31000 + (int) id.serverId(), Resources.DEFAULT_INSTANCE));
            events.add(new ClusterEvent.TaskStateChanged(id, TaskState.RUNNING, "", T0.plusSeconds(1)));
        }
        events.add(new ClusterEvent.MasterElected(0, T1, Map.of()));
        events.add(new ClusterEvent.TaskStateChanged(T1, TaskState.FAILED, "mysqld exited", T0.plusSeconds(60)));
        events.add(new ClusterEvent.MasterLost(0, T1, "FAILED: mysqld exited", T0.plusSeconds(60)));
        events.add(new ClusterEvent.ElectionStarted(1, Optional.of(T1), List.of(T2, T3), "FAILED: mysqld exited", false, T0.plusSeconds(60)));
        events.add(new ClusterEvent.MasterElected(1, T2, Map.of(T2.value(), "mariadb:0-1-10", T3.value(), "mariadb:0-1-9")));
        events.add(new ClusterEvent.FailoverCompleted(1, Optional.of(T1), T2, 1500, "FAILED: mysqld exited"));
        events.add(new ClusterEvent.ClusterDeletionRequested(T0.plusSeconds(120)));
        events.add(new ClusterEvent.TaskStateChanged(T2, TaskState.KILLED, "", T0.plusSeconds(121)));
        events.add(new ClusterEvent.TaskStateChanged(T3, TaskState.KILLED, "", T0.plusSeconds(121)));
        events.add(new ClusterEvent.ClusterTerminated(T0.plusSeconds(121)));
        events.add(new ClusterEvent.ClusterCreated(spec.withNumNodes(1), secrets, T0.plusSeconds(200)));
        events.add(new ClusterEvent.ReplicaAdded(T4, "local", "127.0.0.1", 31004, Resources.DEFAULT_INSTANCE));
        journal.persistForRecovery(ClusterActor.persistenceId("orders").id(), events);
    }

    @Test
    void listsTheNewestLifeOfAClusterWithoutSecrets() throws Exception {
        recordTwoLives();
        var response = get("/clusters/orders/events");
        assertEquals(200, response.statusCode(), response.body());
        var body = json(response);
        assertEquals(List.of("cluster", "incarnation", "events", "next_seq"), fieldNames(body));
        assertEquals("orders", body.path("cluster").asText());
        assertEquals(2, body.path("incarnation").asInt());
        assertEquals(List.of(18L, 19L), seqs(body));
        var created = body.path("events").get(0);
        assertEquals(List.of("seq", "timestamp", "type", "fields"), fieldNames(created));
        assertEquals("ClusterCreated", created.path("type").asText());
        assertEquals(1, created.path("fields").path("spec").path("numNodes").asInt());
        assertFalse(response.body().contains("secrets") || response.body().contains("passwordHash")
                || response.body().contains("ciphertext"), response.body());
        assertEquals(20, body.path("next_seq").asLong());
    }

    @Test
    void showsAnOlderLifeFilteredByTypeAndPagedFromASequenceNumber() throws Exception {
        recordTwoLives();
        var first = json(get("/clusters/orders/events?incarnation=1&type=MasterElected,FailoverCompleted&limit=2"));
        assertEquals(1, first.path("incarnation").asInt());
        assertEquals(List.of(8L, 12L), seqs(first));
        assertEquals(13, first.path("next_seq").asLong());
        var rest = json(get("/clusters/orders/events?incarnation=1&type=MasterElected,FailoverCompleted&from_seq=13"));
        assertEquals(List.of(13L), seqs(rest));
        assertEquals("mariadb:0-1-10", first.path("events").get(1).path("fields").path("positions").path("mysos-orders-2").asText());
    }

    @Test
    void recordsTheFailoverOfTheDeletedLife() throws Exception {
        recordTwoLives();
        var body = json(get("/clusters/orders/failovers?incarnation=1"));
        assertEquals(1, body.path("failovers").size());
        var failover = body.path("failovers").get(0);
        assertEquals(1, failover.path("epoch").asInt());
        assertEquals("mysos-orders-1", failover.path("failed_master").asText());
        assertEquals("mysos-orders-2", failover.path("winner").asText());
        assertEquals("mariadb:0-1-9", failover.path("candidates").get(1).path("position").asText());
        assertEquals(1500, failover.path("duration_millis").asLong());
        assertEquals("completed", failover.path("outcome").asText());
        assertTrue(failover.path("acknowledged_writes_survived").asBoolean());
        assertEquals(4, failover.path("steps").size());
        assertEquals(0, json(get("/clusters/orders/failovers")).path("failovers").size(), "the newest life had none");
    }

    @Test
    void answersUnknownClustersAndBadParametersInJson() throws Exception {
        recordTwoLives();
        assertError(get("/clusters/ledger/events"), 404, "never created");
        assertError(get("/clusters/orders/events?incarnation=3"), 404, "no incarnation 3");
        assertError(get("/clusters/orders/events?limit=0"), 400, "limit");
        assertError(get("/clusters/orders/events?from_seq=abc"), 400, "from_seq");
        assertError(get("/clusters/Bad%20Name/failovers"), 400, "");
        // A typo in a type would match nothing and look like "no such events": it is refused, naming the typo.
        assertError(get("/clusters/orders/events?type=MasterElected,MastrLost"), 400, "MastrLost");
        assertError(get("/clusters/orders/events?type=,"), 400, "type");
        assertError(get("/clusters/orders/events?limit=1&limit=2"), 400, "limit is given more than once");
        assertError(get("/clusters/orders/failovers?incarnation=1&incarnation=2"), 400, "incarnation");
        assertError(get("/events?after=1&after=2"), 400, "after");
        assertEquals(200, get("/clusters/orders/events?limit=2&limit=2&type=MasterLost").statusCode(), "the same value twice is the value");
        assertEquals(404, get("/clusters/orders").statusCode(), "the rest of the API still answers");
    }

    private HttpResponse<String> get(String path) throws Exception {
        var uri = URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path);
        return client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return ClusterJson.MAPPER.readTree(response.body());
    }

    private static List<String> fieldNames(JsonNode node) {
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<Long> seqs(JsonNode body) {
        var seqs = new ArrayList<Long>();
        body.path("events").forEach(e -> seqs.add(e.path("seq").asLong()));
        return seqs;
    }

    private static void assertError(HttpResponse<String> response, int status, String fragment) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        var error = json(response).path("error").asText();
        assertTrue(error.contains(fragment), "error '" + error + "' should mention '" + fragment + "'");
    }
}

package io.mysos.it.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.http.javadsl.Http;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mysos.dist.Mysos;
import io.mysos.http.ApiSettings;
import io.mysos.http.AuditRoutes;
import io.mysos.core.task.TaskState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * One scripted cluster life on a journal (created with 3 nodes, failed over, shrunk, deleted, and
 * created again with 1 node), then read back the two ways an operator reads it: the API's audit
 * routes while the actors run, and {@code mysos audit} once they have stopped. Returns what must be
 * the same on every journal: the timeline, two {@code --at} states and the {@code --verify} report,
 * with the journal's write times cut out.
 */
final class AuditRoundTrip {
    static final String NAME = "orders";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a journal's audit said, write times and measured durations cut out. */
    record Result(List<String> timeline, List<String> atFailover, List<String> atDeletion, List<String> verify) {}

    /** The CLI's exit status and output. */
    record Cli(int status, String out, String err) {}

    private AuditRoundTrip() {
    }

    static Result run(ScratchJournal journal, String... journalArgs) throws Exception {
        String password = "Pw-" + UUID.randomUUID();
        Instant afterFailover;
        Instant afterDeletion;
        JsonNode apiFirstLife;
        JsonNode apiFailovers;
        try (var driver = ClusterDriver.start("audit-" + journal.kind().id(), journal.config())) {
            var nodes = ClusterLifeRoundTrip.createFailOverAndShrink(driver, password);
            afterFailover = Instant.now();
            // A backup, taken by the replica that stayed: its events belong to the history like any other.
            var backupId = driver.backup(NAME, password).acceptedBackup();
            assertEquals(backupId, driver.expectTakeBackup(nodes.get(1), 1));
            driver.backupTaken(nodes.get(1), 1, backupId, "0-3-130");
            assertEquals(Optional.of(backupId), driver.listBackups(NAME).backups().latestCompleted().map(e -> e.id()));
            var delete = driver.delete(NAME, password);
            assertEquals("deleting", delete.done());
            for (var node : nodes) {
                driver.expectKill(node);
                driver.status(node, TaskState.KILLED, "mysqld stopped");
            }
            driver.awaitGone(NAME);
            afterDeletion = Instant.now();
            Thread.sleep(5); // the next life's events are written in a later millisecond than the moment above
            driver.create(NAME, 1, password);
            driver.expectDemand(NAME, 1);
            driver.place(NAME, "10.0.0.5", 31005);
            driver.view(NAME);

            var system = driver.kit().system();
            var binding = Http.get(system).newServerAt("127.0.0.1", 0)
                    .bind(new AuditRoutes(system, ApiSettings.fromConfig(system.settings().config(), URI.create("http://127.0.0.1")))
                            .route())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            var api = "http://127.0.0.1:" + binding.localAddress().getPort();
            apiFirstLife = get(api + "/clusters/orders/events?incarnation=1&limit=1000");
            apiFailovers = get(api + "/clusters/orders/failovers?incarnation=1");
            // The newest life is found through a tag, which the JDBC read journal shows a moment (~200 ms) after the write.
            var newest = get(api + "/clusters/orders/events");
            for (int i = 0; i < 50 && newest.path("incarnation").asInt() != 2; i++) {
                Thread.sleep(100);
                newest = get(api + "/clusters/orders/events");
            }
            assertEquals(2, newest.path("incarnation").asInt(), newest.toString());
            assertEquals(List.of("ClusterCreated", "ReplicaAdded"), types(newest.path("events")));
            assertAllEvents(api, apiFirstLife.path("events").size() + 2, io.mysos.http.OpenStreams.get(system));
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        var cliJson = JSON.readTree(cliOk(journalArgs, "audit", NAME, "--json").out()).path("clusters").get(0);
        assertEquals(apiFirstLife, cliJson.path("lives").get(0), "the API and the CLI tell the first life the same");
        assertEquals(apiFailovers, cliJson.path("failovers").get(0), "the API and the CLI record the same failover");
        var failover = apiFailovers.path("failovers").get(0);
        assertEquals(List.of("mysos-orders-1", "mysos-orders-3", "completed", "true"), List.of(failover.path("failed_master").asText(),
                failover.path("winner").asText(), failover.path("outcome").asText(), failover.path("acknowledged_writes_survived").asText()));

        var timeline = withoutTimes(cliOk(journalArgs, "audit", NAME).out());
        assertTrue(timeline.stream().anyMatch(line -> line.contains("BackupCompleted") && line.contains("bytes at 0-3-130")),
                "the backup is in the timeline: " + timeline);
        assertTrue(types(apiFirstLife.path("events")).containsAll(List.of("BackupRequested", "BackupStarted", "BackupCompleted")),
                apiFirstLife.toString());
        var atFailover = withoutTimes(cliOk(journalArgs, "audit", NAME, "--at", afterFailover.toString()).out());
        var atDeletion = withoutTimes(cliOk(journalArgs, "audit", NAME, "--at", afterDeletion.toString()).out());
        var verify = withoutTimes(cliOk(journalArgs, "audit", "--verify").out());
        var recent = cliOk(journalArgs, "audit", NAME, "--from", afterDeletion.toString()).out();
        assertTrue(recent.contains("orders, incarnation 2") && !recent.contains("incarnation 1"), recent);
        var early = cliOk(journalArgs, "audit", NAME, "--to", afterFailover.toString()).out();
        assertTrue(early.contains("#17 ") && !early.contains("#18 ") && !early.contains("incarnation 2"), early);
        return new Result(timeline, atFailover, atDeletion, verify);
    }

    /** {@code GET /events}: pages from an offset, and the same events as a stream resumed after the last one seen. */
    private static void assertAllEvents(String api, int expected, io.mysos.http.OpenStreams streams) throws Exception {
        var all = get(api + "/events?limit=1000").path("events");
        for (int i = 0; i < 50 && all.size() < expected; i++) { // the tag shows the newest events a moment after they are written
            Thread.sleep(100);
            all = get(api + "/events?limit=1000").path("events");
        }
        assertEquals(expected, all.size(), all.toString());
        var offsets = new ArrayList<Long>();
        all.forEach(e -> offsets.add(e.path("offset").asLong()));
        assertEquals(offsets.stream().sorted().distinct().toList(), offsets, "offsets grow");
        var page = get(api + "/events?after=" + offsets.get(4) + "&limit=3");
        assertEquals(offsets.subList(5, 8), longs(page.path("events"), "offset"));
        assertEquals(offsets.get(7).longValue(), page.path("next_after").asLong());

        // A client on a plain socket, so that closing it closes the connection.
        var port = URI.create(api).getPort();
        try (var socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + "Last-Event-ID: " + offsets.get(expected - 3) + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            assertTrue(in.readLine().startsWith("HTTP/1.1 200"));
            var ids = new ArrayList<Long>();
            for (String line; ids.size() < 2 && (line = in.readLine()) != null; ) {
                if (line.startsWith("id:")) {
                    ids.add(Long.parseLong(line.substring(3).trim()));
                }
            }
            assertEquals(offsets.subList(expected - 2, expected), ids, "the stream resumes after Last-Event-ID");
            assertEquals(1, streams.open(), "the open stream holds a place");
        }
        var deadline = java.time.Instant.now().plusSeconds(20); // within two heartbeats of 5 s
        while (streams.open() > 0 && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertEquals(0, streams.open(), "a stream the client closed gives its place back");
    }


    static Cli cli(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var command = new CommandLine(new Mysos());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int status = command.execute(args);
        return new Cli(status, out.toString(), err.toString());
    }

    private static Cli cliOk(String[] journalArgs, String... args) {
        var cli = cli(Stream.concat(Stream.of(args), Stream.of(journalArgs)).toArray(String[]::new));
        assertEquals(0, cli.status(), cli.err() + cli.out());
        return cli;
    }

    private static List<String> withoutTimes(String text) {
        return text.lines().map(l -> l.replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "<time>")
                .replaceAll("in \\d+ ms", "in <n> ms")
                .replaceAll("\\b\\d{8}-\\d{6}-\\d+\\b", "<backup id>")).toList(); // backup ids are named after their time
    }

    private static JsonNode get(String url) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static List<String> types(JsonNode events) {
        var types = new ArrayList<String>();
        events.forEach(e -> types.add(e.path("type").asText()));
        return types;
    }

    private static List<Long> longs(JsonNode events, String field) {
        var values = new ArrayList<Long>();
        events.forEach(e -> values.add(e.path(field).asLong()));
        return values;
    }
}

package io.mysos.it.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's drawing of what only some clusters have, in headless Chromium, against a stand-in
 * API serving the page's real files from the jar and fixed JSON: a replica that stopped replicating
 * and one catching up, the backups and endpoints other features add to the view, the events
 * timeline in the shape of {@code GET /clusters/{name}/events}, and a reason that looks like HTML
 * (shown as text, never run).
 */
class DashboardRenderingTest {
    private static final Path OUTPUT = Path.of("target", "dashboard");
    private static final String CLUSTER = """
            {"name":"orders","state":"DEGRADED","num_nodes":3,"epoch":2,
             "master":{"task_id":"mysos-orders-5","host":"10.0.0.5","port":31005,"state":"RUNNING","role":"master","catching_up":false},
             "replicas":[
               {"task_id":"mysos-orders-6","host":"10.0.0.6","port":31006,"state":"RUNNING","role":"replica","catching_up":false,
                "lag_seconds":null,"replicating":false},
               {"task_id":"mysos-orders-7","host":"10.0.0.7","port":31007,"state":"RUNNING","role":"replica","catching_up":true,
                "lag_seconds":12,"replicating":true,"behind":{"transactions":3912,"seconds":12}}],
             "ended":[],"size":{"cpus":1.0,"mem":"512mb","disk":"2gb"},"user":"app","created_at":"2026-11-25T12:00:00Z",
             "reason":"replica mysos-orders-6 stopped replicating <img src=x onerror=\\"window.injected=1\\">",
             "semi_sync":true,
             "last_failover":{"epoch":2,"from":"mysos-orders-1","to":"mysos-orders-5","started_at":"2026-11-25T12:30:00Z",
                              "millis":2500,"cause":"FAILED: mysqld exited with signal 9"},
             "backups":{"interval":"6h","keep":7,"last_completed":"20261125-060000-1","last_completed_at":"2026-11-25T06:00:31Z",
                        "last_failed":null,"last_failed_at":null,"last_failure":null,"running":null},
             "endpoints":{"writer":"127.0.0.1:6033","reader":"127.0.0.1:6034"}}
            """;
    private static final String EVENTS = """
            {"cluster":"orders","incarnation":1,"events":[
              {"seq":1,"timestamp":"2026-11-25T12:00:00Z","type":"ClusterCreated","fields":{"num_nodes":3}},
              {"seq":2,"timestamp":"2026-11-25T12:30:00Z","type":"MasterLost",
               "fields":{"epoch":1,"task_id":"mysos-orders-1","cause":"FAILED: mysqld exited with signal 9"}},
              {"seq":3,"timestamp":"2026-11-25T12:30:02Z","type":"FailoverCompleted",
               "fields":{"epoch":2,"old_master":"mysos-orders-1","new_master":"mysos-orders-5","millis":2500,"cause":"FAILED"}}],
             "next_seq":4}
            """;

    private HttpServer api;

    @BeforeEach
    void start() throws IOException {
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        var json = Map.of("/clusters", "{\"clusters\":[" + CLUSTER + "]}", "/clusters/orders", CLUSTER,
                "/clusters/orders/events", EVENTS);
        api.createContext("/", exchange -> {
            var path = exchange.getRequestURI().getPath();
            if (json.containsKey(path)) {
                send(exchange, 200, "application/json", json.get(path).getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/") || path.startsWith("/dashboard/")) {
                var resource = path.equals("/") ? "dashboard/index.html" : path.substring(1);
                try (var in = getClass().getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        send(exchange, 404, "text/plain", new byte[0]);
                    } else {
                        var type = resource.endsWith(".html") ? "text/html" : resource.endsWith(".css") ? "text/css" : "text/javascript";
                        send(exchange, 200, type + "; charset=utf-8", in.readAllBytes());
                    }
                }
            } else {
                send(exchange, 404, "application/json", "{\"error\":\"no such resource\"}".getBytes(StandardCharsets.UTF_8));
            }
        });
        api.start();
    }

    @AfterEach
    void stop() {
        api.stop(0);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    @Test
    void stoppedAndCatchingUpReplicasBackupsEndpointsAndTheTimelineAreDrawnAndHtmlInAReasonIsText() throws Exception {
        var base = "http://127.0.0.1:" + api.getAddress().getPort();
        try (var browser = Chromium.start(1280, 1000, OUTPUT.resolve("chromium-rendering.log"))) {
            browser.navigate(base + "/");
            var card = "document.querySelector('[data-cluster=\"orders\"]')";
            browser.awaitValue(card + "?.dataset.master ?? ''", v -> v.asText().equals("mysos-orders-5"), Duration.ofSeconds(30));
            assertEquals("no,yes", browser.eval("[..." + card + ".querySelectorAll('tr.replica')]"
                    + ".map(r => r.lastElementChild.textContent).join(',')").asText());
            assertEquals("?,12 s, 3912 trx", browser.eval("[..." + card + ".querySelectorAll('tr.replica')]"
                    + ".map(r => r.children[4].textContent).join(',')").asText());
            assertTrue(browser.eval(card + ".querySelector('.reason').textContent").asText().contains("<img src=x"),
                    "the reason is shown as text");
            assertTrue(browser.eval(card + ".querySelector('.reason img') === null && window.injected === undefined").asBoolean(),
                    "and never becomes HTML");
            var backups = browser.eval(card + ".querySelector('.backups').textContent").asText();
            assertTrue(backups.contains("interval: 6h") && backups.contains("last_completed: 20261125-060000-1"), backups);
            assertTrue(backups.contains("last_failed: \u2014"), "none is shown as a dash, not as nothing: " + backups);
            assertTrue(browser.eval(card + ".querySelector('.endpoints').textContent").asText().contains("writer: 127.0.0.1:6033"));
            assertTrue(browser.eval(card + ".querySelector('.last-failover').textContent").asText()
                    .contains("2.5 s, mysos-orders-1 \u2192 mysos-orders-5 (FAILED: mysqld exited with signal 9)"));

            browser.eval("location.hash = '#/clusters/orders'");
            var items = browser.awaitValue("[...document.querySelectorAll('#timeline li')].map(li => li.dataset.seq).join(',')",
                    v -> !v.asText().isEmpty(), Duration.ofSeconds(30));
            assertEquals("3,2,1", items.asText(), "newest first");
            assertTrue(browser.eval("document.querySelector('#timeline li').textContent").asText()
                    .contains("mysos-orders-5 is master (epoch 2) after 2.5 s"));
            assertTrue(browser.eval("document.querySelectorAll('#timeline li')[1].textContent").asText()
                    .contains("master mysos-orders-1 lost (epoch 1): FAILED: mysqld exited with signal 9"));
            assertEquals(1, browser.eval("document.querySelectorAll('#cluster svg line.edge.stopped').length").asInt(),
                    "the stopped replica's edge is drawn apart");
            browser.screenshot(OUTPUT.resolve("rendering.png"));
        }
    }
}

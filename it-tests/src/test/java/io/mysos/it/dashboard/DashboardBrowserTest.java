package io.mysos.it.dashboard;

import static io.mysos.it.local.Api.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mysos.it.local.LocalStack;
import io.mysos.it.local.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real browser (headless Chromium) against {@code mysos local} with real
 * mysqld: a created cluster appears with its master, and a kill -9 of that master's mysqld shows
 * the new master on the page without a reload. Screenshots of the list and of the cluster's page
 * are kept in {@code target/dashboard/}.
 */
class DashboardBrowserTest {
    private static final Duration READY = Duration.ofSeconds(120);
    private static final Path OUTPUT = Path.of("target", "dashboard");

    private Path dataDir;
    private LocalStack stack;

    @BeforeEach
    void start() throws Exception {
        dataDir = Files.createTempDirectory("mysos-dashboard-");
        stack = LocalStack.startInProcess(dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        LocalStack.closeAndRemove(stack, dataDir);
    }

    private static String card(String cluster) {
        return "document.querySelector('[data-cluster=\"" + cluster + "\"]')";
    }

    @Test
    void aClusterAppearsWithItsMasterAndAFailoverShowsWithoutAReload() throws Exception {
        var api = stack.api();
        api.create("web", form("cluster_user", "app", "num_nodes", "3"));
        var cluster = api.awaitCluster("web", READY, c -> "RUNNING".equals(c.path("state").asText())
                && c.path("replicas").size() == 2 && allReplicating(c));
        var master = cluster.path("master").path("task_id").asText();
        var base = "http://127.0.0.1:" + stack.apiPort();

        try (var browser = Chromium.start(1280, 900, OUTPUT.resolve("chromium.log"))) {
            browser.navigate(base + "/");
            var shown = browser.awaitValue(card("web") + "?.dataset.master ?? ''", v -> !v.asText().isEmpty(), Duration.ofSeconds(30));
            assertEquals(master, shown.asText(), "the page shows the API's master");
            browser.awaitValue(card("web") + "?.dataset.state", v -> "RUNNING".equals(v.asText()), Duration.ofSeconds(30));
            var cells = browser.eval("[..." + card("web") + ".querySelectorAll('tr.replica')]"
                    + ".map(r => r.lastElementChild.textContent).join(',')");
            assertEquals("yes,yes", cells.asText(), "both replicas replicate");
            browser.screenshot(OUTPUT.resolve("list.png"));

            // A mark that a reload would wipe out.
            browser.eval("window.mysosTestMark = 'still the same page'");
            killMysqld(master);
            var next = browser.awaitValue(card("web") + "?.dataset.master ?? ''",
                    v -> !v.asText().isEmpty() && !v.asText().equals(master), READY);
            assertNotEquals(master, next.asText());
            assertEquals("still the same page", browser.eval("window.mysosTestMark").asText(), "the page was not reloaded");
            assertEquals(next.asText(), api.get("/clusters/web").body().path("master").path("task_id").asText(),
                    "the page shows the API's new master");

            browser.eval("location.hash = '#/clusters/web'");
            browser.awaitValue("document.querySelector('#cluster svg g.node.master')?.dataset.task ?? ''",
                    v -> v.asText().equals(next.asText()), Duration.ofSeconds(30));
            var timeline = browser.awaitValue("document.querySelector('#timeline-unavailable') ? 'unavailable'"
                    + " : document.querySelectorAll('#timeline li').length", v -> !v.asText().equals("0"), Duration.ofSeconds(30));
            assertTrue(timeline.asText().equals("unavailable") || timeline.asInt() > 0, timeline.toString());
            assertEquals("still the same page", browser.eval("window.mysosTestMark").asText());
            // The failover shows on the cluster page as it finishes: last failover from the old master.
            browser.awaitValue("document.querySelector('#cluster .last-failover')?.textContent ?? ''",
                    v -> v.asText().contains(master), READY);
            // And the cluster heals: the replacement replica joins, and the page says RUNNING again.
            browser.awaitValue("document.querySelector('#cluster')?.dataset.state", v -> "RUNNING".equals(v.asText()), READY);
            browser.awaitValue("[...document.querySelectorAll('#cluster tr.replica')].map(r => r.lastElementChild.textContent).join(',')",
                    v -> "yes,yes".equals(v.asText()), READY);
            browser.screenshot(OUTPUT.resolve("cluster.png"));
        }
        assertMetricsShowTheFailover(base);
    }

    /** What Prometheus reads after the failover, linted by promtool. */
    private static void assertMetricsShowTheFailover(String base) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var text = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(text.contains("mysos_failovers_total{cause=\"failed\",cluster=\"web\"} 1.0"), text);
        assertTrue(text.contains("mysos_failover_duration_seconds_count{kind=\"failover\"} 1"), text);
        assertTrue(text.contains("mysos_cluster_state{cluster=\"web\",state=\"RUNNING\"} 1.0"), text);
        assertTrue(text.contains("mysos_cluster_epoch{cluster=\"web\"} 1.0"), text);
        assertTrue(text.contains("mysos_replication_running{cluster=\"web\""), text);
        assertTrue(text.contains("mysos_offers_used_total"), text);
        assertTrue(text.contains("mysos_journal_write_duration_seconds_count"), text);
        Files.createDirectories(OUTPUT);
        Files.writeString(OUTPUT.resolve("metrics.txt"), text);
        var promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true)
                .redirectInput(OUTPUT.resolve("metrics.txt").toFile()).start();
        var said = new String(promtool.getInputStream().readAllBytes());
        assertTrue(promtool.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "promtool finished");
        assertEquals(0, promtool.exitValue(), "promtool check metrics:\n" + said);
    }

    private static boolean allReplicating(JsonNode cluster) {
        for (var replica : cluster.path("replicas")) {
            if (!replica.path("replicating").asBoolean(false)) {
                return false;
            }
        }
        return true;
    }

    /** kill -9 of the mysqld of {@code task}. */
    private void killMysqld(String task) {
        var processes = Processes.mysqldUnder(dataDir.resolve("instances").resolve(task));
        assertEquals(1, processes.size(), "one mysqld runs for " + task);
        processes.get(0).destroyForcibly();
    }
}

package io.mysos.it.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an operator reads from a real Mesos master ({@code /state}, {@code /slaves}) to check what
 * Mysos did, and the teardown that cleans up a test's framework whatever state it is left in.
 */
final class MesosMaster {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final String base;

    /** {@code hostPort}: the leading master, {@code host:port} (a follower redirects reads to the leader). */
    MesosMaster(String hostPort) {
        this.base = "http://" + hostPort;
    }

    JsonNode state() {
        return get("/master/state");
    }

    JsonNode slaves() {
        return get("/master/slaves");
    }

    /** The framework of that name in {@code /state}, active or not (a restarted scheduler re-registers under the same id). */
    Optional<JsonNode> framework(String name) {
        for (var framework : state().path("frameworks")) {
            if (framework.path("name").asText().equals(name)) {
                return Optional.of(framework);
            }
        }
        return Optional.empty();
    }

    /** The ids of the framework's tasks that the master lists as {@code TASK_RUNNING}. */
    List<String> runningTasks(String frameworkName) {
        var ids = new ArrayList<String>();
        framework(frameworkName).ifPresent(f -> f.path("tasks").forEach(t -> {
            if (t.path("state").asText().equals("TASK_RUNNING")) {
                ids.add(t.path("id").asText());
            }
        }));
        return ids.stream().sorted().toList();
    }

    /**
     * Every resource anywhere in {@code /slaves} (reserved, used or offered) that is Mysos's for
     * {@code cluster}: a persistent volume whose id is one of its task ids, or a reservation
     * labelled with the cluster. Walks the whole document, so it reads the same on Mesos 1.x's
     * {@code reserved_resources_full} and the later reservation lists.
     */
    List<JsonNode> leftovers(String cluster) {
        var found = new ArrayList<JsonNode>();
        walk(slaves(), cluster, found);
        return found;
    }

    private static void walk(JsonNode node, String cluster, List<JsonNode> found) {
        if (node.isObject()) {
            var persistence = node.path("disk").path("persistence").path("id").asText("");
            if (persistence.startsWith("mysos-" + cluster + "-") || labelled(node, cluster)) {
                found.add(node);
                return;
            }
        }
        node.forEach(child -> walk(child, cluster, found));
    }

    /** A resource whose reservation (or one of its reservations) carries {@code mysos.cluster = cluster}. */
    private static boolean labelled(JsonNode resource, String cluster) {
        var reservations = new ArrayList<JsonNode>();
        reservations.add(resource.path("reservation"));
        resource.path("reservations").forEach(reservations::add);
        for (var reservation : reservations) {
            for (var label : reservation.path("labels").path("labels")) {
                if (label.path("key").asText().equals("mysos.cluster") && label.path("value").asText().equals(cluster)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code POST /master/teardown}: the master kills the framework's tasks and forgets it. */
    void teardown(String frameworkId) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(base + "/master/teardown"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("frameworkId=" + frameworkId)).timeout(Duration.ofSeconds(20)).build();
        client.send(request, HttpResponse.BodyHandlers.discarding());
    }

    private JsonNode get(String path) {
        try {
            var response = client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + base + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

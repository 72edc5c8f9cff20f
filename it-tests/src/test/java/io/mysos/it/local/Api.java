package io.mysos.it.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A user of the REST API: form posts, JSON answers, and waiting for a cluster to get somewhere. */
public final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final int port;

    public Api(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.port = port;
    }

    public int port() {
        return port;
    }

    /** An answer: status and JSON body. */
    public record Answer(int status, JsonNode body) {
        public String error() {
            return body.path("error").asText();
        }
    }

    public static Map<String, String> form(String... pairs) {
        var map = new LinkedHashMap<String, String>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    public Answer post(String path, Map<String, String> form) {
        return send("POST", path, form);
    }

    public Answer patch(String path, Map<String, String> form) {
        return send("PATCH", path, form);
    }

    public Answer delete(String path, Map<String, String> form) {
        return send("DELETE", path, form);
    }

    public Answer get(String path) {
        return call(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** Creates a cluster and returns its password; fails the test on anything but 200. */
    public String create(String name, Map<String, String> form) {
        var answer = post("/clusters/" + name, form);
        if (answer.status() != 200) {
            throw new AssertionError("create " + name + " answered " + answer);
        }
        return answer.body().path("cluster_password").asText();
    }

    /** Polls GET /clusters/{name} until {@code until} holds; fails with the last answer after {@code timeout}. */
    public JsonNode awaitCluster(String name, Duration timeout, Predicate<JsonNode> until) {
        var deadline = System.nanoTime() + timeout.toNanos();
        Answer last = null;
        while (System.nanoTime() < deadline) {
            last = get("/clusters/" + name);
            if (last.status() == 200 && until.test(last.body())) {
                return last.body();
            }
            sleep(100);
        }
        throw new AssertionError("cluster " + name + " did not get there in " + timeout + "; last answer: " + last);
    }

    public JsonNode awaitRunning(String name, Duration timeout) {
        return awaitCluster(name, timeout, c -> "RUNNING".equals(c.path("state").asText()));
    }

    /** Waits until the API shows a master other than {@code old} that takes a write from the cluster user; returns it. */
    public JsonNode awaitNewWritableMaster(String name, String password, String old, Duration timeout) {
        var deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var master = get("/clusters/" + name).body().path("master");
            if (!master.isNull() && !master.path("task_id").asText().equals(old)) {
                try {
                    Sql.execute(master, "app", password, "CREATE DATABASE IF NOT EXISTS probe");
                    return master;
                } catch (java.sql.SQLException e) {
                    // not writable yet
                }
            }
            sleep(5);
        }
        throw new AssertionError("no new writable master for " + name + ": " + get("/clusters/" + name));
    }

    public void awaitGone(String name, Duration timeout) {
        var deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (get("/clusters/" + name).status() == 404) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError("cluster " + name + " is still there after " + timeout + ": " + get("/clusters/" + name));
    }

    private Answer send(String method, String path, Map<String, String> form) {
        var body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return call(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    private Answer call(HttpRequest.Builder request) {
        try {
            var response = client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            var body = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
            return new Answer(response.statusCode(), body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

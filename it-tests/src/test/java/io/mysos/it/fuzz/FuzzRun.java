package io.mysos.it.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mysos.it.local.Api;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Sends fuzzed requests to a running local mode one after another and keeps score: the status of
 * every answer, which answers were not JSON, the clusters created (with their passwords) and
 * whether Mysos stayed alive. {@link #checkAndCleanUp} then proves that every listed cluster was
 * created by a request answered 200 and reads back whole, and deletes them.
 */
public final class FuzzRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a run saw. */
    public record Result(int requests, Map<Integer, Integer> statuses, List<String> failures, Duration took,
                         Map<Integer, String> examples) {
        public long serverErrors() {
            return statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(Map.Entry::getValue).sum();
        }

        public String summary() {
            return requests + " requests in " + took.toMillis() + " ms, statuses " + statuses + ", "
                    + failures.size() + " failures" + (failures.isEmpty() ? "" : ": " + failures.subList(0, Math.min(10, failures.size())));
        }
    }

    private final int port;
    private final Map<String, String> created = new HashMap<>();

    public FuzzRun(int port) {
        this.port = port;
    }

    /** Sends {@code count} requests from {@code seed}; {@code alive} is asked every 100 requests. */
    public Result run(long seed, int count, BooleanSupplier alive) throws IOException {
        var fuzzer = new RequestFuzzer(seed);
        var statuses = new TreeMap<Integer, Integer>();
        var failures = new ArrayList<String>();
        var examples = new TreeMap<Integer, String>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            var request = fuzzer.next();
            Answer answer;
            try {
                answer = send(request);
            } catch (IOException e) {
                failures.add("#" + i + " " + request.method() + " " + cut(request.target()) + ": " + e);
                statuses.merge(-1, 1, Integer::sum);
                continue;
            }
            statuses.merge(answer.status(), 1, Integer::sum);
            examples.putIfAbsent(answer.status(), request.method() + " " + cut(request.target()) + " -> " + cut(answer.body()));
            check(i, request, answer, failures);
            if (i % 100 == 99 && !alive.getAsBoolean()) {
                failures.add("Mysos is gone after request #" + i);
                break;
            }
        }
        return new Result(count, statuses, failures, Duration.ofNanos(System.nanoTime() - start), examples);
    }

    /**
     * The dashboard's files and {@code /metrics} are no JSON: a 200 to a read of them is fine (what
     * the path normalizes to, e.g. {@code /clusters/%2e%2e} to {@code /}, is the server's business);
     * every error stays JSON.
     */
    private static boolean isPage(RequestFuzzer.FuzzRequest request, Answer answer) {
        boolean read = request.method().equals("GET") || request.method().equals("HEAD");
        var type = answer.contentType();
        return read && answer.status() == 200 && (type.startsWith("text/html") || type.startsWith("text/css")
                || type.startsWith("application/javascript") || type.startsWith("text/javascript") || type.startsWith("text/plain"));
    }

    private void check(int i, RequestFuzzer.FuzzRequest request, Answer answer, List<String> failures) {
        var what = "#" + i + " " + request.method() + " " + cut(request.target()) + " -> " + answer.status();
        if (answer.status() >= 500) {
            failures.add(what + " " + cut(answer.body()));
        }
        if (request.validCreate() && answer.status() != 200 && answer.status() != 409) {
            failures.add(what + ": a valid create was refused: " + cut(answer.body()));
        }
        boolean hasBody = !request.method().equals("HEAD") && answer.status() != 204;
        if (isPage(request, answer)) {
            return;
        }
        if (hasBody && !answer.contentType().startsWith("application/json")) {
            failures.add(what + " answered " + answer.contentType() + ": " + cut(answer.body()));
            return;
        }
        if (!hasBody) {
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (IOException e) {
            failures.add(what + " answered invalid JSON: " + cut(answer.body()));
            return;
        }
        if (answer.status() >= 400) {
            var error = body.path("error").asText("");
            if (error.isEmpty() || error.length() > 300 || error.contains("akka.")) {
                failures.add(what + " has a bad error message: " + cut(answer.body()));
            }
        }
        if (answer.status() == 200 && request.method().equals("POST") && body.has("cluster_password")) {
            var url = body.path("cluster_url").asText();
            created.put(url.substring(url.lastIndexOf('/') + 1), body.path("cluster_password").asText());
        }
    }

    /**
     * Every cluster listed was created by a request answered 200 and shows itself whole; then each
     * is deleted with its password and gone; {@code others} (made before the run) are left alone.
     * Returns what did not hold.
     */
    public List<String> checkAndCleanUp(Api api, java.util.Set<String> others) {
        var failures = new ArrayList<String>();
        var listed = api.get("/clusters").body().path("clusters");
        for (var cluster : listed) {
            var name = cluster.path("name").asText();
            if (others.contains(name)) {
                continue;
            }
            if (!created.containsKey(name)) {
                failures.add("cluster " + name + " exists but no create was answered 200: " + cluster);
                continue;
            }
            var shown = api.get("/clusters/" + name);
            int nodes = shown.body().path("num_nodes").asInt();
            if (shown.status() != 200 || nodes < 1 || nodes > 100 || shown.body().path("user").asText().isEmpty()
                    || !shown.body().path("size").has("mem")) {
                failures.add("cluster " + name + " is not whole: " + shown);
            }
        }
        if (listed.size() != created.size() + others.size()) {
            failures.add(created.size() + " clusters created, " + listed.size() + " listed");
        }
        for (var entry : created.entrySet()) {
            var deleted = api.delete("/clusters/" + entry.getKey(), Api.form("password", entry.getValue()));
            if (deleted.status() != 200) {
                failures.add("delete of " + entry.getKey() + " answered " + deleted);
            }
        }
        for (var name : created.keySet()) {
            try {
                api.awaitGone(name, Duration.ofSeconds(30));
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            }
        }
        return failures;
    }

    public int clustersCreated() {
        return created.size();
    }

    private record Answer(int status, String contentType, String body) {}

    private Answer send(RequestFuzzer.FuzzRequest request) throws IOException {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(60_000);
            var head = request.head() + "\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\nContent-Length: "
                    + request.body().length + "\r\n\r\n";
            var out = socket.getOutputStream();
            var received = new ByteArrayOutputStream();
            try {
                out.write(head.getBytes(StandardCharsets.UTF_8));
                out.write(request.body());
                out.flush();
            } catch (IOException e) {
                // The server answered (413, 431, 400) and closed before reading everything.
            }
            try {
                socket.getInputStream().transferTo(received);
            } catch (IOException e) {
                if (received.size() == 0) {
                    throw e;
                }
            }
            return parse(received.toString(StandardCharsets.UTF_8));
        }
    }

    private static Answer parse(String raw) throws IOException {
        var rest = raw;
        while (true) {
            int end = rest.indexOf("\r\n\r\n");
            if (end < 0) {
                throw new IOException("no complete answer: '" + cut(raw) + "'");
            }
            var lines = rest.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            if (status >= 100 && status < 200) {
                rest = rest.substring(end + 4);
                continue;
            }
            var contentType = "";
            for (var line : lines) {
                if (line.toLowerCase().startsWith("content-type:")) {
                    contentType = line.substring("content-type:".length()).trim();
                }
            }
            return new Answer(status, contentType, rest.substring(end + 4));
        }
    }

    private static String cut(String text) {
        var line = text.replaceAll("\\p{Cntrl}", "?");
        return line.length() > 120 ? line.substring(0, 120) + "..." : line;
    }
}

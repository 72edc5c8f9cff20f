package io.mysos.it.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A headless Chromium (Debian {@code chromium}; bin/test installs it) driven over the DevTools
 * protocol with the JDK's own WebSocket client: navigate, evaluate JavaScript in the page, take
 * screenshots. Closing it kills the browser and every process it started, and deletes its profile.
 */
final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts a browser showing about:blank, {@code width} x {@code height}; its log goes to {@code log}. */
    static Chromium start(int width, int height, Path log) throws Exception {
        var profile = Files.createTempDirectory("mysos-chromium-");
        var command = List.of(binary(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--window-size=" + width + "," + height, "about:blank");
        Files.createDirectories(log.getParent());
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            int port = devToolsPort(profile, process);
            var page = pageSocketUrl(port);
            var holder = new CompletableFuture<Chromium>();
            var socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(page), new Listener(holder)).get(30, TimeUnit.SECONDS);
            var chromium = new Chromium(process, profile, socket);
            holder.complete(chromium);
            chromium.call("Page.enable", JSON.createObjectNode());
            chromium.call("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", height)
                    .put("deviceScaleFactor", 1).put("mobile", false));
            return chromium;
        } catch (Exception | AssertionError e) {
            kill(process);
            deleteTree(profile);
            throw new AssertionError("chromium did not start; its log: " + log + "\n" + readQuietly(log), e);
        }
    }

    private static String binary() {
        for (var candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new AssertionError("no chromium: install Debian's chromium (bin/test does)");
    }

    /** Chromium writes the port it picked into DevToolsActivePort in its profile. */
    private static int devToolsPort(Path profile, Process process) throws Exception {
        var file = profile.resolve("DevToolsActivePort");
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                var lines = Files.readAllLines(file);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    return Integer.parseInt(lines.get(0).trim());
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("chromium exited with " + process.exitValue());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("chromium did not open its DevTools port in 60 s");
    }

    private static String pageSocketUrl(int port) throws Exception {
        var client = HttpClient.newHttpClient();
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var list = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (var target : JSON.readTree(list.body())) {
                if ("page".equals(target.path("type").asText())) {
                    return target.path("webSocketDebuggerUrl").asText();
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("chromium shows no page target");
    }

    /** One DevTools command; its result, or an AssertionError with the protocol's error. */
    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        var answer = new CompletableFuture<JsonNode>();
        pending.put(id, answer);
        var message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        var reply = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new AssertionError(method + " failed: " + reply.path("error"));
        }
        return reply.path("result");
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", JSON.createObjectNode().put("url", url));
    }

    /** The value of a JavaScript expression in the page (JSON-able values only). */
    JsonNode eval(String expression) throws Exception {
        var result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression).put("returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError(expression + " threw " + result.path("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Evaluates {@code expression} until {@code until} holds; fails with the last value after {@code timeout}. */
    JsonNode awaitValue(String expression, Predicate<JsonNode> until, Duration timeout) throws Exception {
        var deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = eval(expression);
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("after " + timeout.toSeconds() + " s, " + expression + " is still " + last);
    }

    void screenshot(Path file) throws Exception {
        var result = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(result.path("data").asText()));
    }

    @Override
    public void close() {
        socket.abort();
        kill(process);
        deleteTree(profile);
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    /** Collects the frames of each message and hands answers to whoever waits for them. */
    private static final class Listener implements WebSocket.Listener {
        private final CompletableFuture<Chromium> owner;
        private final StringBuilder message = new StringBuilder();

        Listener(CompletableFuture<Chromium> owner) {
            this.owner = owner;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                var text = message.toString();
                message.setLength(0);
                owner.thenAccept(chromium -> chromium.received(text));
            }
            webSocket.request(1);
            return null;
        }
    }

    private void received(String text) {
        try {
            var json = JSON.readTree(text);
            if (json.has("id")) {
                var waiting = pending.remove(json.path("id").asInt());
                if (waiting != null) {
                    waiting.complete(json);
                }
            }
        } catch (IOException e) {
            // not JSON: ignore
        }
    }
}

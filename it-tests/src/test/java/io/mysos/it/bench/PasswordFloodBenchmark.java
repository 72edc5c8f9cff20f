package io.mysos.it.bench;

import static io.mysos.it.local.Api.form;

import io.mysos.it.local.LocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * What a flood of wrong passwords costs everyone else, in local mode: {@code flood} concurrent
 * PATCH requests with a wrong password on one cluster, and meanwhile GET /health and a PATCH with
 * the right password on another cluster and on the attacked one, timed. Not a test: run it with
 * {@code bin/bench passwords [flood]}. Prints p50 and max latency before and during the flood, and
 * how the flood was answered (403 checked, 429 refused without a check).
 */
public final class PasswordFloodBenchmark {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PasswordFloodBenchmark() {}

    public static void main(String[] args) throws Exception {
        int flood = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        var dataDir = Files.createTempDirectory("mysos-bench-");
        try (var stack = LocalStack.startInProcess(dataDir)) {
            var base = "http://127.0.0.1:" + stack.api().port();
            var attacked = stack.api().create("attacked", form("cluster_user", "app"));
            var other = stack.api().create("other", form("cluster_user", "app"));

            var before = new Samples();
            for (int i = 0; i < 10; i++) {
                before.time("GET /health", () -> get(base + "/health"));
                before.time("PATCH other (right password)", () -> patch(base, "other", other));
            }

            long start = System.nanoTime();
            var answers = new ArrayList<CompletableFuture<HttpResponse<String>>>();
            for (int i = 0; i < flood; i++) {
                answers.add(CLIENT.sendAsync(patchRequest(base, "attacked", "wrong-password-" + i), HttpResponse.BodyHandlers.ofString()));
            }
            var during = new Samples();
            while (answers.stream().anyMatch(f -> !f.isDone()) || during.count() < 30) {
                during.time("GET /health", () -> get(base + "/health"));
                during.time("PATCH other (right password)", () -> patch(base, "other", other));
                during.time("PATCH attacked (right password)", () -> patch(base, "attacked", attacked));
            }
            double floodSeconds = (System.nanoTime() - start) / 1e9;
            var statuses = new TreeMap<Integer, Integer>();
            for (var f : answers) {
                statuses.merge(f.join().statusCode(), 1, Integer::sum);
            }

            System.out.printf("%d concurrent wrong passwords on one cluster, answered within %.1f s: %s (status: count)%n",
                    flood, floodSeconds, statuses);
            before.report("before the flood");
            during.report("during the flood");
        }
    }

    private static HttpRequest patchRequest(String base, String cluster, String password) {
        return HttpRequest.newBuilder(URI.create(base + "/clusters/" + cluster)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("num_nodes=1&password=" + password)).build();
    }

    private static int patch(String base, String cluster, String password) throws Exception {
        return CLIENT.send(patchRequest(base, cluster, password), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static int get(String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** Latencies and statuses per kind of request. */
    private static final class Samples {
        private final Map<String, List<Double>> millis = new TreeMap<>();
        private final Map<String, Map<Integer, Integer>> statuses = new TreeMap<>();

        interface Call {
            int run() throws Exception;
        }

        void time(String what, Call call) throws Exception {
            long start = System.nanoTime();
            int status = call.run();
            millis.computeIfAbsent(what, k -> new ArrayList<>()).add((System.nanoTime() - start) / 1e6);
            statuses.computeIfAbsent(what, k -> new TreeMap<>()).merge(status, 1, Integer::sum);
        }

        int count() {
            return millis.values().stream().mapToInt(List::size).min().orElse(0);
        }

        void report(String when) {
            System.out.println(when + ":");
            millis.forEach((what, list) -> {
                var sorted = new ArrayList<>(list);
                Collections.sort(sorted);
                System.out.printf("  %-32s n=%3d  p50 %7.1f ms  max %7.1f ms  status %s%n", what, sorted.size(),
                        sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), statuses.get(what));
            });
        }
    }
}

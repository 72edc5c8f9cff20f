package io.mysos.it.bench;

import static io.mysos.it.local.Api.form;

import io.mysos.it.local.Api;
import io.mysos.it.local.LocalStack;
import io.mysos.it.local.Sql;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How long from POST /clusters/{name} until the master accepts a write, in local mode with real
 * mysqld, for 1-node and 3-node clusters. Not a test: run it with {@code bin/bench readiness [runs]}.
 * Prints p50 and max per size, and where the time goes: until the API shows the master running
 * (placement, data dir init, mysqld start), until the master takes a write (promotion), and until
 * the whole cluster is RUNNING (replicas replicating).
 */
public final class ReadinessBenchmark {
    private ReadinessBenchmark() {}

    private record Run(double masterRunning, double masterWritable, double clusterRunning) {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        var dataDir = Files.createTempDirectory("mysos-bench-");
        try (var stack = LocalStack.startInProcess(dataDir)) {
            var api = stack.api();
            measure(api, 1, 1); // warm-up: JIT, page cache for the server binaries
            for (int nodes : new int[] {1, 3}) {
                var results = new ArrayList<Run>();
                for (int i = 0; i < runs; i++) {
                    results.add(measure(api, nodes, i + 2));
                }
                report(nodes, results);
            }
        }
    }

    private static Run measure(Api api, int nodes, int round) throws Exception {
        var name = "bench" + nodes + "n" + round + "r" + System.nanoTime() % 100000;
        long start = System.nanoTime();
        var password = api.create(name, form("cluster_user", "app", "num_nodes", String.valueOf(nodes)));
        var cluster = api.awaitCluster(name, Duration.ofSeconds(120),
                c -> "RUNNING".equals(c.path("master").path("state").asText()));
        double masterRunning = seconds(start);
        var master = cluster.path("master");
        while (true) {
            try {
                Sql.execute(master, "app", password, "CREATE DATABASE IF NOT EXISTS bench",
                        "CREATE TABLE IF NOT EXISTS bench.t (id INT PRIMARY KEY)", "REPLACE INTO bench.t VALUES (1)");
                break;
            } catch (java.sql.SQLException e) {
                if (System.nanoTime() - start > Duration.ofSeconds(120).toNanos()) {
                    throw e;
                }
                Thread.sleep(10);
            }
        }
        double masterWritable = seconds(start);
        api.awaitRunning(name, Duration.ofSeconds(120));
        double clusterRunning = seconds(start);
        api.delete("/clusters/" + name, form("password", password));
        api.awaitGone(name, Duration.ofSeconds(60));
        return new Run(masterRunning, masterWritable, clusterRunning);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static void report(int nodes, List<Run> runs) {
        System.out.printf("%d-node cluster, %d runs (seconds from POST):%n", nodes, runs.size());
        line("master shown running", runs.stream().map(Run::masterRunning).toList());
        line("master accepts a write", runs.stream().map(Run::masterWritable).toList());
        line("cluster RUNNING", runs.stream().map(Run::clusterRunning).toList());
    }

    private static void line(String what, List<Double> values) {
        var sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double p50 = sorted.get((sorted.size() - 1) / 2);
        double max = sorted.get(sorted.size() - 1);
        System.out.printf("  %-24s p50 %6.2f  max %6.2f  all %s%n", what, p50, max,
                sorted.stream().map(v -> String.format("%.2f", v)).toList());
    }
}

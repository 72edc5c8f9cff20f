package io.mysos.it.bench;

import static io.mysos.it.local.Api.form;

import io.mysos.it.local.Api;
import io.mysos.it.local.LocalStack;
import io.mysos.it.local.Processes;
import io.mysos.it.local.Sql;
import io.mysos.it.local.Writer;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;

/**
 * Failover time of a 3-node semi-sync cluster in local mode: kill -9 of the master's mysqld until
 * the first successful write on the new master, with the client finding the master through the
 * API, over N failovers (default 10). Prints p50, p95 and max, where the time goes (detection:
 * kill to MasterLost; election and promotion: MasterLost to the new master writable; discovery:
 * the rest, the client noticing through the API), and acknowledged writes lost.
 * Run it with {@code bin/bench failover [n]}.
 */
public final class FailoverBenchmark {
    private FailoverBenchmark() {}

    private record Round(double total, double detection, double promotion, double discovery) {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        var dataDir = Files.createTempDirectory("mysos-bench-failover-");
        try (var stack = LocalStack.startInProcess(dataDir)) {
            var api = stack.api();
            var password = api.create("bench", form("cluster_user", "app", "num_nodes", "3"));
            var cluster = api.awaitRunning("bench", Duration.ofSeconds(90));
            var results = new ArrayList<Round>();
            List<Long> acknowledged;
            try (var writer = new Writer(api, "bench", password)) {
                for (int i = 0; i < rounds; i++) {
                    writer.awaitProgress(50);
                    var old = cluster.path("master").path("task_id").asText();
                    var mysqld = Processes.mysqldUnder(dataDir.resolve("instances").resolve(old));
                    var killedAt = Instant.now();
                    long start = System.nanoTime();
                    mysqld.forEach(ProcessHandle::destroyForcibly);
                    api.awaitNewWritableMaster("bench", password, old, Duration.ofSeconds(90));
                    double total = (System.nanoTime() - start) / 1e9;
                    cluster = api.awaitCluster("bench", Duration.ofSeconds(90), c -> "RUNNING".equals(c.path("state").asText())
                            && c.path("replicas").toString().split("\"RUNNING\"").length - 1 >= 2);
                    var failover = cluster.path("last_failover");
                    double detection = Duration.between(killedAt, Instant.parse(failover.path("started_at").asText())).toMillis() / 1e3;
                    double promotion = failover.path("millis").asLong() / 1e3;
                    results.add(new Round(total, detection, promotion, Math.max(0, total - detection - promotion)));
                    System.out.printf("failover %2d: %.3f s (detection %.3f, election+promotion %.3f)%n", i + 1, total, detection, promotion);
                }
                writer.awaitProgress(50);
                writer.close();
                acknowledged = writer.acknowledged();
            }
            var rows = new HashSet<>(Sql.ids(cluster.path("master"), "app", password, "shop.writes"));
            long lost = acknowledged.stream().filter(id -> !rows.contains(id)).count();
            System.out.printf("%d failovers of a 3-node semi-sync cluster (seconds, kill -9 of the master's mysqld to first write on the new master):%n", rounds);
            line("total", results.stream().map(Round::total).toList());
            line("detection", results.stream().map(Round::detection).toList());
            line("election+promotion", results.stream().map(Round::promotion).toList());
            line("client discovery", results.stream().map(Round::discovery).toList());
            System.out.printf("acknowledged writes: %d, lost: %d%n", acknowledged.size(), lost);
        }
    }

    private static void line(String what, List<Double> values) {
        var sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double p50 = sorted.get((sorted.size() - 1) / 2);
        double p95 = sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1);
        System.out.printf("  %-20s p50 %6.3f  p95 %6.3f  max %6.3f%n", what, p50, p95, sorted.get(sorted.size() - 1));
    }
}

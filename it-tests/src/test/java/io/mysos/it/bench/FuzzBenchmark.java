package io.mysos.it.bench;

import static io.mysos.it.local.Api.form;

import io.mysos.core.resources.Resources;
import io.mysos.it.fuzz.FuzzRun;
import io.mysos.it.local.LocalStack;
import io.mysos.it.local.Processes;
import java.nio.file.Files;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * Fuzzes {@code mysos local} running as its own process: {@code bin/bench fuzz [requests] [seed]}.
 * One real cluster runs throughout (it takes every resource offered, so fuzzed creates stay
 * pending and start no mysqld); afterwards its mysqld must be the same process, Mysos must still
 * run, no answer may be 5xx, and every fuzzed cluster must be whole and get deleted.
 * Prints the figures and exits non-zero if anything did not hold.
 */
public final class FuzzBenchmark {
    private FuzzBenchmark() {}

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : System.currentTimeMillis();
        var dataDir = Files.createTempDirectory("mysos-fuzz-bench-");
        boolean ok;
        try (var stack = LocalStack.startExternal(dataDir, Resources.DEFAULT_INSTANCE)) {
            stack.api().create("keep", form("cluster_user", "app"));
            stack.api().awaitRunning("keep", Duration.ofSeconds(120));
            var pids = Processes.mysqldUnder(dataDir).stream().map(ProcessHandle::pid).collect(Collectors.toSet());
            System.out.println("fuzz: seed " + seed + ", " + requests + " requests; cluster 'keep' runs as mysqld " + pids);

            var run = new FuzzRun(stack.apiPort());
            var result = run.run(seed, requests, stack::mysosAlive);
            System.out.println("fuzz: " + result.summary());
            result.examples().forEach((status, example) -> System.out.println("fuzz: e.g. " + example));
            System.out.println("fuzz: " + run.clustersCreated() + " clusters created by valid fuzzed requests");
            var cleanUp = run.checkAndCleanUp(stack.api(), java.util.Set.of("keep"));
            System.out.println("fuzz: consistency and clean-up: " + (cleanUp.isEmpty() ? "every cluster whole, all deleted" : cleanUp));
            ok = result.failures().isEmpty() && result.serverErrors() == 0 && cleanUp.isEmpty();

            var after = Processes.mysqldUnder(dataDir).stream().map(ProcessHandle::pid).collect(Collectors.toSet());
            boolean same = after.equals(pids) && stack.mysosAlive();
            System.out.println("fuzz: Mysos alive " + stack.mysosAlive() + ", mysqld of 'keep' " + after
                    + (same ? " (unchanged)" : " (CHANGED)"));
            ok &= same;
        }
        System.out.println(ok ? "fuzz: PASSED" : "fuzz: FAILED");
        System.exit(ok ? 0 : 1);
    }
}

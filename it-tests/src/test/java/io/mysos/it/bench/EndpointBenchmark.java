package io.mysos.it.bench;

import static io.mysos.it.local.Api.form;

import com.fasterxml.jackson.databind.JsonNode;
import io.mysos.endpoints.ApiFollower;
import io.mysos.endpoints.EndpointForwarder;
import io.mysos.endpoints.Role;
import io.mysos.it.local.Api;
import io.mysos.it.local.LocalStack;
import io.mysos.it.local.Processes;
import io.mysos.it.local.Sql;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * The read-write endpoint against the master itself, in one run: sysbench oltp_read_write (4 threads by default) after a
 * 10 s warm-up of each arm, then rounds (default 2) in which the master, the endpoint and, when haproxy is
 * installed, HAProxy in TCP mode in front of the master each take 20 s, in an order that rotates: throughput
 * against the master's in the same round, the p99 latency added, and the CPU time the proxy (the endpoints'
 * event loop threads; haproxy's process) and the master's mysqld spend per transaction, which a busy machine
 * disturbs far less than throughput. Then the outage on kill -9 of the master (default 5 failovers), seen from
 * the client's side through the endpoint: by a JDBC writer (from the kill to its next acknowledged insert) and
 * by sysbench reconnecting by itself ({@code sysbench/oltp_read_write_reconnect.lua}: seconds of its 1-second
 * reports without a transaction). Run it with {@code bin/bench endpoints [rounds] [failovers] [threads]}.
 */
public final class EndpointBenchmark {
    private EndpointBenchmark() {}

    private record Run(double tps, double p99) {}

    /** sysbench's figures, and the CPU time the proxy and the master's mysqld spent per transaction meanwhile. */
    private record Measured(Run run, double proxyCpuMicros, double mysqldCpuMicros) {}

    /**
     * One way to the master, the CPU time its proxy has used so far (nanoseconds; none for the master itself),
     * and what sysbench measured through it in each round.
     */
    private record Arm(String name, String address, java.util.function.LongSupplier proxyCpu, List<Measured> runs) {
        Arm(String name, String address, java.util.function.LongSupplier proxyCpu) {
            this(name, address, proxyCpu, new ArrayList<>());
        }
    }

    /** CPU time of the endpoints' event loops in this process (the in-process Mysos forwards), nanoseconds. */
    private static long endpointCpu() {
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("mysos-endpoints")) {
                sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    private static long processCpu(List<ProcessHandle> processes) {
        return processes.stream().mapToLong(p -> p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L)).sum();
    }

    /** sysbench's client threads: 4 saturate two cores; 1 or 2 leave them room. */
    private static int threads = 4;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int failovers = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        var dataDir = Files.createTempDirectory("mysos-bench-endpoints-");
        try (var stack = LocalStack.startInProcess(dataDir)) {
            var api = stack.api();
            var created = api.post("/clusters/bench", form("cluster_user", "app", "num_nodes", "3"));
            var password = created.body().path("cluster_password").asText();
            var rw = created.body().path("endpoints").path("read_write").asText();
            var cluster = api.awaitRunning("bench", Duration.ofSeconds(90));
            var master = cluster.path("master");
            var direct = master.path("host").asText() + ":" + master.path("port").asInt();
            Sql.execute(master, "app", password, "CREATE DATABASE IF NOT EXISTS sbtest");
            sysbench(direct, password, List.of("--tables=4", "--table-size=20000", "prepare"));
            // The arms: the master itself, the read-write endpoint, and (when haproxy is installed) HAProxy in TCP
            // mode in front of the master: what a real proxy costs on the same machine, in the same run.
            // The same endpoint forwarded by the kernel (mysos router's parts, --forwarding kernel, following the API).
            var kernel = EndpointForwarder.start("bench", "127.0.0.1", 0, 0, Duration.ofSeconds(10), EndpointForwarder.Forwarding.KERNEL)
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            var follower = ApiFollower.start(URI.create("http://127.0.0.1:" + api.port()), "bench", kernel::update);
            var viaKernel = "127.0.0.1:" + kernel.port(Role.READ_WRITE);
            try {
                var arms = new ArrayList<Arm>(List.of(new Arm("master", direct, () -> 0), new Arm("endpoint", rw, EndpointBenchmark::endpointCpu),
                        new Arm("kernel-endpoint", viaKernel, EndpointBenchmark::endpointCpu)));
                var haproxy = HaProxy.startInFrontOf(direct, dataDir);
                var masterDir = dataDir.resolve("instances").resolve(master.path("task_id").asText());
                try {
                    haproxy.ifPresent(h -> arms.add(new Arm("haproxy", h.address(), () -> processCpu(List.of(h.process().toHandle())))));
                    throughput(arms, rounds, password, () -> processCpu(Processes.mysqldUnder(masterDir)));
                } finally {
                    haproxy.ifPresent(HaProxy::stop);
                }
                failovers(api, dataDir, password, failovers, List.of(rw, viaKernel));
            } finally {
                follower.close();
                kernel.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        } finally {
            Processes.removeDataDir(dataDir);
        }
    }

    /** {@code failovers} kills of the master, observed in turn through each of {@code endpoints}. */
    private static void failovers(Api api, java.nio.file.Path dataDir, String password, int failovers, List<String> endpoints)
            throws Exception {
        var gaps = new java.util.TreeMap<String, List<Double>>();
        var zeroSeconds = new java.util.TreeMap<String, List<Integer>>();
        for (int i = 0; i < failovers; i++) {
            var rw = endpoints.get(i % endpoints.size());
            var cluster = api.awaitCluster("bench", Duration.ofSeconds(90), c -> "RUNNING".equals(c.path("state").asText())
                    && c.path("replicas").toString().split("\"RUNNING\"").length - 1 >= 2);
            var outage = outage(api, dataDir, cluster, rw, password);
            gaps.computeIfAbsent(rw, k -> new ArrayList<>()).add(outage.gap());
            zeroSeconds.computeIfAbsent(rw, k -> new ArrayList<>()).add(outage.zeroSeconds());
            System.out.printf("failover %d: a JDBC writer through the endpoint at " + rw + " wrote again %.3f s after the kill; "
                    + "sysbench had %d second(s) without a transaction (tps around the kill at 8 s: %s)%n", i + 1, outage.gap(),
                    outage.zeroSeconds(), outage.around());
        }
        for (var each : gaps.entrySet()) {
            var sorted = new ArrayList<>(each.getValue());
            Collections.sort(sorted);
            System.out.printf("outage through the endpoint at %s (%s; kill -9 of the master to the next acknowledged write), %d failovers: "
                    + "p50 %.3f s, p95 %.3f s, max %.3f s; sysbench seconds without a transaction: %s%n", each.getKey(),
                    each.getKey().equals(endpoints.get(0)) ? "user space" : "kernel", sorted.size(), percentile(sorted, 50),
                    percentile(sorted, 95), sorted.get(sorted.size() - 1), zeroSeconds.get(each.getKey()));
        }
    }

    /**
     * A warm-up through each arm (the endpoint's code is compiled by the JIT meanwhile, as in a long-running
     * router), then rounds in which every arm runs once, in an order that rotates from round to round; each
     * arm's figures are compared with the master's of the same round.
     */
    private static void throughput(List<Arm> arms, int rounds, String password, java.util.function.LongSupplier mysqldCpu)
            throws Exception {
        if (rounds == 0) {
            return;
        }
        for (var arm : arms) {
            sysbench(arm.address(), password, load(10));
        }
        var master = arms.get(0);
        for (int i = 0; i < rounds; i++) {
            var line = new StringBuilder("round " + (i + 1) + " (load " + load() + "):");
            for (int k = 0; k < arms.size(); k++) {
                var arm = arms.get((i + k) % arms.size());
                long proxyBefore = arm.proxyCpu().getAsLong();
                long mysqldBefore = mysqldCpu.getAsLong();
                var output = sysbench(arm.address(), password, load(20));
                double transactions = transactions(output);
                var measured = new Measured(parse(output), (arm.proxyCpu().getAsLong() - proxyBefore) / 1e3 / transactions,
                        (mysqldCpu.getAsLong() - mysqldBefore) / 1e3 / transactions);
                arm.runs().add(measured);
                line.append(String.format(" %s %.1f tps p99 %.2f ms (cpu per transaction: proxy %.0f us, mysqld %.0f us);", arm.name(),
                        measured.run().tps(), measured.run().p99(), measured.proxyCpuMicros(), measured.mysqldCpuMicros()));
            }
            for (var arm : arms.subList(1, arms.size())) {
                line.append(String.format(" %s/master %.3f;", arm.name(), arm.runs().get(i).run().tps() / master.runs().get(i).run().tps()));
            }
            System.out.println(line);
        }
        System.out.printf("sysbench oltp_read_write, %d threads, %d rounds of 20 s, medians [min-max]:%n", threads, rounds);
        System.out.printf("  master %s tps, p99 %s ms; mysqld cpu per transaction %s us%n", spread(master, m -> m.run().tps(), "%.1f"),
                spread(master, m -> m.run().p99(), "%.2f"), spread(master, Measured::mysqldCpuMicros, "%.0f"));
        for (var arm : arms.subList(1, arms.size())) {
            var ratios = new ArrayList<Double>();
            var added = new ArrayList<Double>();
            for (int i = 0; i < rounds; i++) {
                ratios.add(arm.runs().get(i).run().tps() / master.runs().get(i).run().tps());
                added.add(arm.runs().get(i).run().p99() - master.runs().get(i).run().p99());
            }
            System.out.printf("  %s %s tps, p99 %s ms; throughput / master's in the same round %s; p99 added %s ms; "
                    + "cpu per transaction: %s %s us, mysqld %s us%n", arm.name(), spread(arm, m -> m.run().tps(), "%.1f"),
                    spread(arm, m -> m.run().p99(), "%.2f"), spread(ratios, "%.3f"), spread(added, "%.2f"), arm.name(),
                    spread(arm, Measured::proxyCpuMicros, "%.0f"), spread(arm, Measured::mysqldCpuMicros, "%.0f"));
        }
    }

    private static String spread(Arm arm, java.util.function.ToDoubleFunction<Measured> figure, String format) {
        return spread(arm.runs().stream().map(m -> figure.applyAsDouble(m)).toList(), format);
    }

    private static double transactions(String output) {
        var m = Pattern.compile("transactions:\\s+(\\d+) ").matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("unexpected sysbench output: " + output);
        }
        return Double.parseDouble(m.group(1));
    }

    /** "median [min-max]" of the values. */
    private static String spread(List<Double> values, String format) {
        var sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double median = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        return String.format(format + " [" + format + "-" + format + "]", median, sorted.get(0), sorted.get(sorted.size() - 1));
    }

    /** HAProxy in TCP mode (haproxy -db, in the foreground), forwarding one port to the master. */
    private record HaProxy(Process process, String address) {
        static java.util.Optional<HaProxy> startInFrontOf(String target, java.nio.file.Path dir) throws Exception {
            var binary = java.util.stream.Stream.of("/usr/sbin/haproxy", "/usr/local/sbin/haproxy")
                    .filter(b -> Files.isExecutable(java.nio.file.Path.of(b))).findFirst();
            if (binary.isEmpty()) {
                System.out.println("haproxy is not installed: no HAProxy arm (apt-get install haproxy)");
                return java.util.Optional.empty();
            }
            int port = io.mysos.it.local.Ports.free();
            var config = dir.resolve("haproxy.cfg");
            Files.writeString(config, String.join("\n", "global", "  maxconn 1000", "defaults", "  mode tcp",
                    "  timeout connect 5s", "  timeout client 1h", "  timeout server 1h", "listen master",
                    "  bind 127.0.0.1:" + port, "  server master " + target, ""));
            var process = new ProcessBuilder(binary.get(), "-db", "-f", config.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (io.mysos.it.local.Ports.isFree(port)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("haproxy did not listen: " + Files.readString(dir.resolve("haproxy.log")));
                }
                Thread.sleep(20);
            }
            return java.util.Optional.of(new HaProxy(process, "127.0.0.1:" + port));
        }

        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Outage(double gap, int zeroSeconds, String around) {}

    /** Kills the master 8 s into a 30 s sysbench run through the endpoint, with a JDBC writer timing its own gap. */
    private static Outage outage(Api api, java.nio.file.Path dataDir, JsonNode cluster, String rw, String password)
            throws Exception {
        var running = new AtomicBoolean(true);
        var lastAck = new long[] {System.nanoTime()};
        var longest = new double[] {0};
        var killedAt = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        // SIGKILL takes a moment: an insert the old master acknowledged meanwhile does not end the outage.
        var deadAt = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        var firstAckAfterKill = new java.util.concurrent.atomic.AtomicLong();
        var errors = new java.util.concurrent.ConcurrentSkipListSet<String>();
        var writer = new Thread(() -> {
            java.sql.Connection c = null;
            long id = System.nanoTime();
            while (running.get()) {
                try {
                    if (c == null) {
                        c = DriverManager.getConnection("jdbc:mysql://" + rw + "/sbtest?useSSL=false&allowPublicKeyRetrieval=true"
                                + "&connectTimeout=15000&socketTimeout=15000", "app", password);
                        c.createStatement().execute("CREATE TABLE IF NOT EXISTS probe (id BIGINT PRIMARY KEY)");
                    }
                    c.createStatement().executeUpdate("INSERT INTO probe VALUES (" + (id++) + ")");
                    long now = System.nanoTime();
                    longest[0] = Math.max(longest[0], (now - lastAck[0]) / 1e9);
                    lastAck[0] = now;
                    if (firstAckAfterKill.get() == 0 && now > deadAt.get()) {
                        firstAckAfterKill.set(now);
                    }
                } catch (Exception e) {
                    if (errors.size() < 5) {
                        errors.add(String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                    }
                    try {
                        if (c != null) {
                            c.close();
                        }
                    } catch (Exception ignored) {
                        // dead
                    }
                    c = null;
                }
            }
        }, "probe");
        writer.start();
        // Debian's sysbench 1.0.20 (libmariadb) segfaults on a lost connection with --mysql-ignore-errors, listed
        // or "all": oltp_read_write_reconnect.lua reconnects in Lua, with a fresh handle.
        var script = java.nio.file.Path.of(EndpointBenchmark.class.getResource("/sysbench/oltp_read_write_reconnect.lua").toURI());
        var args = new ArrayList<>(command(rw, password, List.of("--threads=4", "--time=30", "--report-interval=1", "run")));
        args.set(1, script.toString());
        var sysbench = new ProcessBuilder(args).redirectErrorStream(true).start();
        Thread.sleep(8_000);
        var old = cluster.path("master").path("task_id").asText();
        var mysqld = Processes.mysqldUnder(dataDir.resolve("instances").resolve(old));
        if (mysqld.isEmpty()) {
            throw new IllegalStateException("no mysqld runs for the master " + old);
        }
        killedAt.set(System.nanoTime());
        mysqld.forEach(ProcessHandle::destroyForcibly);
        for (var process : mysqld) {
            process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        deadAt.set(System.nanoTime());
        var output = new String(sysbench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        sysbench.waitFor();
        // sysbench may end early (Debian's 1.0.20 on libmariadb can crash on a lost connection): the
        // writer goes on until it has written again, or 20 s after the kill.
        while (firstAckAfterKill.get() == 0 && System.nanoTime() - killedAt.get() < 20_000_000_000L) {
            Thread.sleep(10);
        }
        running.set(false);
        writer.join(20_000);
        var report = Pattern.compile("\\[ (\\d+)s \\] thds: \\d+ tps: ([0-9.]+)");
        int zero = 0;
        int reports = 0;
        var around = new StringBuilder();
        var m = report.matcher(output);
        while (m.find()) {
            int second = Integer.parseInt(m.group(1));
            reports++;
            if (second > 8 && Double.parseDouble(m.group(2)) == 0) {
                zero++;
            }
            if (second >= 7 && second <= 12) {
                around.append(second).append("s:").append(m.group(2)).append(' ');
            }
        }
        if (reports < 29 || sysbench.exitValue() != 0) {
            around.append("(sysbench stopped early, exit ").append(sysbench.exitValue()).append(", ").append(reports)
                    .append(" reports: ").append(output.lines().filter(l -> l.contains("FATAL")).findFirst().orElse("")).append(')');
        }
        output.lines().filter(l -> l.contains("FATAL")).limit(3).forEach(l -> around.append(" | ").append(l));
        if (!errors.isEmpty()) {
            around.append(" | probe errors: ").append(errors);
        }
        double outage = firstAckAfterKill.get() == 0 ? Double.NaN : (firstAckAfterKill.get() - killedAt.get()) / 1e9;
        return new Outage(outage, zero, around.toString().trim());
    }

    /** The machine's load average over the last minute, as uptime shows it. */
    private static String load() {
        try {
            return Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static List<String> load(int seconds) {
        return List.of("--threads=" + threads, "--time=" + seconds, "--percentile=99", "run");
    }

    private static List<String> command(String address, String password, List<String> rest) {
        var command = new ArrayList<>(List.of("sysbench", "oltp_read_write", "--db-driver=mysql",
                "--mysql-host=" + address.substring(0, address.lastIndexOf(':')),
                "--mysql-port=" + address.substring(address.lastIndexOf(':') + 1), "--mysql-user=app",
                "--mysql-password=" + password, "--mysql-db=sbtest", "--tables=4", "--table-size=20000"));
        command.addAll(rest);
        return command;
    }

    private static String sysbench(String address, String password, List<String> rest) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command(address, password, rest)).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("sysbench failed: " + output);
        }
        return output;
    }

    private static Run parse(String output) {
        var tps = Pattern.compile("transactions:\\s+\\d+\\s+\\(([0-9.]+) per sec").matcher(output);
        var p99 = Pattern.compile("99th percentile:\\s+([0-9.]+)").matcher(output);
        if (!tps.find() || !p99.find()) {
            throw new IllegalStateException("unexpected sysbench output: " + output);
        }
        return new Run(Double.parseDouble(tps.group(1)), Double.parseDouble(p99.group(1)));
    }

    private static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}

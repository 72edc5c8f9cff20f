package io.mysos.it.local;

import static io.mysos.it.local.Api.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code mysos router} as users run it: the distribution's jar ({@code java -jar dist/target/mysos.jar
 * router --api ... --cluster ...}, built by the reactor's package phase) in a process of its own, next
 * to a {@code mysos local} with real mysqld. A writer that knows only the router's read-write port keeps
 * writing across a kill -9 of the master, and every row it was acknowledged is on the new master.
 */
class RouterProcessTest {
    private static final Duration READY = Duration.ofSeconds(90);
    private static final Path JAR = Path.of("..", "dist", "target", "mysos.jar").toAbsolutePath().normalize();

    @Test
    void theRouterProcessFollowsTheMasterThroughAKill() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing: it is built by the package phase (bin/test, or mvn verify)");
        var dataDir = Files.createTempDirectory("mysos-router-");
        var log = dataDir.resolve("router.log");
        LocalStack stack = null;
        Process router = null;
        try {
            stack = LocalStack.startInProcess(dataDir);
            var api = stack.api();
            var password = api.create("rt", form("cluster_user", "app", "num_nodes", "3"));
            var cluster = api.awaitRunning("rt", READY);

            var java = ProcessHandle.current().info().command().orElse("java");
            router = new ProcessBuilder(java, "-jar", JAR.toString(), "router", "--api", "http://127.0.0.1:" + api.port(),
                    "--cluster", "rt", "--listen-rw", "0", "--listen-ro", "0", "--forwarding", "kernel")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            var rw = awaitReadWriteAddress(log, router);

            try (var writer = new EndpointWriter(rw, password, 1)) {
                writer.awaitProgress(20);
                var old = cluster.path("master").path("task_id").asText();
                FailoverTest.killMysqld(dataDir, old);
                cluster = api.awaitCluster("rt", READY, c -> !old.equals(c.path("master").path("task_id").asText())
                        && "RUNNING".equals(c.path("state").asText()));
                writer.awaitProgress(20);
                writer.close();
                var newMaster = cluster.path("master");
                var rows = new TreeSet<Long>();
                var ports = new TreeSet<Integer>();
                try (var c = Sql.connect(newMaster, "app", password); var s = c.createStatement();
                     var r = s.executeQuery("SELECT id, port FROM shop.writes")) {
                    while (r.next()) {
                        rows.add(r.getLong(1));
                        ports.add(r.getInt(2));
                    }
                }
                var missing = new ArrayList<>(writer.acknowledged());
                missing.removeAll(rows);
                assertEquals(List.of(), missing, "rows acknowledged through the router, missing on the new master");
                assertTrue(ports.contains(newMaster.path("port").asInt()) && ports.size() >= 2,
                        "the router's writes went to the old master, then to the new one: " + ports);
            }
            assertTrue(Files.readString(log).contains("Endpoints forward with Netty's native epoll transport"),
                    "mysos.jar ships Netty's native epoll library, and the router loads it: " + Files.readString(log));
            assertTrue(Files.readString(log).contains("connections from this host are forwarded by the kernel (nftables table mysos_"
                    + rw.substring(rw.lastIndexOf(':') + 1) + "_"), Files.readString(log));
            router.destroy();
            assertTrue(router.waitFor(20, TimeUnit.SECONDS), "mysos router stops on SIGTERM");
            var nft = new ProcessBuilder("nft", "list", "tables").redirectErrorStream(true).start();
            var tables = new String(nft.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(!tables.contains("mysos_" + rw.substring(rw.lastIndexOf(':') + 1) + "_"),
                    "a stopped router leaves no table: " + tables);
        } finally {
            if (router != null) {
                router.destroy();
                if (!router.waitFor(20, TimeUnit.SECONDS)) {
                    router.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            LocalStack.closeAndRemove(stack, dataDir);
        }
    }

    /** The router prints where it listens once it does: "... read-write on 127.0.0.1:PORT, ...". */
    private static String awaitReadWriteAddress(Path log, Process router) throws Exception {
        var line = Pattern.compile("read-write on (\\S+):(\\d+),");
        var deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            var text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            var m = line.matcher(text);
            if (m.find()) {
                return m.group(1) + ":" + m.group(2);
            }
            if (!router.isAlive()) {
                throw new AssertionError("mysos router exited with " + router.exitValue() + ": " + text);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("mysos router did not say where it listens: " + Files.readString(log));
    }
}

package io.mysos.it.local;

import static io.mysos.it.local.Api.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code mysos local} as its own process, ended in each way it can end: only an explicit stop
 * (SIGTERM, Ctrl-C's SIGINT) without {@code --leave-running} stops the instances; a hostile request,
 * an exit through the JVM's shutdown hooks without a stop signal (SIGHUP: the same path as Akka's
 * exit on a fatal error) or kill -9 leave every mysqld running, and the next start adopts them.
 */
class StopTest {
    private static final Duration READY = Duration.ofSeconds(90);
    private Path dataDir;
    private LocalStack stack;

    @BeforeEach
    void createDataDir() throws Exception {
        dataDir = Files.createTempDirectory("mysos-stop-");
    }

    @AfterEach
    void stop() throws Exception {
        LocalStack.closeAndRemove(stack, dataDir);
    }

    private Set<Long> mysqldPids() {
        return Processes.mysqldUnder(dataDir).stream().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /** A running 2-node cluster; returns its mysqld pids. */
    private Set<Long> runningCluster() {
        stack.api().create("orders", form("cluster_user", "app", "num_nodes", "2"));
        var cluster = stack.api().awaitCluster("orders", READY,
                c -> "RUNNING".equals(c.path("state").asText()) && c.path("replicas").size() == 1
                        && "RUNNING".equals(c.path("replicas").get(0).path("state").asText()));
        assertEquals("RUNNING", cluster.path("master").path("state").asText());
        var pids = mysqldPids();
        assertEquals(2, pids.size());
        return pids;
    }

    private void assertAdopted(Set<Long> pids) {
        stack.api().awaitCluster("orders", READY, c -> "RUNNING".equals(c.path("state").asText())
                && c.path("replicas").size() == 1 && "RUNNING".equals(c.path("replicas").get(0).path("state").asText()));
        assertEquals(pids, mysqldPids(), "the same mysqld processes were adopted, none restarted");
    }

    private int postJson(String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort() + "/clusters/deep"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private int apiPort() {
        return stack.apiPort();
    }

    @Test
    void deepJsonIsRefusedAndNeitherMysosNorAnyMysqldStops() throws Exception {
        stack = LocalStack.startExternal(dataDir);
        var pids = runningCluster();
        // Before the limits, 30,000 levels overflowed the stack and Akka exited the JVM, whose
        // shutdown hook then stopped every mysqld.
        // Bodies within the 64 KiB limit, so that the depth limit is what refuses them (larger
        // ones are refused with 413 as they arrive: HostileInputTest).
        for (int depth : List.of(2_000, 10_000)) {
            assertEquals(400, postJson("{\"a\":".repeat(depth) + "1" + "}".repeat(depth)));
        }
        for (int depth : List.of(2_000, 20_000, 30_000)) {
            assertEquals(400, postJson("{\"size\":" + "[".repeat(depth) + "]".repeat(depth) + "}"));
        }
        assertTrue(stack.mysosAlive(), "mysos local still runs");
        assertEquals(200, stack.api().get("/health").status());
        assertEquals(pids, mysqldPids());
    }

    @Test
    void anExitWithoutAStopSignalLeavesEveryMysqldRunning() throws Exception {
        stack = LocalStack.startExternal(dataDir);
        var pids = runningCluster();

        int exit = stack.signalMysos("HUP");
        assertEquals(129, exit, "the JVM exited through its shutdown hooks");
        assertEquals(pids, mysqldPids(), "a crash never stops the instances");

        stack.startExternal();
        assertAdopted(pids);

        // An explicit stop still stops them.
        assertEquals(143, stack.signalMysos("TERM"));
        assertTrue(mysqldPids().isEmpty(), "SIGTERM stops every mysqld: " + mysqldPids());
    }

    @Test
    void sigtermWithLeaveRunningKeepsTheInstancesAndWithoutItStopsThem() throws Exception {
        stack = LocalStack.startExternal(dataDir, "--leave-running");
        var pids = runningCluster();

        assertEquals(143, stack.signalMysos("TERM"));
        assertEquals(pids, mysqldPids(), "--leave-running: SIGTERM leaves every mysqld running");

        stack.startExternal();
        assertAdopted(pids);

        assertEquals(130, stack.signalMysos("INT"));
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!mysqldPids().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(mysqldPids().isEmpty(), "Ctrl-C without --leave-running stops every mysqld: " + mysqldPids());
    }

    @Test
    void theDataDirectoryAndTheJournalAreTheOwnersAlone() throws Exception {
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        stack = LocalStack.startExternal(dataDir);
        stack.api().create("orders", form("cluster_user", "app"));
        assertOwnerAlone(dataDir);
        var journal = dataDir.resolve("journal").resolve("mysos.mv.db");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(journal)));

        // Loosened by hand while Mysos was down: tightened again on the next start.
        assertEquals(143, stack.signalMysos("TERM"));
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(journal, PosixFilePermissions.fromString("rw-rw-rw-"));
        stack.startExternal();
        assertOwnerAlone(dataDir);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(journal)));
    }

    /**
     * Only the user running Mysos may enter the data directory. As root, Mysos runs mysqld as the OS
     * user mysql, whose group may pass through (0710) to reach its instances' directories, nothing more.
     */
    private static void assertOwnerAlone(Path dir) throws Exception {
        var mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
        if ("root".equals(System.getProperty("user.name"))) {
            assertEquals("rwx--x---", mode);
            assertEquals("mysql", Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class).group().getName());
        } else {
            assertEquals("rwx------", mode);
        }
    }
}

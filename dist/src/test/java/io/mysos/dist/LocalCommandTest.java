package io.mysos.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code mysos local}'s command line as an operator types it: help, and the options that shape the API. */
class LocalCommandTest {
    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var stderr = new ByteArrayOutputStream();
        var original = System.err;
        // picocli reports problems with a description (its "[picocli WARN]") on System.err.
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            var command = new CommandLine(new Mysos()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
            int exit = command.execute(args);
            return new Run(exit, out.toString(), err + stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    private static LocalSettings settings(String... args) {
        var command = new LocalCommand();
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    @Test
    void helpPrintsEveryOptionWithoutWarnings() {
        var help = run("local", "--help");
        assertEquals(0, help.exit());
        assertEquals("", help.err(), "no picocli warnings");
        assertTrue(help.out().contains("less 10%)"), help.out());
        assertTrue(help.out().contains("--leave-running"), help.out());
        assertTrue(help.out().contains("--advertise-url"), help.out());
    }

    @Test
    void theAdvertisedUrlDefaultsToWhereTheApiListens() {
        var defaults = settings("--port", "55009");
        assertEquals(URI.create("http://127.0.0.1:55009"), defaults.advertisedUrl());
        assertFalse(defaults.leaveRunning());
        assertEquals(URI.create("http://[::1]:55001"), settings("--host", "::1").advertisedUrl());
        var wildcard = settings("--host", "0.0.0.0").advertisedUrl();
        assertFalse(wildcard.getHost().equals("0.0.0.0"), "a wildcard address is no place to send clients: " + wildcard);
    }

    @Test
    void takesTheAdvertisedUrlAndLeaveRunningAsGiven() {
        var given = settings("--advertise-url", "https://mysos.example.com", "--leave-running");
        assertEquals(URI.create("https://mysos.example.com"), given.advertisedUrl());
        assertTrue(given.leaveRunning());
    }

    @Test
    void refusesAnAdvertisedUrlClientsCannotUse() {
        for (var bad : new String[] {"mysos.example.com:55001", "ftp://mysos", "http://", "http://a b", "http://h/?q=1"}) {
            var result = run("local", "--advertise-url", bad);
            assertEquals(2, result.exit(), bad);
            assertTrue(result.err().contains("--advertise-url must be http(s)://host[:port]"), result.err());
        }
    }

    @Test
    void refusesABackupRootItCannotOpenWithTheReasonBeforeStartingAnything() throws Exception {
        var dir = java.nio.file.Files.createTempDirectory("mysos-local-flags-");
        try {
            for (var refused : java.util.Map.of(
                    "hdfs://no-such-namenode.invalid:8020/mysos", "--backup-root hdfs://no-such-namenode.invalid:8020/mysos: unknown host no-such-namenode.invalid",
                    "s3a://bucket/mysos", "--backup-root s3a://bucket/mysos: this Mysos has no Hadoop file system for s3a:// (it has hdfs:// and file://)",
                    "file:///proc/mysos-backups", "cannot create the backup directory file:///proc/mysos-backups").entrySet()) {
                var result = run("local", "--data-dir", dir.toString(), "--endpoint-ports", "none", "--backup-root", refused.getKey());
                assertEquals(2, result.exit(), refused.getKey() + ": " + result.err());
                assertTrue(result.err().contains("mysos local: ") && result.err().contains(refused.getValue()), result.err());
            }
            assertFalse(java.nio.file.Files.exists(dir.resolve("journal.mv.db")), "nothing started: no journal");
        } finally {
            io.mysos.executor.mysql.SandboxLayout.deleteTree(dir);
        }
    }

    @Test
    void refusesEndpointPortsThatOverlapTheInstancePorts() {
        var result = run("local", "--ports", "30500-31500");
        assertEquals(2, result.exit(), result.err());
        assertTrue(result.err().contains("--endpoint-ports 30000-30999 overlaps --ports 30500-31500"), result.err());
        var separate = new LocalCommand();
        new CommandLine(separate).parseArgs("--ports", "31000-31999", "--endpoint-ports", "30000-30999");
        assertEquals(1, separate.endpointOptions().ports().size(), "separate ranges are taken");
    }

    @Test
    void refusesToOfferNothing() {
        for (var bad : new String[][] {{"--cpus", "0"}, {"--cpus", "-1"}, {"--cpus", "NaN"}, {"--cpus", "Infinity"},
                {"--mem", "0mb"}, {"--disk", "0gb"}}) {
            var result = run("local", bad[0], bad[1]);
            assertEquals(2, result.exit(), String.join(" ", bad) + ": " + result.err());
            assertTrue(result.err().startsWith("mysos local: ") && result.err().contains(bad[0].substring(2) + " must be"), result.err());
        }
    }

    @Test
    void aDataDirectoryThatCannotBeMadeIsNamedWithWhy() {
        var full = run("local", "--data-dir", "/proc/mysos-nope/data", "--port", "55998");
        assertEquals(2, full.exit(), full.err());
        assertTrue(full.err().contains("--data-dir /proc/mysos-nope/data is on a file system with no free space"), full.err());
        // Under a plain file: the directory cannot be made, and the answer says which and why (not just the path).
        var underAFile = run("local", "--data-dir", "/etc/hostname/mysos", "--port", "55998");
        assertEquals(1, underAFile.exit(), underAFile.err());
        assertTrue(underAFile.err().contains("mysos local: cannot use /etc/hostname/mysos"), underAFile.err());
        assertTrue(underAFile.err().contains("Not a directory"), underAFile.err());
        assertFalse(underAFile.err().contains("\tat "), "no stack trace: " + underAFile.err());
    }
}

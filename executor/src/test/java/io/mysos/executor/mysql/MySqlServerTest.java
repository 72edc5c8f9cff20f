package io.mysos.executor.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.password.Passwords;
import io.mysos.core.size.DataSize;
import io.mysos.executor.MySqlProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** mysqld's life apart from the executor: it outlives a killed executor JVM and is adopted afterwards. */
class MySqlServerTest {
    private final MySqlProcess fixture = new MySqlProcess();

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void mysqldOutlivesAKilledExecutorAndIsAdoptedAfterwards() throws Exception {
        var sandbox = fixture.root().resolve("instance-1");
        int port = MySqlProcess.freePort();
        var password = Passwords.generate();
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var executor = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                StartMysqld.class.getName(), sandbox.toString(), String.valueOf(port), password)
                .redirectErrorStream(true).start();
        long pid;
        try (var out = new BufferedReader(new InputStreamReader(executor.getInputStream(), StandardCharsets.UTF_8))) {
            pid = Long.parseLong(awaitLine(out, "READY ").substring("READY ".length()));
            executor.destroyForcibly();
            assertTrue(executor.waitFor(10, TimeUnit.SECONDS));
        }

        assertTrue(MySqlProcess.isAlive(pid), "mysqld died with its executor");
        assertEquals(sandbox.resolve("mysqld.log").toRealPath(), Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/1")),
                "mysqld's output must go to its log, not to a pipe into the executor");
        assertEquals(processGroup(ProcessHandle.current().pid()), processGroup(pid),
                "mysqld must stay in the executor's process group");

        var server = new MySqlServer(MySqlProcess.installation(), sandbox,
                new MySqlConfig(MySqlProcess.HOST, port, 1, DataSize.ofMegabytes(256)), password);
        assertTrue(server.adopt());
        assertEquals(pid, server.pid().orElseThrow());
        assertTrue(server.awaitReady(Duration.ofSeconds(10), () -> false));
        var exit = server.onExit();
        server.stop(Duration.ofSeconds(30));
        assertFalse(MySqlProcess.isAlive(pid));
        assertTrue(exit.get(5, TimeUnit.SECONDS).describe().startsWith("mysqld (pid " + pid + ") exited"));
        assertFalse(server.isRunning());
    }

    @Test
    void aLongSandboxKeepsItsSocketInAPrivateDirectoryAndRefusesOneAnotherUserMade() throws Exception {
        var tmp = Files.createDirectories(fixture.root().resolve("tmp"));
        var savedTmp = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", tmp.toString());
        try {
            var sandbox = fixture.root().resolve("a-sandbox-path-long-enough-that-its-socket-would-not-fit-into-a-unix-socket-address");
            var password = Passwords.generate();
            var server = new MySqlServer(MySqlProcess.templatedInstallation(), sandbox,
                    new MySqlConfig(MySqlProcess.HOST, MySqlProcess.freePort(), 1, DataSize.ofMegabytes(256)), password);
            var socketDir = server.layout().socketDir();
            assertEquals(tmp, socketDir.getParent());
            // Another local user got there first and would receive every local login.
            Files.createDirectory(socketDir);
            Files.setPosixFilePermissions(socketDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.setOwner(socketDir, socketDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
            server.initializeIfNeeded();

            var refused = org.junit.jupiter.api.Assertions.assertThrows(MySqlStartException.class, server::start);
            assertTrue(refused.getMessage().startsWith("the socket directory " + socketDir + " is not private"), refused.getMessage());
            assertFalse(server.isRunning());

            SandboxLayout.deleteTree(socketDir);
            server.start();
            assertTrue(server.awaitReady(MySqlProcess.START, () -> false));
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(socketDir)));
            assertTrue(Files.exists(server.layout().socket()), "mysqld made no socket at " + server.layout().socket());
            server.stop(Duration.ofSeconds(30));
        } finally {
            System.setProperty("java.io.tmpdir", savedTmp);
        }
    }

    private static String awaitLine(BufferedReader out, String prefix) throws IOException {
        var seen = new StringBuilder();
        for (var line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("the stand-in executor ended without starting mysqld:\n" + seen);
    }

    private static String processGroup(long pid) throws IOException {
        var stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2];
    }
}

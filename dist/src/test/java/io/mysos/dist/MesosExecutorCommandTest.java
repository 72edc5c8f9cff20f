package io.mysos.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.password.SchedulerKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mysos executor} as an agent starts it: settings from the environment, the key from its agent's copy. */
class MesosExecutorCommandTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {}

    private static Run run(Map<String, String> environment, String... args) {
        var out = new StringWriter();
        var stderr = new ByteArrayOutputStream();
        var original = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            var command = new MesosExecutorCommand();
            command.environment = environment;
            int exit = new CommandLine(command).setOut(new PrintWriter(out)).execute(args);
            return new Run(exit, out.toString(), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    private static Map<String, String> agentSets(Path sandbox) {
        return Map.of("MESOS_AGENT_ENDPOINT", "127.0.0.1:5051", "MESOS_FRAMEWORK_ID", "fw-1",
                "MESOS_EXECUTOR_ID", "mysos-orders-1", "MESOS_DIRECTORY", sandbox.toString());
    }

    @Test
    void isASubcommandWithHelp() {
        var help = new StringWriter();
        int exit = new CommandLine(new Mysos()).setOut(new PrintWriter(help)).execute("executor", "--help");
        assertEquals(0, exit);
        assertTrue(help.toString().contains("--key-file"), help.toString());
        assertTrue(help.toString().contains("MESOS_AGENT_ENDPOINT"), help.toString());
    }

    @Test
    void outsideAnAgentSaysWhichVariableIsMissing() {
        var result = run(Map.of(), "--key-file", dir.resolve("key").toString());
        assertEquals(2, result.exit());
        assertEquals("mysos executor: MESOS_AGENT_ENDPOINT is not set: mysos executor runs under a Mesos agent, which sets it\n",
                result.err());
    }

    @Test
    void refusesToRunWithoutAKey() {
        var result = run(agentSets(dir));
        assertEquals(2, result.exit());
        assertTrue(result.err().contains("no scheduler key: give --key-file or set MYSOS_KEY_FILE"), result.err());

        var absent = run(agentSets(dir), "--key-file", dir.resolve("absent.key").toString());
        assertEquals(2, absent.exit());
        assertTrue(absent.err().contains("absent.key does not exist"), absent.err());
    }

    @Test
    void refusesAKeyFileOthersCanRead() throws IOException {
        var file = dir.resolve("scheduler.key");
        Files.writeString(file, SchedulerKey.generate().toText());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        var refused = assertThrows(IOException.class, () -> KeyFile.load(file));
        assertEquals("key file " + file + " can be read by others; run: chmod 600 " + file, refused.getMessage());

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        assertEquals(Files.readString(file).trim(), KeyFile.load(file).toText());
    }

    @Test
    void refusesAnArchiveIntervalItCannotRead() throws IOException {
        var file = dir.resolve("scheduler.key");
        Files.writeString(file, SchedulerKey.generate().toText());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        var result = run(agentSets(dir), "--key-file", file.toString(), "--backup-root", dir.resolve("store").toUri().toString(),
                "--archive-interval", "soon");
        assertEquals(2, result.exit());
        assertEquals("mysos executor: --archive-interval must look like 500ms, 1s or 1m (or off), not 'soon'\n", result.err());
    }
}

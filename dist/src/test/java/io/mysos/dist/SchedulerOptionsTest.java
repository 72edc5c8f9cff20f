package io.mysos.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mysos scheduler --secret-file}, and the default {@code --executor-uri}. */
class SchedulerOptionsTest {
    @TempDir
    Path dir;

    private String stderrOf(String... args) {
        var stderr = new ByteArrayOutputStream();
        var original = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, new CommandLine(new Mysos()).execute(args));
        } finally {
            System.setErr(original);
        }
        return stderr.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theSecretComesFromAnOwnerOnlyFileAndOnlyItsPathIsKept() throws Exception {
        var secret = dir.resolve("mesos.secret");
        Files.writeString(secret, "s3cret-value\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        var command = new SchedulerCommand();
        new CommandLine(command).parseArgs("--master", "m:5050", "--principal", "mysos", "--secret-file", secret.toString());
        var mesos = command.settings().mesos();
        assertEquals(secret.toString(), mesos.getString("secret-file"));
        assertFalse(mesos.root().render().contains("s3cret-value"), "the secret itself is not in the configuration");
        var settings = io.mysos.actors.mesos.MesosSettings.fromConfig(mesos.atPath("mysos.mesos")
                .withFallback(com.typesafe.config.ConfigFactory.load()));
        assertTrue(settings.secret().isPresent());
        assertFalse(settings.toString().contains("s3cret-value"), "settings print without the secret");
    }

    @Test
    void aSecretFileOthersCanReadOrWithoutAPrincipalIsRefused() throws Exception {
        var secret = dir.resolve("mesos.secret");
        Files.writeString(secret, "s3cret-value");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        assertTrue(stderrOf("scheduler", "--master", "m:5050", "--principal", "p", "--secret-file", secret.toString())
                .contains("is readable by others: chmod 600 it"));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        assertTrue(stderrOf("scheduler", "--master", "m:5050", "--secret-file", secret.toString())
                .contains("--secret-file needs --principal"));
        assertTrue(stderrOf("scheduler", "--master", "m:5050", "--principal", "p", "--secret-file", dir.resolve("absent").toString())
                .contains("cannot be read"));
    }

    @Test
    void theExecutorUriDefaultsToTheTarballDistBuildsWhenItIsThere() {
        var command = new SchedulerCommand();
        new CommandLine(command).parseArgs("--master", "m:5050");
        var uris = command.settings().mesos().hasPath("executor-uris") ? command.settings().mesos().getStringList("executor-uris")
                : java.util.List.<String>of();
        var tarball = Path.of("target", SchedulerOptions.EXECUTOR_TARBALL).toAbsolutePath();
        // Next to the classes of this build (dist/target): present once dist was packaged.
        assertEquals(Files.isRegularFile(tarball) ? java.util.List.of(tarball.toUri().toString()) : java.util.List.of(), uris);
        var given = new SchedulerCommand();
        new CommandLine(given).parseArgs("--master", "m:5050", "--executor-uri", "http://repo/x.tgz");
        assertEquals(java.util.List.of("http://repo/x.tgz"), given.settings().mesos().getStringList("executor-uris"));
    }
}

package io.mysos.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mysos.core.InvalidInputException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --backup-root} and {@code --hadoop-conf} as {@code mysos local} and {@code mysos scheduler} read them. */
class BackupFlagsTest {
    private static LocalSettings local(String... args) {
        var command = new LocalCommand();
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    @Test
    void localModeKeepsBackupsUnderItsDataDirectoryByDefault() {
        var settings = local("--data-dir", "/var/lib/mysos");
        assertEquals(Path.of("/var/lib/mysos/backups").toUri(), settings.effectiveBackupRoot());
        assertEquals(Optional.empty(), settings.hadoopConf());
    }

    @Test
    void takesAnHdfsRootAndAPlainPath() {
        assertEquals(URI.create("hdfs://nn:8020/mysos"), local("--backup-root", "hdfs://nn:8020/mysos").effectiveBackupRoot());
        assertEquals(Path.of("/srv/backups").toUri(), local("--backup-root", "/srv/backups").effectiveBackupRoot());
        assertEquals(Optional.of(Path.of("/tmp").toAbsolutePath()), local("--hadoop-conf", "/tmp").hadoopConf());
    }

    @Test
    void refusesAHadoopConfThatIsNoDirectoryAndARootThatIsNoUri() {
        assertThrows(InvalidInputException.class, () -> local("--hadoop-conf", "/nonexistent/hadoop"));
        assertThrows(InvalidInputException.class, () -> local("--backup-root", "hdfs://bad host/x"));
    }

    @Test
    void theSchedulerHasNoBackupsUnlessGivenARoot() {
        var command = new SchedulerCommand();
        new CommandLine(command).parseArgs("--master", "m:5050");
        assertEquals(Optional.empty(), command.settings().backupRoot());
        command = new SchedulerCommand();
        new CommandLine(command).parseArgs("--master", "m:5050", "--backup-root", "hdfs://nn/mysos");
        assertEquals(Optional.of(URI.create("hdfs://nn/mysos")), command.settings().backupRoot());
    }

    @Test
    void theArchiveIntervalIsEverySecondUnlessSaidOtherwise() {
        assertEquals(java.time.Duration.ofSeconds(1), BackupFlags.archiveInterval("--archive-interval", null));
        assertEquals(java.time.Duration.ofSeconds(1), BackupFlags.archiveInterval("--archive-interval", " "));
        assertEquals(java.time.Duration.ofMillis(500), BackupFlags.archiveInterval("--archive-interval", "500ms"));
        assertEquals(java.time.Duration.ofSeconds(5), BackupFlags.archiveInterval("--archive-interval", "5s"));
        assertEquals(java.time.Duration.ofMinutes(1), BackupFlags.archiveInterval("--archive-interval", "1m"));
        assertEquals(java.time.Duration.ZERO, BackupFlags.archiveInterval("--archive-interval", "off"));
        assertEquals(java.time.Duration.ZERO, BackupFlags.archiveInterval("--archive-interval", "0"));
        for (var bad : new String[] {"soon", "1h", "10ms", "-1s", "2m30s", "90m"}) {
            assertThrows(InvalidInputException.class, () -> BackupFlags.archiveInterval("--archive-interval", bad), bad);
        }
    }

    @Test
    void aStoreThatOpensIsTakenWithoutReachingIt() throws Exception {
        // No NameNode listens there: opening an HDFS store sends nothing, so an HDFS that is down only fails backups.
        BackupFlags.checkOpens("--backup-root", URI.create("hdfs://localhost:1/mysos"), Optional.empty());
        var dir = java.nio.file.Files.createTempDirectory("mysos-flags-");
        try {
            BackupFlags.checkOpens("--backup-root", dir.resolve("made/on/start").toUri(), Optional.empty());
            assertEquals(true, java.nio.file.Files.isDirectory(dir.resolve("made/on/start")));
        } finally {
            io.mysos.executor.mysql.SandboxLayout.deleteTree(dir);
        }
    }

    @Test
    void whyAStoreCannotBeOpenedIsSaidInTheOperatorsTerms() {
        var unknown = assertThrows(InvalidInputException.class,
                () -> BackupFlags.checkOpens("--backup-root", URI.create("hdfs://nn.invalid:8020/mysos"), Optional.empty()));
        assertEquals("--backup-root hdfs://nn.invalid:8020/mysos: unknown host nn.invalid (an HA name service needs --hadoop-conf"
                + " with its hdfs-site.xml)", unknown.getMessage());
        var scheme = assertThrows(InvalidInputException.class,
                () -> BackupFlags.checkOpens("--backup-root", URI.create("nosuchfs://x/y"), Optional.empty()));
        assertEquals("--backup-root nosuchfs://x/y: this Mysos has no Hadoop file system for nosuchfs:// (it has hdfs:// and file://)",
                scheme.getMessage());
    }

    @Test
    void aHadoopConfWithABrokenFileIsRefusedNamingTheFileAndLine() throws Exception {
        var dir = java.nio.file.Files.createTempDirectory("mysos-hadoop-conf-");
        try {
            java.nio.file.Files.writeString(dir.resolve("hdfs-site.xml"), "<configuration>\n<property><name>dfs.replication</name>\n");
            var broken = assertThrows(InvalidInputException.class, () -> local("--hadoop-conf", dir.toString()));
            assertEquals(true, broken.getMessage().startsWith("--hadoop-conf: " + dir.resolve("hdfs-site.xml") + " is not valid XML: line "),
                    broken.getMessage());
            java.nio.file.Files.writeString(dir.resolve("hdfs-site.xml"), "<properties/>");
            var foreign = assertThrows(InvalidInputException.class, () -> local("--hadoop-conf", dir.toString()));
            assertEquals(true, foreign.getMessage().contains("is no Hadoop configuration (its root element is <properties>"), foreign.getMessage());
            java.nio.file.Files.writeString(dir.resolve("hdfs-site.xml"),
                    "<?xml version=\"1.0\"?>\n<configuration><property><name>dfs.replication</name><value>1</value></property></configuration>\n");
            assertEquals(Optional.of(dir.toAbsolutePath()), local("--hadoop-conf", dir.toString()).hadoopConf());
        } finally {
            io.mysos.executor.mysql.SandboxLayout.deleteTree(dir);
        }
    }
}

package io.mysos.executor.backup;

import static io.mysos.executor.MySqlProcess.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.task.TaskState;
import io.mysos.executor.MySqlProcess;
import java.io.File;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Physical backups of real mysqld instances taken with mariadb-backup into a real store (file:// and an
 * in-process HDFS), restored into new instances that then replicate from the master.
 */
class BackupRestoreTest {
    private static final Duration BACKUP = Duration.ofSeconds(120);
    private MySqlProcess mysql;
    private Path storeDir;
    private MiniDFSCluster hdfs;

    @BeforeEach
    void setUp() throws Exception {
        mysql = new MySqlProcess();
        storeDir = Files.createTempDirectory("mysos-backups-");
    }

    @AfterEach
    void tearDown() throws Exception {
        mysql.close();
        if (hdfs != null) {
            hdfs.shutdown(true);
        }
        io.mysos.executor.mysql.SandboxLayout.deleteTree(storeDir);
    }

    @Test
    void aReplicasBackupThroughFileRestoresANewInstanceThatReplicatesOnFromTheMaster() throws Exception {
        var backups = new InstanceBackups(BackupStore.open(storeDir.toUri()), BackupTools.detect());
        roundTrip(backups);
    }

    @Test
    void aReplicasBackupThroughHdfsRestoresANewInstanceThatReplicatesOnFromTheMaster() throws Exception {
        var conf = new Configuration();
        var base = new File("target/minidfs-" + System.nanoTime()).getAbsoluteFile();
        hdfs = new MiniDFSCluster.Builder(conf, base).numDataNodes(1).build();
        hdfs.waitActive();
        var backups = new InstanceBackups(BackupStore.open(URI.create(hdfs.getURI() + "/mysos"), conf), BackupTools.detect());
        roundTrip(backups);
    }

    @Test
    void withoutMariadbBackupALogicalDumpIsTakenAndRestoredAndReplicatesOn() throws Exception {
        var backups = new InstanceBackups(BackupStore.open(storeDir.toUri()), BackupTools.detect().logicalOnly());
        var pair = masterAndReplica(backups);
        var master = pair.get(0);
        var replica = pair.get(1);
        // Far more than the first 64 KiB of the dump: where the GTID position is written must not matter.
        write(master, 0, 20_000);
        MySqlProcess.eventually(Duration.ofSeconds(30), () -> "20000".equals(replica.queryAsAdmin("SELECT COUNT(*) FROM shop.items")));
        // Mid re-point (as while a failover moves it to the new master), the replica does not replicate.
        executeAsAdmin(replica, "STOP SLAVE");

        replica.runner().handle(new ExecutorCommand.TakeBackup(1, "dump1"));
        var taken = replica.events().expectReport(ExecutorReport.BackupTaken.class, BACKUP);
        var manifest = backups.store().find("test", "dump1").orElseThrow();
        assertEquals(BackupManifest.LOGICAL, manifest.method());
        assertTrue(manifest.bytes() > 256 * 1024, "a dump of " + manifest.bytes() + " bytes");
        assertEquals(master.queryAsAdmin("SELECT @@GLOBAL.gtid_binlog_pos"), taken.position());
        assertEquals("No", replica.queryAsAdmin("SELECT IF(COUNT(*) = 0, 'No', 'Yes') FROM information_schema.processlist "
                + "WHERE command = 'Slave_SQL'"), "the dump left the replica's replication as Mysos had it");
        executeAsAdmin(replica, "START SLAVE");
        write(master, 20_000, 10);

        var restored = mysql.instance(3, backups, Optional.of("test/dump1"));
        restored.launch();
        assertEquals("20000", restored.queryAsAdmin("SELECT COUNT(*) FROM shop.items"));
        assertEquals(taken.position(), restored.queryAsAdmin("SELECT @@GLOBAL.gtid_slave_pos"));
        assertEquals("", restored.queryAsAdmin("SELECT @@GLOBAL.gtid_binlog_pos").replaceAll(taken.position(), ""),
                "the load is not in the restored instance's binary log");
        restored.reparent(1, master);
        MySqlProcess.eventually(Duration.ofSeconds(30), () -> "20010".equals(restored.queryAsAdmin("SELECT COUNT(*) FROM shop.items")));
        assertEquals(checksum(master), checksum(restored));
    }

    @Test
    void aBackupTakenUnderAWriterThroughFileRestoresExactlyTheRowsCommittedUpToItsPosition() throws Exception {
        underAWriter(new InstanceBackups(BackupStore.open(storeDir.toUri()), BackupTools.detect()));
    }

    @Test
    void aBackupTakenUnderAWriterThroughHdfsRestoresExactlyTheRowsCommittedUpToItsPosition() throws Exception {
        var conf = new Configuration();
        hdfs = new MiniDFSCluster.Builder(conf, new File("target/minidfs-" + System.nanoTime()).getAbsoluteFile()).numDataNodes(1).build();
        hdfs.waitActive();
        underAWriter(new InstanceBackups(BackupStore.open(URI.create(hdfs.getURI() + "/mysos"), conf), BackupTools.detect()));
    }

    /**
     * One row per transaction, ids 1, 2, 3... in commit order, from before the backup until after it: the GTID
     * position the backup records is the master's sequence of its last row, so the restored instance must hold rows
     * 1 to exactly that many, no gap, none after.
     */
    private void underAWriter(InstanceBackups backups) throws Exception {
        var pair = masterAndReplica(backups);
        var master = pair.get(0);
        var replica = pair.get(1);
        write(master, 0, 0);
        long base = io.mysos.core.binlog.Gtid.parse(master.queryAsAdmin("SELECT @@GLOBAL.gtid_binlog_pos")).seq();

        var acknowledged = new java.util.concurrent.atomic.AtomicLong();
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        var writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try (var connection = master.connectAsAdmin(); var insert = connection.prepareStatement("INSERT INTO shop.items VALUES (?, ?)")) {
                for (long id = 1; !stop.get(); id++) {
                    insert.setLong(1, id);
                    insert.setString(2, "row " + id);
                    insert.executeUpdate();
                    acknowledged.set(id);
                }
            } catch (SQLException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        MySqlProcess.eventually(Duration.ofSeconds(30), () -> acknowledged.get() >= 300);
        long atStart = acknowledged.get();
        replica.runner().handle(new ExecutorCommand.TakeBackup(1, "b1"));
        var taken = replica.events().expectReport(ExecutorReport.BackupTaken.class, BACKUP);
        long atEnd = acknowledged.get();
        MySqlProcess.eventually(Duration.ofSeconds(30), () -> acknowledged.get() >= atEnd + 100);
        stop.set(true);
        writer.get(30, java.util.concurrent.TimeUnit.SECONDS);
        long written = acknowledged.get();
        assertTrue(atEnd > atStart, "the writer committed while the backup ran: " + atStart + " then " + atEnd);

        long held = io.mysos.core.binlog.Gtid.parse(taken.position()).seq() - base;
        assertTrue(held > 0 && held < written, "the backup holds " + held + " of " + written + " rows, at " + taken.position());
        var restored = mysql.instance(3, backups, Optional.of("test/b1"));
        restored.launch();
        assertEquals(taken.position(), restored.queryAsAdmin("SELECT @@GLOBAL.gtid_slave_pos"));
        assertEquals(held + " " + held + " 1", restored.queryAsAdmin("SELECT CONCAT(COUNT(*), ' ', MAX(id), ' ', MIN(id)) FROM shop.items"),
                "rows 1 to " + held + ", every one, none after");

        // From there it replicates the rest: nothing missing, nothing twice.
        restored.reparent(1, master);
        MySqlProcess.eventually(Duration.ofSeconds(60), () -> String.valueOf(written).equals(restored.queryAsAdmin("SELECT COUNT(*) FROM shop.items")));
        assertEquals(checksum(master), checksum(restored));
    }

    @Test
    void aFullStoreFailsTheBackupWithItsReasonLeavesNothingAndTheNextBackupWorksOnceThereIsRoom() throws Exception {
        // A store on a 4 MiB file system: the backup (over 10 MB) fills it. Needs root, as bin/test is.
        var small = Files.createDirectories(storeDir.resolve("small"));
        mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", small.toString());
        try {
            var backups = new InstanceBackups(BackupStore.open(small.toUri()), BackupTools.detect());
            var master = mysql.instance(1, backups, Optional.empty());
            master.launch();
            master.promote(1);
            write(master, 0, 2000);
            master.runner().handle(new ExecutorCommand.TakeBackup(1, "b1"));
            var failed = master.events().expectReport(ExecutorReport.BackupFailed.class, BACKUP);
            assertTrue(failed.reason().contains("No space left on device"), failed.reason());
            // The master's binary log archive is in the same store: a write brings its failure to light, and it is told.
            executeAsAdmin(master, "INSERT INTO shop.items VALUES (100000, 'after the store filled up')");
            var archive = master.events().nextArchiveHealth(Duration.ofSeconds(30));
            assertEquals(1, archive.epoch());
            assertTrue(archive.failing().orElseThrow().contains("No space left on device"), archive.toString());
            assertEquals(java.util.List.of(), backups.store().list("test"), "nothing looks complete");
            assertTrue(backups.store().find("test", "b1").isEmpty());
            assertEquals("2001", master.queryAsAdmin("SELECT COUNT(*) FROM shop.items"), "mysqld serves on, and took the write");

            mount("-o", "remount,size=64m", small.toString());
            assertEquals(java.util.Optional.empty(), master.events().nextArchiveHealth(Duration.ofSeconds(30)).failing(), "it works again");
            master.runner().handle(new ExecutorCommand.TakeBackup(1, "b2"));
            var taken = master.events().expectReport(ExecutorReport.BackupTaken.class, BACKUP);
            assertEquals(java.util.List.of("b2"), backups.store().list("test").stream().map(BackupManifest::id).toList());
            var restored = mysql.instance(2, backups, Optional.of("test/b2"));
            restored.launch();
            assertEquals(taken.position(), restored.queryAsAdmin("SELECT @@GLOBAL.gtid_slave_pos"));
            assertEquals("2001", restored.queryAsAdmin("SELECT COUNT(*) FROM shop.items"));
        } finally {
            mysql.close();
            mount("-u", small.toString());
        }
    }

    /** Runs mount (or umount, with -u first). */
    private static void mount(String... args) throws Exception {
        var command = new java.util.ArrayList<String>();
        if (args[0].equals("-u")) {
            command.add("umount");
            command.addAll(java.util.List.of(args).subList(1, args.length));
        } else {
            command.add("mount");
            command.addAll(java.util.List.of(args));
        }
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + " failed (the test needs root, as bin/test runs it): " + output);
    }

    @Test
    void aBackupTheSchedulerCancelsHasItsToolKilledFailsWithTheReasonAndFreesTheThreadForTheNext() throws Exception {
        // A mariadb-backup that hangs (as on a lock that never comes free): it writes nothing, ever.
        var hung = storeDir.resolve("hung-mariadb-backup");
        Files.writeString(hung, "#!/bin/sh\nexec sleep 3127\n");
        Files.setPosixFilePermissions(hung, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        var real = BackupTools.detect();
        var backups = new InstanceBackups(BackupStore.open(storeDir.resolve("store").toUri()),
                new BackupTools(Optional.of(hung), real.mbstream(), real.dump(), real.client(), real.binlog()));
        var master = mysql.instance(1, backups, Optional.empty());
        master.launch();
        master.promote(1);

        for (var id : java.util.List.of("b1", "b2")) {
            master.runner().handle(new ExecutorCommand.TakeBackup(1, id));
            MySqlProcess.eventually(Duration.ofSeconds(30), () -> hungTools().size() == 1);
            master.runner().handle(new ExecutorCommand.CancelBackup(1, id));
            var failed = master.events().expectReport(ExecutorReport.BackupFailed.class, Duration.ofSeconds(30));
            assertEquals(id, failed.backupId());
            assertEquals("backup " + id + " was stopped: it ran past its time limit (mysos.backup.timeout)", failed.reason());
            assertEquals(java.util.List.of(), hungTools(), "the tool was killed");
            assertTrue(backups.store().find("test", id).isEmpty(), "nothing looks complete");
        }
        // A cancel for a backup that is not being taken changes nothing.
        master.runner().handle(new ExecutorCommand.CancelBackup(1, "b9"));
        assertEquals("0", master.queryAsAdmin("SELECT @@GLOBAL.read_only"), "the master serves on");
    }

    private static java.util.List<Long> hungTools() {
        return ProcessHandle.allProcesses().filter(p -> MySqlProcess.commandLine(p.pid()).contains("sleep 3127")).map(ProcessHandle::pid)
                .toList();
    }

    @Test
    void aDamagedBackupFailsTheRestoreBeforeMysqldStarts() throws Exception {
        var backups = new InstanceBackups(BackupStore.open(storeDir.toUri()), BackupTools.detect());
        var master = mysql.instance(1, backups, Optional.empty());
        master.launch();
        master.promote(1);
        write(master, 0, 200);
        master.runner().handle(new ExecutorCommand.TakeBackup(1, "b1"));
        master.events().expectReport(ExecutorReport.BackupTaken.class, BACKUP);
        try (var file = new RandomAccessFile(storeDir.resolve("test/b1/" + PhysicalBackup.STREAM_FILE).toFile(), "rw")) {
            file.seek(file.length() / 2);
            int b = file.read();
            file.seek(file.length() / 2);
            file.write(b ^ 0xff);
        }
        // Hadoop's local file system keeps a CRC of its own beside each file; without it, only the manifest can tell.
        Files.deleteIfExists(storeDir.resolve("test/b1/." + PhysicalBackup.STREAM_FILE + ".crc"));

        var restored = mysql.instance(2, backups, Optional.of("test/b1"));
        restored.runner().launch();
        restored.events().expectStatus(TaskState.STARTING, START);
        var failed = restored.events().expectStatus(TaskState.FAILED, BACKUP);
        assertTrue(failed.message().contains("backup test/b1 is damaged") && failed.message().contains("SHA-256"), failed.message());
        assertEquals(java.util.List.of(), MySqlProcess.mysqldsOf(restored.sandbox()), "no mysqld started on damaged data");
    }

    private void roundTrip(InstanceBackups backups) throws Exception {
        var pair = masterAndReplica(backups);
        var master = pair.get(0);
        var replica = pair.get(1);
        write(master, 0, 2000);
        MySqlProcess.eventually(Duration.ofSeconds(30), () -> "2000".equals(replica.queryAsAdmin("SELECT COUNT(*) FROM shop.items")));

        replica.runner().handle(new ExecutorCommand.TakeBackup(1, "b1"));
        var taken = replica.events().expectReport(ExecutorReport.BackupTaken.class, BACKUP);
        var manifest = backups.store().find("test", "b1").orElseThrow();
        assertEquals(taken.bytes(), manifest.bytes());
        assertEquals(master.queryAsAdmin("SELECT @@GLOBAL.gtid_binlog_pos"), taken.position(), "the backup holds all the master wrote");
        assertEquals("mysos-test-2", manifest.sourceTask());
        write(master, 2000, 100);

        var restored = mysql.instance(3, backups, Optional.of("test/b1"));
        restored.launch();
        assertEquals(taken.position(), restored.queryAsAdmin("SELECT @@GLOBAL.gtid_slave_pos"));
        assertEquals("2000", restored.queryAsAdmin("SELECT COUNT(*) FROM shop.items"));
        restored.reparent(1, master);
        MySqlProcess.eventually(Duration.ofSeconds(30), () -> "2100".equals(restored.queryAsAdmin("SELECT COUNT(*) FROM shop.items")));
        assertEquals(checksum(master), checksum(restored));
    }

    /** Instance 1 the master of epoch 1, instance 2 its replica, both running. */
    private java.util.List<MySqlProcess.Instance> masterAndReplica(InstanceBackups backups) throws Exception {
        var master = mysql.instance(1, backups, Optional.empty());
        var replica = mysql.instance(2, backups, Optional.empty());
        MySqlProcess.launchTogether(master, replica);
        master.promote(1);
        replica.reparent(1, master);
        return java.util.List.of(master, replica);
    }

    private static void write(MySqlProcess.Instance master, int from, int rows) throws SQLException {
        try (var connection = master.connectAsAdmin(); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS shop");
            statement.execute("CREATE TABLE IF NOT EXISTS shop.items (id INT PRIMARY KEY, name VARCHAR(64))");
            if (rows == 0) {
                return;
            }
            var sql = new StringBuilder("INSERT INTO shop.items VALUES ");
            for (int i = from; i < from + rows; i++) {
                sql.append(i == from ? "" : ",").append("(").append(i).append(",'item ").append(i).append("')");
            }
            statement.execute(sql.toString());
        }
    }

    private static void executeAsAdmin(MySqlProcess.Instance instance, String sql) throws SQLException {
        try (var connection = instance.connectAsAdmin(); var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String checksum(MySqlProcess.Instance instance) throws SQLException {
        try (var connection = instance.connectAsAdmin(); var statement = connection.createStatement();
                var rows = statement.executeQuery("CHECKSUM TABLE shop.items")) {
            rows.next();
            return rows.getString(2);
        }
    }
}

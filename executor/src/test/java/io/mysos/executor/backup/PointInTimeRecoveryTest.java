package io.mysos.executor.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.binlog.ArchivedSegment;
import io.mysos.core.binlog.BinlogArchive;
import io.mysos.core.binlog.GtidState;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.task.TaskState;
import io.mysos.executor.MySqlProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The binary log archive of real masters (mariadbd), and point-in-time restores from it: a backup rolled
 * forward to a time or a GTID position, and an archive that goes on across a failover (kill -9 of the master).
 */
class PointInTimeRecoveryTest {
    private static final Duration BACKUP = Duration.ofSeconds(120);
    private static final Duration ARCHIVED = Duration.ofSeconds(30);
    private MySqlProcess mysql;
    private Path storeDir;
    private InstanceBackups backups;

    @BeforeEach
    void setUp() throws Exception {
        mysql = new MySqlProcess();
        storeDir = Files.createTempDirectory("mysos-pitr-");
        backups = new InstanceBackups(BackupStore.open(storeDir.toUri()), BackupTools.detect());
    }

    @AfterEach
    void tearDown() throws Exception {
        mysql.close();
        backups.store().close();
        io.mysos.executor.mysql.SandboxLayout.deleteTree(storeDir);
    }

    @Test
    void aRestoreToAMomentBetweenTwoBatchesHoldsTheFirstAndNotTheSecond() throws Exception {
        var master = mysql.instance(1, backups, Optional.empty());
        var replica = mysql.instance(2, backups, Optional.empty());
        MySqlProcess.launchTogether(master, replica);
        master.promote(1);
        replica.reparent(1, master);
        writeEach(master, 0, 50);
        MySqlProcess.eventually(Duration.ofSeconds(30), () -> "50".equals(replica.queryAsAdmin("SELECT COUNT(*) FROM shop.items")));
        replica.runner().handle(new ExecutorCommand.TakeBackup(1, "b1"));
        var taken = replica.events().expectReport(ExecutorReport.BackupTaken.class, BACKUP);

        writeEach(master, 50, 30);
        var firstBatchEnd = master.queryAsAdmin("SELECT @@GLOBAL.gtid_binlog_pos");
        var between = nextWholeSecond();
        writeEach(master, 80, 30);
        var end = GtidState.parse(master.queryAsAdmin("SELECT @@GLOBAL.gtid_binlog_pos"));
        awaitArchived(end);

        var toTime = mysql.instance(3, backups, Optional.of("test/b1"), Optional.of(between.toString()));
        toTime.launch();
        assertEquals("80", toTime.queryAsAdmin("SELECT COUNT(*) FROM shop.items"), "the first batch, not the second");
        assertEquals("79", toTime.queryAsAdmin("SELECT MAX(id) FROM shop.items"));
        assertEquals(firstBatchEnd, toTime.queryAsAdmin("SELECT @@GLOBAL.gtid_binlog_pos"), "the replayed GTIDs are the master's");

        var toPosition = mysql.instance(4, backups, Optional.of("test/b1"), Optional.of(firstBatchEnd));
        toPosition.launch();
        assertEquals("80", toPosition.queryAsAdmin("SELECT COUNT(*) FROM shop.items"));

        var toEnd = mysql.instance(5, backups, Optional.of("test/b1"), Optional.of(end.toString()));
        toEnd.launch();
        assertEquals("110", toEnd.queryAsAdmin("SELECT COUNT(*) FROM shop.items"));
        assertTrue(GtidState.parse(taken.position()).covers(GtidState.parse("0-1-1")));
    }

    @Test
    void theArchiveGoesOnAfterAFailoverWithoutGapsOrDuplicates() throws Exception {
        var master = mysql.instance(1, backups, Optional.empty());
        var replica = mysql.instance(2, backups, Optional.empty());
        MySqlProcess.launchTogether(master, replica);
        master.promote(1);
        replica.reparent(1, master);
        writeEach(master, 0, 20);
        MySqlProcess.eventually(Duration.ofSeconds(30), () -> "20".equals(replica.queryAsAdmin("SELECT COUNT(*) FROM shop.items")));
        replica.runner().handle(new ExecutorCommand.TakeBackup(1, "b1"));
        var taken = replica.events().expectReport(ExecutorReport.BackupTaken.class, BACKUP);

        // Writes right before the kill: the old master's archive (every second) has not stored them all.
        writeEach(master, 20, 200);
        MySqlProcess.eventually(Duration.ofSeconds(30), () -> "220".equals(replica.queryAsAdmin("SELECT COUNT(*) FROM shop.items")));
        MySqlProcess.killNow(master.pid());
        master.events().expectStatus(TaskState.FAILED, Duration.ofSeconds(30));
        replica.queryPosition(2);
        replica.promote(2);
        writeEach(replica, 220, 30);
        var end = GtidState.parse(replica.queryAsAdmin("SELECT @@GLOBAL.gtid_binlog_pos"));
        awaitArchived(end);

        var epochs = backups.binlogs().epochs(mysql.archive());
        assertEquals(2, epochs.size(), "one archive for each master's epoch");
        var chain = BinlogArchive.chain(epochs, GtidState.parse(taken.position()), Instant.EPOCH);
        assertTrue(chain.gap().isEmpty(), chain.gap().toString());
        assertEquals(end, chain.reached().position());
        var prepared = backups.prepareReplay("test/b1", end.toString(), mysql.root().resolve("replay"));
        long backupSeq = GtidState.parse(taken.position()).gtids().get(0).seq();
        assertEquals(end.gtids().get(0).seq() - backupSeq, prepared.transactions(), "every transaction after the backup once");

        var restored = mysql.instance(3, backups, Optional.of("test/b1"), Optional.of(end.toString()));
        restored.launch();
        assertEquals("250", restored.queryAsAdmin("SELECT COUNT(*) FROM shop.items"));
        assertEquals(end.toString(), restored.queryAsAdmin("SELECT @@GLOBAL.gtid_binlog_pos"));
    }

    @Test
    void retentionDeletesTheArchivedFilesTheOldestBackupHoldsAndTheArchiverStopsOnceItsMasterIsFenced() throws Exception {
        var master = mysql.instance(1, backups, Optional.empty());
        master.launch();
        master.promote(1);
        writeEach(master, 0, 20);
        try (var connection = master.connectAsAdmin(); var statement = connection.createStatement()) {
            statement.execute("FLUSH BINARY LOGS");
        }
        writeEach(master, 20, 5);
        awaitArchived(GtidState.parse(master.queryAsAdmin("SELECT @@GLOBAL.gtid_binlog_pos")));
        var files = pieceFiles();
        assertEquals(List.of("mysql-bin.000001", "mysql-bin.000002"), files.stream().distinct().toList());
        master.runner().handle(new ExecutorCommand.TakeBackup(1, "b1"));
        master.events().expectReport(ExecutorReport.BackupTaken.class, BACKUP);
        BinlogArchiver.manual(mysql.archive(), 1, "t", backups.binlogs(), () -> master.control().binlogStatus(), Optional.empty())
                .prune();
        assertEquals(List.of("mysql-bin.000002"), pieceFiles().stream().distinct().toList(),
                "the first file, which the backup holds all of, is deleted; the one being written stays");

        master.queryPosition(2);
        var fenced = Instant.now();
        // The archiver's next round sees the fence: it notes that nothing is new, and stops.
        MySqlProcess.eventually(ARCHIVED, () -> backups.binlogs().epochs(mysql.archive()).get(0).progress()
                .map(p -> p.checked().isAfter(fenced)).orElse(false));
        long pieces = pieceFiles().size();
        master.control().setReadOnly(false);
        writeEach(master, 25, 5);
        // An archiver that still ran would store the new piece within a second; wait for three.
        var deadline = Instant.now().plusSeconds(3);
        while (Instant.now().isBefore(deadline)) {
            assertEquals(pieces, pieceFiles().size(), "no piece after the fence");
            Thread.sleep(100);
        }
    }

    @Test
    void aNameCreatedAgainArchivesApartAndTheEarlierLifesBackupStillRestoresToItsEnd() throws Exception {
        var earlier = mysql.instance(1, backups, Optional.empty());
        earlier.launch();
        earlier.promote(1);
        writeEach(earlier, 0, 20);
        earlier.runner().handle(new ExecutorCommand.TakeBackup(1, "b1"));
        earlier.events().expectReport(ExecutorReport.BackupTaken.class, BACKUP);
        writeEach(earlier, 20, 10);
        var earlierEnd = GtidState.parse(earlier.queryAsAdmin("SELECT @@GLOBAL.gtid_binlog_pos"));
        awaitArchived(earlierEnd);
        MySqlProcess.killNow(earlier.pid());
        var earlierPieces = pieceFiles();

        // The cluster is deleted and its name created again: a new life, the same store, a history of its own.
        try (var again = new MySqlProcess()) {
            assertTrue(!again.archive().equals(mysql.archive()), "a new life");
            var master = again.instance(7, backups, Optional.empty());
            master.launch();
            master.promote(1);
            writeEach(master, 0, 15);
            awaitArchived(again.archive(), GtidState.parse(master.queryAsAdmin("SELECT @@GLOBAL.gtid_binlog_pos")));
            master.runner().handle(new ExecutorCommand.TakeBackup(1, "b2"));
            var ownBackup = master.events().expectReport(ExecutorReport.BackupTaken.class, BACKUP);
            assertEquals("b2", ownBackup.backupId());
            BinlogArchiver.manual(again.archive(), 1, "t", backups.binlogs(), () -> master.control().binlogStatus(), Optional.empty())
                    .prune();
            assertEquals(earlierPieces, pieceFiles(), "the new life neither archives over the earlier one's log nor prunes it");
            assertEquals(List.of(again.archive().life(), mysql.archive().life()).stream().sorted().toList(),
                    backups.store().list("test").stream().map(BackupManifest::life).sorted().toList(), "each backup says its life");

            var restored = again.instance(8, backups, Optional.of("test/b1"), Optional.of(earlierEnd.toString()));
            restored.launch();
            assertEquals("30", restored.queryAsAdmin("SELECT COUNT(*) FROM shop.items"), "the earlier life's backup, rolled to its end");
        }
    }

    /** The binary log file of each stored piece, in order. */
    private List<String> pieceFiles() {
        return backups.binlogs().epochs(mysql.archive()).stream().flatMap(e -> e.segments().stream())
                .map(ArchivedSegment::file).toList();
    }

    /** Waits until the archive holds every transaction up to {@code position}. */
    private void awaitArchived(GtidState position) throws InterruptedException {
        awaitArchived(mysql.archive(), position);
    }

    private void awaitArchived(BinlogArchiveId archive, GtidState position) throws InterruptedException {
        MySqlProcess.eventually(ARCHIVED, () -> backups.binlogs().epochs(archive).stream()
                .flatMap(e -> e.segments().stream()).map(ArchivedSegment::last).reduce(GtidState.EMPTY, GtidState::union).covers(position));
    }

    /** Waits for the next whole second, so that what is written before and after it has different binary log times. */
    private static Instant nextWholeSecond() throws InterruptedException {
        var next = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 1);
        while (Instant.now().isBefore(next)) {
            Thread.sleep(Math.max(1, Duration.between(Instant.now(), next).toMillis()));
        }
        return next;
    }

    /** One transaction per row. */
    static void writeEach(MySqlProcess.Instance master, int from, int rows) throws SQLException {
        try (var connection = master.connectAsAdmin(); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS shop");
            statement.execute("CREATE TABLE IF NOT EXISTS shop.items (id INT PRIMARY KEY, name VARCHAR(64))");
            for (int i = from; i < from + rows; i++) {
                statement.execute("INSERT INTO shop.items VALUES (" + i + ", 'item " + i + "')");
            }
        }
    }
}

package io.mysos.executor.task;

import static io.mysos.executor.MySqlProcess.HOST;
import static io.mysos.executor.MySqlProcess.START;
import static io.mysos.executor.MySqlProcess.STEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.election.Election;
import io.mysos.core.election.Position;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.task.TaskState;
import io.mysos.executor.MySqlProcess;
import io.mysos.executor.MySqlProcess.Instance;
import io.mysos.executor.mysql.JdbcMySqlControl;
import io.mysos.executor.mysql.MySqlControlException;
import io.mysos.executor.mysql.MySqlInstallation.Flavor;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor's side of failover against real mysqld processes: fencing on a newer epoch,
 * position queries, promotion of a replica, reparenting of a demoted master, semi-sync, health checks.
 */
class FailoverTest {
    private static final Logger log = LoggerFactory.getLogger(FailoverTest.class);
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final Duration REPLICATION = Duration.ofSeconds(15);
    @RegisterExtension
    final MySqlProcess mysql = new MySqlProcess();

    @Test
    void queryPositionFencesAWritableMasterAndReportsItsPosition() throws Exception {
        var master = mysql.instance(1);
        master.launch();
        master.promote(1);
        createOrders(master);
        insertOrders(master, 1, 3);
        var written = gtidPosition(master);

        long began = System.nanoTime();
        master.runner().handle(new ExecutorCommand.QueryPosition(2));
        var reported = master.events().expectReport(ExecutorReport.PositionReported.class, STEP);
        log.info("QueryPosition to PositionReported on a master: {} ms", millisSince(began));

        assertEquals(master.taskId(), reported.taskId());
        assertEquals(2, reported.epoch());
        assertTrue(reported.position().covers(written), reported.position() + " does not cover " + written);
        assertEquals("1", master.queryAsAdmin("SELECT @@GLOBAL.read_only"));
        assertWritesRefused(master);
        assertEquals("3", master.queryAsAdmin("SELECT COUNT(*) FROM shop.orders"));

        began = System.nanoTime();
        var again = master.queryPosition(2);
        log.info("a repeated QueryPosition answered in {} ms", millisSince(began));
        assertEquals(reported, again, "asked again, it answers again");
    }

    @Test
    void theMostAdvancedReplicaWinsAndKeepsEveryAcknowledgedRow() throws Exception {
        var master = mysql.instance(1, true);
        var first = mysql.instance(2, true);
        var second = mysql.instance(3, true);
        MySqlProcess.launchTogether(master, first, second);
        master.promote(0);
        first.reparent(0, master);
        second.reparent(0, master);
        MySqlProcess.eventually(REPLICATION, () -> semiSyncClients(master) == 2);
        createOrders(master);

        var acknowledged = new AtomicInteger();
        var writer = new Thread(() -> {
            try (var connection = master.connectAsUser(); var statement = connection.createStatement()) {
                for (int id = 1; ; id++) {
                    statement.execute("INSERT INTO shop.orders VALUES (" + id + ", 'item " + id + "')");
                    acknowledged.set(id);
                }
            } catch (SQLException killed) {
                log.info("the writer stopped after {} acknowledged rows: {}", acknowledged.get(), killed.getMessage());
            }
        }, "writer");
        writer.start();
        MySqlProcess.eventually(REPLICATION, () -> acknowledged.get() >= 100);
        MySqlProcess.killNow(master.pid());
        writer.join(STEP.toMillis());
        assertFalse(writer.isAlive());
        int rows = acknowledged.get();
        master.events().expectStatus(TaskState.FAILED, STEP);

        var firstAt = first.queryPosition(1);
        var secondAt = second.queryPosition(1);
        var positions = Map.of(first.taskId(), firstAt.position(), second.taskId(), secondAt.position());
        var winnerId = ((Election.Elected) Election.decide(positions, Map.of()).orElseThrow()).winner();
        var winner = winnerId.equals(first.taskId()) ? first : second;
        var loser = winner == first ? second : first;
        log.info("positions {}; {} wins", positions, winnerId);
        assertTrue(positions.get(winner.taskId()).covers(positions.get(loser.taskId())), positions.toString());

        assertEquals(new ExecutorReport.Promoted(winner.taskId(), 1), winner.promote(1));
        loser.reparent(1, winner);

        assertEquals(String.valueOf(rows), winner.queryAsAdmin("SELECT COUNT(*) FROM shop.orders WHERE id <= " + rows),
                "an acknowledged row is missing on the new master");
        insertOrders(winner, 1_000_000, 1_000_000);
        var all = winner.queryAsAdmin("SELECT COUNT(*) FROM shop.orders");
        MySqlProcess.eventually(REPLICATION, () -> all.equals(loser.queryAsAdmin("SELECT COUNT(*) FROM shop.orders")));
        assertEquals(String.valueOf(rows), loser.queryAsAdmin("SELECT COUNT(*) FROM shop.orders WHERE id <= " + rows));
        MySqlProcess.eventually(REPLICATION, () -> semiSyncClients(winner) == 1);
        assertEquals("ON", status(winner, "rpl_semi_sync_master_status"));
    }

    @Test
    void aDemotedMasterReplicatesFromTheNewMaster() throws Exception {
        var oldMaster = mysql.instance(1, true);
        var target = mysql.instance(2, true);
        MySqlProcess.launchTogether(oldMaster, target);
        oldMaster.promote(0);
        target.reparent(0, oldMaster);
        MySqlProcess.eventually(REPLICATION, () -> semiSyncClients(oldMaster) == 1);
        createOrders(oldMaster);
        insertOrders(oldMaster, 1, 20);

        var masterAt = oldMaster.queryPosition(1).position();
        assertEquals("1", oldMaster.queryAsAdmin("SELECT @@GLOBAL.read_only"));
        assertWritesRefused(oldMaster);
        // Asked until it has caught up, as the scheduler does; it keeps receiving meanwhile.
        var targetAt = target.queryPosition(1).position();
        for (long deadline = System.nanoTime() + STEP.toNanos(); !targetAt.covers(masterAt); ) {
            assertTrue(System.nanoTime() < deadline, targetAt + " never covered " + masterAt);
            targetAt = target.queryPosition(1).position();
        }
        target.promote(1);
        oldMaster.reparent(1, target);

        insertOrders(target, 21, 25);
        MySqlProcess.eventually(REPLICATION, () -> "25".equals(oldMaster.queryAsAdmin("SELECT COUNT(*) FROM shop.orders")));
        var source = oldMaster.control().replicationSource().orElseThrow();
        assertTrue(source.isFrom(HOST, target.port()) && source.isRunning(), source.toString());
        assertEquals("1", oldMaster.queryAsAdmin("SELECT @@GLOBAL.read_only"));
        assertEquals("0", oldMaster.queryAsAdmin("SELECT @@GLOBAL.rpl_semi_sync_master_enabled"), "a replica waits for no one");
        assertEquals("ON", status(oldMaster, "rpl_semi_sync_slave_status"));
        assertEquals("0", target.queryAsAdmin("SELECT @@GLOBAL.rpl_semi_sync_slave_enabled"));
        assertEquals("ON", status(target, "rpl_semi_sync_master_status"));
    }

    @Test
    void aLaggingReplicaAnswersAtOnceWithWhatItHasReceived() throws Exception {
        var master = mysql.instance(1);
        var replica = mysql.instance(2);
        MySqlProcess.launchTogether(master, replica);
        master.promote(0);
        replica.reparent(0, master);
        createOrders(master);
        MySqlProcess.eventually(REPLICATION, () -> gtidPosition(replica).covers(gtidPosition(master)));
        Position masterAt;
        try (var lock = replica.connectAsAdmin(); var statement = lock.createStatement()) {
            // The SQL thread waits for this lock, while the IO thread keeps receiving.
            statement.execute("LOCK TABLES shop.orders WRITE");
            insertOrders(master, 1, 5);
            masterAt = gtidPosition(master);
            MySqlProcess.eventually(REPLICATION, () -> replicaReceived(replica).covers(gtidPosition(master)));

            long began = System.nanoTime();
            var waited = replica.queryPosition(1);
            long firstMs = millisSince(began);
            began = System.nanoTime();
            var repeated = replica.queryPosition(1);
            long repeatMs = millisSince(began);
            log.info("a lagging replica answered after {} ms, the repeat after {} ms", firstMs, repeatMs);

            assertTrue(firstMs < 1_000, "a lagging replica made the election wait " + firstMs + " ms");
            assertTrue(repeatMs < 1_000, "a repeat waited: " + repeatMs + " ms");
            assertTrue(waited.position().covers(masterAt), "what was received counts: " + waited.position() + " vs " + masterAt);
            assertFalse(gtidPosition(replica).covers(masterAt), "applied through a table lock?");
            assertEquals(waited.position(), repeated.position());
            assertTrue(replica.control().replicationSource().orElseThrow().ioRunning(), "the IO thread was stopped");
        }
        var replicaAt = replica.queryPosition(1).position();
        for (long deadline = System.nanoTime() + STEP.toNanos(); !replicaAt.covers(masterAt); ) {
            assertTrue(System.nanoTime() < deadline, replicaAt + " never covered " + masterAt);
            replicaAt = replica.queryPosition(1).position();
        }
    }

    @Test
    void semiSyncMasterWaitsForAReplica() throws Exception {
        var master = mysql.instance(1, true);
        var replica = mysql.instance(2, true);
        MySqlProcess.launchTogether(master, replica);
        master.promote(1);
        replica.reparent(1, master);
        MySqlProcess.eventually(REPLICATION, () -> semiSyncClients(master) == 1);

        assertEquals("ON", status(master, "rpl_semi_sync_master_status"));
        assertEquals("AFTER_SYNC", master.queryAsAdmin("SELECT @@GLOBAL.rpl_semi_sync_master_wait_point"));
        assertEquals("10000", master.queryAsAdmin("SELECT @@GLOBAL.rpl_semi_sync_master_timeout"));
        assertEquals("ON", status(replica, "rpl_semi_sync_slave_status"));
        long before = Long.parseLong(status(master, "rpl_semi_sync_master_yes_tx"));
        createOrders(master);
        insertOrders(master, 1, 1);
        assertTrue(Long.parseLong(status(master, "rpl_semi_sync_master_yes_tx")) >= before + 3,
                "the commits were not acknowledged by the replica");

        // A replica that replicates without semi-sync (as after a restart) gets it back on the next reparent.
        try (var connection = replica.connectAsAdmin(); var statement = connection.createStatement()) {
            statement.execute("SET GLOBAL rpl_semi_sync_slave_enabled=OFF");
            statement.execute("STOP SLAVE IO_THREAD");
            statement.execute("START SLAVE IO_THREAD");
        }
        assertEquals("OFF", status(replica, "rpl_semi_sync_slave_status"));
        replica.reparent(1, master);
        MySqlProcess.eventually(REPLICATION, () -> "ON".equals(status(replica, "rpl_semi_sync_slave_status")));
        long acknowledged = Long.parseLong(status(master, "rpl_semi_sync_master_yes_tx"));
        insertOrders(master, 2, 2);
        assertTrue(Long.parseLong(status(master, "rpl_semi_sync_master_yes_tx")) > acknowledged);
    }

    @Test
    void withoutSemiSyncNothingWaits() throws Exception {
        var master = mysql.instance(1);
        var replica = mysql.instance(2);
        MySqlProcess.launchTogether(master, replica);
        master.promote(1);
        replica.reparent(1, master);

        assertEquals("0", master.queryAsAdmin("SELECT @@GLOBAL.rpl_semi_sync_master_enabled"));
        assertEquals("0", replica.queryAsAdmin("SELECT @@GLOBAL.rpl_semi_sync_slave_enabled"));
    }

    @Test
    void healthChecksReportFailedWhenMysqldHangs() throws Exception {
        var instance = mysql.instance(1);
        instance.newRunner(new TaskRunner.Timeouts(START, Duration.ofSeconds(30)).withHealthChecks(Duration.ofMillis(250), 3));
        instance.launch();
        long pid = instance.pid();
        // A server that answers with an error is alive; one that does not answer is not.
        new JdbcMySqlControl(HOST, instance.port(), TaskData.ADMIN_USER, "wrong-password", MySqlProcess.installation())
                .checkAlive(Duration.ofSeconds(1));
        assertThrows(MySqlControlException.class, () -> new JdbcMySqlControl(HOST, MySqlProcess.freePort(),
                TaskData.ADMIN_USER, "any-password", MySqlProcess.installation()).checkAlive(Duration.ofSeconds(1)));
        try {
            long began = System.nanoTime();
            signal("STOP", pid);

            var failed = instance.events().expectStatus(TaskState.FAILED, Duration.ofSeconds(10));
            long tookMs = millisSince(began);
            log.info("SIGSTOP to FAILED: {} ms ({})", tookMs, failed.message());

            assertTrue(failed.message().startsWith("mysqld stopped answering health checks for "), failed.message());
            assertTrue(tookMs < 5_000, "FAILED only after " + tookMs + " ms");
            MySqlProcess.eventually(STEP, () -> !MySqlProcess.isAlive(pid));
            instance.runner().handle(new ExecutorCommand.Promote(1));
            instance.events().expectNoStatus(QUIET);
            instance.events().expectNoReport(Duration.ZERO);
        } finally {
            signal("CONT", pid);
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aReplicaWhoseReplicationBrokeIsReportedFailed() throws Exception {
        var master = mysql.instance(1);
        var replica = mysql.instance(2);
        replica.newRunner(new TaskRunner.Timeouts(START, Duration.ofSeconds(30)).withHealthChecks(Duration.ofMillis(200), 3));
        MySqlProcess.launchTogether(master, replica);
        master.promote(0);
        replica.reparent(0, master);
        createOrders(master);
        MySqlProcess.eventually(REPLICATION, () -> gtidPosition(replica).covers(gtidPosition(master)));
        try (var admin = replica.connectAsAdmin(); var statement = admin.createStatement()) {
            // A row written behind replication's back: the same row from the master stops the SQL thread.
            statement.execute("SET SESSION sql_log_bin=0");
            statement.execute("INSERT INTO shop.orders (id, item) VALUES (100, 'conflict')");
        }
        insertOrders(master, 100, 100);

        var failed = replica.events().expectStatus(TaskState.FAILED, Duration.ofSeconds(10));
        assertTrue(failed.message().startsWith("replication broke: its SQL thread stopped with error 1062"), failed.message());
        master.events().expectNoStatus(Duration.ofMillis(300));
    }

    @Test
    void healthChecksStopWithTheTask() throws Exception {
        var instance = mysql.instance(1);
        instance.newRunner(new TaskRunner.Timeouts(START, Duration.ofSeconds(30)).withHealthChecks(Duration.ofMillis(100), 2));
        instance.launch();

        instance.runner().kill();

        instance.events().expectStatus(TaskState.KILLED, STEP);
        instance.events().expectNoStatus(Duration.ofMillis(600));
        MySqlProcess.eventually(STEP, () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("mysos-health-" + instance.taskId()) && t.isAlive()));
    }

    @Test
    void newerEpochTurnsTheInstanceReadOnlyFirst() throws Exception {
        var master = mysql.instance(1);
        master.launch();
        master.promote(1);
        createOrders(master);

        // Even a command that cannot be carried out fences: its epoch says another election happened.
        master.runner().handle(new ExecutorCommand.Reparent(2, HOST, master.port()));

        var refused = master.events().expectReport(ExecutorReport.CommandFailed.class, STEP);
        assertTrue(refused.reason().contains("cannot replicate from itself"), refused.reason());
        assertEquals("1", master.queryAsAdmin("SELECT @@GLOBAL.read_only"));
        assertWritesRefused(master);

        master.promote(2);
        assertEquals("0", master.queryAsAdmin("SELECT @@GLOBAL.read_only"), "a promotion in the newer epoch turns writes on");
        master.promote(2);
        insertOrders(master, 1, 1);
    }

    @Test
    void olderEpochQueryIsIgnored() throws Exception {
        var master = mysql.instance(1);
        master.launch();
        master.promote(2);

        master.runner().handle(new ExecutorCommand.QueryPosition(1));

        master.events().expectNoReport(QUIET);
        assertEquals("0", master.queryAsAdmin("SELECT @@GLOBAL.read_only"), "the master of epoch 2 stays writable");
    }

    @Test
    void repeatedQueriesDoNotPileUpBeforeOtherCommands() throws Exception {
        var master = mysql.instance(1);
        var replica = mysql.instance(2);
        MySqlProcess.launchTogether(master, replica);
        master.promote(0);
        replica.reparent(0, master);

        long began = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            replica.runner().handle(new ExecutorCommand.QueryPosition(1));
        }
        replica.runner().handle(new ExecutorCommand.Promote(1));
        var answers = new ArrayList<ExecutorReport>();
        while (answers.isEmpty() || !(answers.get(answers.size() - 1) instanceof ExecutorReport.Promoted)) {
            answers.add(replica.events().expectReport(ExecutorReport.class, STEP));
        }
        log.info("50 queries and a promotion answered in {} ms with {} reports", millisSince(began), answers.size());

        assertTrue(answers.size() >= 2 && answers.size() <= 3, answers.toString());
        assertTrue(answers.subList(0, answers.size() - 1).stream()
                .allMatch(a -> a instanceof ExecutorReport.PositionReported p && p.epoch() == 1), answers.toString());
    }

    private static void createOrders(Instance master) throws SQLException {
        try (var connection = master.connectAsUser(); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE shop");
            statement.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(20))");
        }
    }

    private static void insertOrders(Instance master, int from, int to) throws SQLException {
        try (var connection = master.connectAsUser(); var statement = connection.createStatement()) {
            for (int id = from; id <= to; id++) {
                statement.execute("INSERT INTO shop.orders VALUES (" + id + ", 'item " + id + "')");
            }
        }
    }

    private static void assertWritesRefused(Instance instance) throws SQLException {
        try (var connection = instance.connectAsUser(); var statement = connection.createStatement()) {
            var refused = assertThrows(SQLException.class,
                    () -> statement.execute("INSERT INTO shop.orders VALUES (-1, 'refused')"));
            assertTrue(refused.getMessage().contains("read-only") || refused.getMessage().contains("read_only"),
                    refused.getMessage());
        }
    }

    /** The instance's GTID position, read directly. */
    private static Position gtidPosition(Instance instance) throws SQLException {
        return MySqlProcess.installation().flavor() == Flavor.MARIADB
                ? Position.mariadb(instance.queryAsAdmin("SELECT @@GLOBAL.gtid_current_pos"))
                : Position.mysql(instance.queryAsAdmin("SELECT @@GLOBAL.gtid_executed"));
    }

    /** What the replica's IO thread has received (MariaDB Gtid_IO_Pos, MySQL Retrieved_Gtid_Set). */
    private static Position replicaReceived(Instance replica) throws SQLException {
        boolean mariadb = MySqlProcess.installation().flavor() == Flavor.MARIADB;
        try (var connection = replica.connectAsAdmin(); var statement = connection.createStatement();
                var rows = statement.executeQuery(mariadb ? "SHOW SLAVE STATUS" : "SHOW REPLICA STATUS")) {
            if (!rows.next()) {
                return Position.mariadb("");
            }
            return mariadb ? Position.mariadb(rows.getString("Gtid_IO_Pos"))
                    : Position.mysql(rows.getString("Retrieved_Gtid_Set"));
        }
    }

    private static long semiSyncClients(Instance master) throws SQLException {
        return Long.parseLong(status(master, "rpl_semi_sync_master_clients"));
    }

    private static String status(Instance instance, String variable) throws SQLException {
        try (var connection = instance.connectAsAdmin(); var statement = connection.createStatement();
                var rows = statement.executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
            return rows.next() ? rows.getString(2) : null;
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        // Quiet: in the cleanup the process is usually gone already.
        var kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        kill.waitFor();
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }

}

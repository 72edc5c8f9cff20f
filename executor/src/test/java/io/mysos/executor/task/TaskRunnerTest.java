package io.mysos.executor.task;

import static io.mysos.executor.MySqlProcess.HOST;
import static io.mysos.executor.MySqlProcess.START;
import static io.mysos.executor.MySqlProcess.STEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import io.mysos.executor.MySqlProcess;
import io.mysos.executor.MySqlProcess.Instance;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The task runner against real mysqld processes, checked the way an operator would check them. */
class TaskRunnerTest {
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final Duration REPLICATION = Duration.ofSeconds(15);
    @RegisterExtension
    final MySqlProcess mysql = new MySqlProcess();

    @Test
    void launchReportsRunningAndAcceptsAdminLogin() throws Exception {
        var instance = mysql.instance(1, MySqlProcess.installation());
        instance.runner().launch();

        var starting = instance.events().expectStatus(TaskState.STARTING, START);
        var running = instance.events().expectStatus(TaskState.RUNNING, START);

        assertEquals(instance.taskId(), starting.taskId());
        assertTrue(running.message().contains("accepts connections on 127.0.0.1:" + instance.port()), running.message());
        assertEquals("1", instance.queryAsAdmin("SELECT 1"));
        assertEquals("1", instance.queryAsAdmin("SELECT @@GLOBAL.read_only"), "every start is read-only");
        assertEquals("1", instance.queryAsAdmin("SELECT @@GLOBAL.log_bin"));
        assertFalse(Files.exists(instance.sandbox().resolve("init.sql")), "the init file holds a password");

        instance.runner().launch();
        instance.runner().recover();
        instance.events().expectNoStatus(QUIET);
    }

    @Test
    void promotedMasterAcceptsWritesFromTheClusterUser() throws Exception {
        var master = mysql.instance(1);
        master.launch();

        var promoted = master.promote(1);

        assertEquals(new ExecutorReport.Promoted(master.taskId(), 1), promoted);
        assertEquals("0", master.queryAsAdmin("SELECT @@GLOBAL.read_only"));
        try (var connection = master.connectAsUser(); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE shop");
            statement.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(20))");
            statement.execute("INSERT INTO shop.orders VALUES (1, 'tea')");
        }
        assertEquals("tea", master.queryAsAdmin("SELECT item FROM shop.orders WHERE id = 1"));
    }

    @Test
    void replicaReplicatesARowFromTheMaster() throws Exception {
        var master = mysql.instance(1);
        var replica = mysql.instance(2);
        MySqlProcess.launchTogether(master, replica);
        master.promote(1);

        var reparented = replica.reparent(1, master);

        assertEquals(new ExecutorReport.Reparented(replica.taskId(), 1, HOST, master.port()), reparented);
        try (var connection = master.connectAsUser(); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE shop");
            statement.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(20))");
            statement.execute("INSERT INTO shop.orders VALUES (1, 'tea')");
        }
        MySqlProcess.eventually(REPLICATION, () -> "tea".equals(replica.queryAsAdmin(
                "SELECT item FROM shop.orders WHERE id = 1")));
        assertEquals("1", replica.queryAsAdmin("SELECT @@GLOBAL.read_only"));
    }

    @Test
    void replicaRefusesWritesFromTheClusterUser() throws Exception {
        var master = mysql.instance(1);
        var replica = mysql.instance(2);
        MySqlProcess.launchTogether(master, replica);
        master.promote(1);
        replica.reparent(1, master);
        try (var connection = master.connectAsUser(); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE shop");
            statement.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY)");
        }
        MySqlProcess.eventually(REPLICATION, () -> "orders".equals(replica.queryAsAdmin(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'shop'")));

        try (var connection = replica.connectAsUser(); var statement = connection.createStatement()) {
            var refused = assertThrows(SQLException.class, () -> statement.execute("INSERT INTO shop.orders VALUES (1)"));
            assertTrue(refused.getMessage().contains("read-only") || refused.getMessage().contains("read_only"),
                    refused.getMessage());
        }
        assertEquals("0", replica.queryAsAdmin("SELECT COUNT(*) FROM shop.orders"));
    }

    @Test
    void aPromotedReplicaKeepsWhatItReplicatedAndTakesWrites() throws Exception {
        var master = mysql.instance(1);
        var replica = mysql.instance(2);
        MySqlProcess.launchTogether(master, replica);
        master.promote(1);
        replica.reparent(1, master);
        try (var connection = master.connectAsUser(); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE shop");
            statement.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY)");
            statement.execute("INSERT INTO shop.orders VALUES (1)");
        }
        MySqlProcess.eventually(REPLICATION, () -> "1".equals(replica.queryAsAdmin("SELECT COUNT(*) FROM shop.orders")));
        killNow(master.pid());

        replica.promote(2);

        assertEquals(Optional.empty(), replica.control().replicationSource());
        try (var connection = replica.connectAsUser(); var statement = connection.createStatement()) {
            statement.execute("INSERT INTO shop.orders VALUES (2)");
        }
        assertEquals("2", replica.queryAsAdmin("SELECT COUNT(*) FROM shop.orders"));
    }

    @Test
    void killStopsMysqldAndFreesThePort() throws Exception {
        var instance = mysql.instance(1);
        instance.launch();
        long pid = instance.pid();

        instance.runner().kill();

        var killed = instance.events().expectStatus(TaskState.KILLED, STEP);
        assertEquals(instance.taskId(), killed.taskId());
        assertFalse(MySqlProcess.isAlive(pid), "mysqld still runs");
        try (var socket = new ServerSocket(instance.port(), 1, InetAddress.getByName(HOST))) {
            assertEquals(instance.port(), socket.getLocalPort());
        }
        instance.runner().kill();
        instance.runner().handle(new ExecutorCommand.Promote(1));
        instance.events().expectNoStatus(QUIET);
        instance.events().expectNoReport(Duration.ZERO);
    }

    @Test
    void recoverAdoptsALiveMysqld() throws Exception {
        var instance = mysql.instance(1);
        instance.launch();
        long pid = instance.pid();

        var runner = instance.newRunner();
        runner.recover();

        var running = instance.events().expectStatus(TaskState.RUNNING, START);
        assertTrue(running.message().contains("adopted"), running.message());
        assertEquals(pid, instance.pid());
        assertEquals(pid, runner.pid().orElseThrow());
        assertEquals("1", instance.queryAsAdmin("SELECT 1"));
        instance.events().expectNoStatus(QUIET);
    }

    @Test
    void recoverRestartsMysqldOnItsDataDir() throws Exception {
        var instance = mysql.instance(1);
        instance.launch();
        instance.promote(1);
        try (var connection = instance.connectAsUser(); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE shop");
            statement.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY, item VARCHAR(20))");
            statement.execute("INSERT INTO shop.orders VALUES (1, 'tea')");
        }
        long oldPid = instance.pid();
        var runner = instance.newRunner();
        killNow(oldPid);

        runner.recover();

        instance.events().expectStatus(TaskState.STARTING, START);
        instance.events().expectStatus(TaskState.RUNNING, START);
        assertNotEquals(oldPid, instance.pid());
        assertEquals("tea", instance.queryAsAdmin("SELECT item FROM shop.orders WHERE id = 1"));
        assertEquals("1", instance.queryAsAdmin("SELECT @@GLOBAL.read_only"), "read-only again until promoted");
    }

    @Test
    void recoverReportsLostWhenTheDataDirIsGone() throws Exception {
        var instance = mysql.instance(1);
        instance.launch();
        instance.runner().shutdown().get();
        var runner = instance.newRunner();
        io.mysos.executor.mysql.SandboxLayout.deleteTree(instance.sandbox().resolve("data"));

        runner.recover();

        var lost = instance.events().expectStatus(TaskState.LOST, STEP);
        assertTrue(lost.message().contains("data directory " + instance.sandbox().resolve("data") + " is gone"),
                lost.message());
        assertEquals(0, MySqlProcess.mysqldsOf(instance.sandbox()).size());
    }

    @Test
    void launchOnABusyPortReportsFailedWithTheReason() throws Exception {
        var instance = mysql.instance(1);
        try (var busy = new ServerSocket(instance.port(), 1, InetAddress.getByName(HOST))) {
            instance.runner().launch();

            instance.events().expectStatus(TaskState.STARTING, START);
            var failed = instance.events().expectStatus(TaskState.FAILED, START);

            assertTrue(failed.message().startsWith("mysqld exited with code 1: "), failed.message());
            assertTrue(failed.message().contains("Address already in use"), failed.message());
            assertEquals(0, MySqlProcess.mysqldsOf(instance.sandbox()).size(), "a failed launch left mysqld behind");
        }
        instance.events().expectNoStatus(QUIET);
    }

    @Test
    void unexpectedExitReportsFailed() throws Exception {
        var instance = mysql.instance(1);
        instance.launch();

        killNow(instance.pid());

        var failed = instance.events().expectStatus(TaskState.FAILED, STEP);
        assertTrue(failed.message().startsWith("mysqld exited with code 137 (killed by signal 9)"), failed.message());
    }

    @Test
    void serverIdsComeFromTheTaskAndAreNeverZero() throws Exception {
        var first = mysql.instance(7);
        var second = mysql.instance(12);
        MySqlProcess.launchTogether(first, second);

        assertEquals("7", first.queryAsAdmin("SELECT @@server_id"));
        assertEquals("12", second.queryAsAdmin("SELECT @@server_id"));
        var zero = new TaskData(new TaskId("mysos-test-1"), "test", 0, HOST, MySqlProcess.freePort(),
                first.data().resources(), "app", first.data().userPassword(), first.data().adminPassword(),
                first.data().backupId(), false);
        assertThrows(InvalidInputException.class, () -> new TaskRunner(zero, mysql.root().resolve("zero"),
                MySqlProcess.installation(), mysql.key(), new io.mysos.executor.RecordingListener()));
    }

    @Test
    void olderEpochCommandsAreIgnored() throws Exception {
        var instance = mysql.instance(1);
        instance.launch();
        instance.promote(2);

        instance.runner().handle(new ExecutorCommand.Reparent(1, HOST, MySqlProcess.freePort()));
        instance.runner().handle(new ExecutorCommand.Promote(1));

        instance.events().expectNoReport(QUIET);
        assertEquals("0", instance.queryAsAdmin("SELECT @@GLOBAL.read_only"), "the master of epoch 2 stays writable");
        assertEquals(Optional.empty(), instance.control().replicationSource());
    }

    @Test
    void commandsAreIdempotent() throws Exception {
        var master = mysql.instance(1);
        var replica = mysql.instance(2);
        MySqlProcess.launchTogether(master, replica);

        master.promote(1);
        master.promote(1);
        replica.reparent(1, master);
        replica.reparent(1, master);

        assertEquals("0", master.queryAsAdmin("SELECT @@GLOBAL.read_only"));
        assertEquals("1", master.queryAsAdmin("SELECT COUNT(*) FROM mysql.user WHERE user = 'app'"));
        try (var connection = master.connectAsUser(); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE shop");
            statement.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY)");
            statement.execute("INSERT INTO shop.orders VALUES (1)");
        }
        MySqlProcess.eventually(REPLICATION, () -> "1".equals(replica.queryAsAdmin("SELECT COUNT(*) FROM shop.orders")));
        assertEquals("1", replica.queryAsAdmin("SELECT @@GLOBAL.read_only"));
        replica.events().expectNoStatus(Duration.ZERO);

        master.runner().handle(new ExecutorCommand.Reparent(1, HOST, replica.port()));
        var refused = master.events().expectReport(ExecutorReport.CommandFailed.class, STEP);
        assertTrue(refused.reason().contains("one epoch has one master"), refused.reason());
        assertEquals("0", master.queryAsAdmin("SELECT @@GLOBAL.read_only"), "the master of epoch 1 stays the master");
    }

    private static void killNow(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        var deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (MySqlProcess.isAlive(pid) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}

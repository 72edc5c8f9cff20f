package io.mysos.executor.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.election.Position;
import io.mysos.core.task.TaskState;
import io.mysos.executor.MySqlProcess;
import io.mysos.executor.MySqlProcess.Instance;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On Mesos a failed instance is relaunched on its persistent volume as a new task, so its mysqld runs
 * on the old data directory under a new server_id. A former master must then still count what it
 * wrote as a master (MariaDB ties gtid_current_pos to the server_id) and replicate from its successor
 * instead of asking it for its own history again (seen on a real Mesos: error 1236, then a relaunch loop).
 */
class RelaunchOnItsDataTest {
    private static final Duration REPLICATION = Duration.ofSeconds(20);
    @RegisterExtension
    final MySqlProcess mysql = new MySqlProcess();

    @Test
    void aMasterRelaunchedOnItsDataUnderANewServerIdKeepsItsHistoryAndFollowsItsSuccessor() throws Exception {
        var master = mysql.instance(1);
        var replica = mysql.instance(2);
        MySqlProcess.launchTogether(master, replica);
        master.promote(1);
        replica.reparent(1, master);
        execute(master, "CREATE DATABASE shop", "CREATE TABLE shop.orders (id BIGINT PRIMARY KEY, item VARCHAR(64))",
                "INSERT INTO shop.orders VALUES (1, 'a'), (2, 'b'), (3, 'c')");
        var writtenAsMaster = master.queryPosition(1).position();
        MySqlProcess.eventually(REPLICATION, () -> replica.queryPosition(1).position().covers(writtenAsMaster));

        MySqlProcess.killNow(master.pid());
        master.events().expectStatus(TaskState.FAILED, MySqlProcess.STEP);
        replica.promote(2);
        execute(replica, "INSERT INTO shop.orders VALUES (4, 'written on the successor')");
        var successorAt = replica.queryPosition(2).position();

        var relaunched = mysql.instanceOnTheDataOf(master, 3);
        relaunched.launch();
        assertEquals("3", relaunched.queryAsAdmin("SELECT @@server_id"));
        Position reported = relaunched.queryPosition(2).position();
        assertTrue(reported.covers(writtenAsMaster), "relaunched under a new server_id, it reports " + reported
                + ", which lacks what it wrote as the master (" + writtenAsMaster + ")");

        relaunched.reparent(2, replica);
        MySqlProcess.eventually(REPLICATION, () -> relaunched.queryPosition(2).position().covers(successorAt));
        // The position counts what is in the binary log, which MariaDB writes just before the commit is visible.
        MySqlProcess.eventually(REPLICATION, () -> "4".equals(relaunched.queryAsAdmin("SELECT COUNT(*) FROM shop.orders")));
        assertEquals("written on the successor", relaunched.queryAsAdmin("SELECT item FROM shop.orders WHERE id = 4"));
        assertEquals("", lastIoError(relaunched));
    }

    private static String lastIoError(Instance instance) throws SQLException {
        try (var connection = instance.connectAsAdmin(); var statement = connection.createStatement();
                var rows = statement.executeQuery("SHOW SLAVE STATUS")) {
            assertTrue(rows.next(), instance + " does not replicate");
            return rows.getString("Last_IO_Error");
        }
    }

    private static void execute(Instance instance, String... statements) throws SQLException {
        try (var connection = instance.connectAsAdmin(); var statement = connection.createStatement()) {
            for (var sql : statements) {
                statement.execute(sql);
            }
        }
    }
}

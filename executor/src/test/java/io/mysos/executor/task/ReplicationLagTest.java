package io.mysos.executor.task;

import static io.mysos.executor.MySqlProcess.STEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.cluster.Lag;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.executor.MySqlProcess;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replica's health checks tell the scheduler how far behind its master it is, against real
 * mysqld processes: a replica with a backlog to apply reports it is catching up (and by how many
 * transactions), then that it is in sync, and then keeps quiet while nothing changes; a replica
 * whose SQL thread stops says it no longer replicates, and again when it does.
 */
class ReplicationLagTest {
    private static final int BACKLOG = 200;
    @RegisterExtension
    final MySqlProcess mysql = new MySqlProcess();

    @Test
    void aReplicaFedABacklogReportsCatchingUpThenInSync() throws Exception {
        var master = mysql.instance(1);
        var replica = mysql.instance(2);
        MySqlProcess.launchTogether(master, replica);
        master.promote(0);
        replica.reparent(0, master);
        var first = replica.events().expectLag(lag -> true, STEP);
        assertEquals(replica.taskId(), first.taskId());
        assertEquals(0, first.epoch());
        if (!first.replicating()) {
            // Measured while its IO thread was still connecting: it says so once it replicates.
            replica.events().expectLag(ExecutorReport.ReplicationLag::replicating, STEP);
        }

        // The replica receives the master's writes but applies none of them: a backlog, as a
        // replacement restored from an old backup or started on a slow disk has.
        execute(replica.connectAsAdmin(), "STOP SLAVE SQL_THREAD");
        // Told at once, not at the next minute's refresh: its replication stopped.
        var stopped = replica.events().expectLag(lag -> !lag.replicating(), STEP);
        assertEquals(0, stopped.epoch());
        try (var connection = master.connectAsUser(); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE shop");
            statement.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY)");
            for (int id = 1; id <= BACKLOG; id++) {
                statement.execute("INSERT INTO shop.orders VALUES (" + id + ")");
            }
        }
        var behind = replica.events().expectLag(lag -> lag.catchingUp() && lag.transactions() >= BACKLOG, STEP);
        assertEquals(0, behind.epoch());
        assertTrue(behind.transactions() > Lag.MAX_TRANSACTIONS, behind.toString());

        execute(replica.connectAsAdmin(), "START SLAVE SQL_THREAD");
        var inSync = replica.events().expectLag(lag -> !lag.catchingUp() && lag.replicating(), STEP);
        assertTrue(inSync.transactions() <= Lag.MAX_TRANSACTIONS, inSync.toString());
        assertEquals(String.valueOf(BACKLOG), replica.queryAsAdmin("SELECT COUNT(*) FROM shop.orders"));
        // In sync and unchanged: no report with every health check (one a second).
        replica.events().expectNoLag(Duration.ofSeconds(3));
        master.events().expectNoLag(Duration.ZERO);
    }

    private static void execute(java.sql.Connection connection, String sql) throws SQLException {
        try (connection; var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}

package io.mysos.executor.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.mysos.core.election.Election;
import io.mysos.core.election.Position;
import io.mysos.executor.MySqlProcess;
import io.mysos.executor.MySqlProcess.Instance;
import io.mysos.executor.mysql.MySqlInstallation.Flavor;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two real instances whose histories forked (each committed a transaction the other lacks, as after
 * a split brain or an errant write on a replica) report positions that neither covers, so an
 * election records the divergence instead of promoting one and silently dropping the other's data.
 */
class DivergedHistoryTest {
    private static final Duration REPLICATION = Duration.ofSeconds(15);
    @RegisterExtension
    final MySqlProcess mysql = new MySqlProcess();

    @Test
    void twoInstancesThatEachCommittedWhatTheOtherLacksCompareAsDiverged() throws Exception {
        var first = mysql.instance(1);
        var second = mysql.instance(2);
        MySqlProcess.launchTogether(first, second);
        first.promote(1);
        second.reparent(1, first);
        execute(first, "CREATE DATABASE IF NOT EXISTS shop",
                "CREATE TABLE shop.orders (id BIGINT PRIMARY KEY, item VARCHAR(64))",
                "INSERT INTO shop.orders VALUES (1, 'shared')");
        var shared = gtidPosition(first);
        MySqlProcess.eventually(REPLICATION, () -> gtidPosition(second).covers(shared));

        // The fork: replication stops, then each side commits a transaction of its own.
        execute(second, "STOP SLAVE");
        execute(first, "INSERT INTO shop.orders VALUES (2, 'only on the first')");
        execute(second, "SET GLOBAL read_only = 0", "INSERT INTO shop.orders VALUES (3, 'only on the second')");

        var firstAt = first.queryPosition(2).position();
        var secondAt = second.queryPosition(2).position();
        assertFalse(firstAt.covers(secondAt), firstAt + " must not cover " + secondAt);
        assertFalse(secondAt.covers(firstAt), secondAt + " must not cover " + firstAt);
        var decided = Election.decide(Map.of(first.taskId(), firstAt, second.taskId(), secondAt), Map.of()).orElseThrow();
        var diverged = assertInstanceOf(Election.Diverged.class, decided, "positions " + firstAt + " and " + secondAt);
        var other = diverged.mostAdvanced().equals(first.taskId()) ? second : first;
        var otherAt = other == first ? firstAt : secondAt;
        var mostAdvancedAt = other == first ? secondAt : firstAt;
        assertEquals(Map.of(other.taskId(), mostAdvancedAt.lacking(otherAt)), diverged.lacking());
        assertFalse(diverged.lacking().get(other.taskId()).isEmpty());
    }

    private static void execute(Instance instance, String... statements) throws SQLException {
        try (var connection = instance.connectAsAdmin(); var statement = connection.createStatement()) {
            for (var sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static Position gtidPosition(Instance instance) throws SQLException {
        return MySqlProcess.installation().flavor() == Flavor.MARIADB
                ? Position.mariadb(instance.queryAsAdmin("SELECT @@GLOBAL.gtid_current_pos"))
                : Position.mysql(instance.queryAsAdmin("SELECT @@GLOBAL.gtid_executed"));
    }
}

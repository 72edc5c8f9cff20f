package io.mysos.executor.mysql;

import io.mysos.core.cluster.Lag;
import io.mysos.core.election.Position;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Reads a server's replica status ({@code SHOW REPLICA STATUS}, or {@code SHOW SLAVE STATUS} where
 * the dialect says so): where it replicates from, whether its replication broke for good, how far
 * behind it is, and what it received. Each read is one query on the caller's statement.
 */
final class ReplicationStatus {
    /** The IO thread's error for "the master's binary log lacks what the replica asks for": never retried. */
    private static final int ER_MASTER_FATAL_ERROR_READING_BINLOG = 1236;

    private ReplicationStatus() {}

    /** Where the server replicates from and how its threads are; empty when from nowhere. */
    static Optional<ReplicationSource> source(Statement statement, SqlDialect dialect) throws SQLException {
        try (var rows = statement.executeQuery(dialect.showReplicaStatus())) {
            if (!rows.next()) {
                return Optional.empty();
            }
            var sourceHost = column(rows, "Source_Host", "Master_Host").orElse("");
            if (sourceHost.isBlank()) {
                return Optional.empty();
            }
            int sourcePort = Integer.parseInt(column(rows, "Source_Port", "Master_Port").orElse("0"));
            boolean io = "Yes".equalsIgnoreCase(column(rows, "Replica_IO_Running", "Slave_IO_Running").orElse(""));
            boolean sql = "Yes".equalsIgnoreCase(column(rows, "Replica_SQL_Running", "Slave_SQL_Running").orElse(""));
            var error = column(rows, "Last_IO_Error", "Last_IO_Error").filter(e -> !e.isBlank())
                    .or(() -> column(rows, "Last_SQL_Error", "Last_SQL_Error").filter(e -> !e.isBlank()));
            return Optional.of(new ReplicationSource(sourceHost, sourcePort, io, sql, error));
        }
    }

    /** See {@link MySqlControl#replicationBroken}. */
    static Optional<String> broken(Statement statement, SqlDialect dialect) throws SQLException {
        try (var rows = statement.executeQuery(dialect.showReplicaStatus())) {
            if (!rows.next() || column(rows, "Source_Host", "Master_Host").orElse("").isBlank()) {
                return Optional.empty();
            }
            boolean io = !"No".equalsIgnoreCase(column(rows, "Replica_IO_Running", "Slave_IO_Running").orElse(""));
            boolean sql = "Yes".equalsIgnoreCase(column(rows, "Replica_SQL_Running", "Slave_SQL_Running").orElse(""));
            int ioErrno = Integer.parseInt(column(rows, "Last_IO_Errno", "Last_IO_Errno").orElse("0"));
            int sqlErrno = Integer.parseInt(column(rows, "Last_SQL_Errno", "Last_SQL_Errno").orElse("0"));
            if (!sql && sqlErrno != 0) {
                return Optional.of("its SQL thread stopped with error " + sqlErrno + ": "
                        + column(rows, "Last_SQL_Error", "Last_SQL_Error").orElse(""));
            }
            if (!io && ioErrno == ER_MASTER_FATAL_ERROR_READING_BINLOG) {
                return Optional.of("its IO thread gave up with error " + ioErrno + ": "
                        + column(rows, "Last_IO_Error", "Last_IO_Error").orElse(""));
            }
            return Optional.empty();
        }
    }

    /** How far the replica is behind, given what it applied (its GTID set, if it has GTIDs); empty when it replicates from nobody. */
    static Optional<Lag> lag(Statement statement, SqlDialect dialect, Optional<Position> applied) throws SQLException {
        try (var rows = statement.executeQuery(dialect.showReplicaStatus())) {
            if (!rows.next() || column(rows, "Source_Host", "Master_Host").orElse("").isBlank()) {
                return Optional.empty();
            }
            var received = Optional.ofNullable(rows.getString(dialect.receivedGtidsColumn())).orElse("");
            var seconds = column(rows, "Seconds_Behind_Source", "Seconds_Behind_Master").map(Long::parseLong);
            // "Connecting" (the master unreachable) is not replicating either.
            boolean replicating = "Yes".equalsIgnoreCase(column(rows, "Replica_IO_Running", "Slave_IO_Running").orElse(""))
                    && "Yes".equalsIgnoreCase(column(rows, "Replica_SQL_Running", "Slave_SQL_Running").orElse(""));
            if (applied.isEmpty()) {
                // No GTIDs: only the server's own estimate counts.
                return Optional.of(Lag.of(0, seconds).withReplicating(replicating));
            }
            var reachable = received.isBlank() ? applied.get() : applied.get().union(dialect.gtidPosition(received));
            return Optional.of(Lag.measure(applied.get(), reachable, seconds).withReplicating(replicating));
        }
    }

    /** The GTIDs the IO thread received ("" when none are known); empty when the server has no replica status at all. */
    static Optional<String> received(Statement statement, SqlDialect dialect) throws SQLException {
        try (var rows = statement.executeQuery(dialect.showReplicaStatus())) {
            if (!rows.next()) {
                return Optional.empty();
            }
            return Optional.of(Optional.ofNullable(rows.getString(dialect.receivedGtidsColumn())).orElse(""));
        }
    }

    /** The first of two column names the result has: MySQL renamed them in 8.0.22, MariaDB did not. */
    private static Optional<String> column(ResultSet rows, String name, String oldName) {
        for (var candidate : new String[] {name, oldName}) {
            try {
                return Optional.ofNullable(rows.getString(candidate));
            } catch (SQLException noSuchColumn) {
                // try the other name
            }
        }
        return Optional.empty();
    }
}

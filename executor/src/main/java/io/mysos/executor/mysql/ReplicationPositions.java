package io.mysos.executor.mysql;

import io.mysos.core.election.Position;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads how far a server has come (its GTID set, or its binlog file and offset when it has no
 * GTIDs), what it can reach with what it already received, and waits for its applier to catch up.
 */
final class ReplicationPositions {
    static final long APPLY_POLL_MS = 10;

    private final SqlDialect dialect;
    /** The server's host:port, for messages. */
    private final String address;

    ReplicationPositions(SqlDialect dialect, String address) {
        this.dialect = dialect;
        this.address = address;
    }

    /** What the server applied: its GTID set, or its binlog position when it has no GTIDs. */
    Position applied(Statement statement) throws SQLException {
        return gtids(statement).orElseGet(() -> binlog(statement));
    }

    /** What the server applied and what its IO thread received and not yet applied, together. */
    Position reachable(Statement statement) throws SQLException {
        var applied = gtids(statement);
        if (applied.isEmpty()) {
            return binlog(statement);
        }
        var received = ReplicationStatus.received(statement, dialect).orElse("");
        return received.isBlank() ? applied.get() : applied.get().union(dialect.gtidPosition(received));
    }

    /** The server's GTID set; empty without GTIDs. */
    Optional<Position> gtids(Statement statement) throws SQLException {
        try (var rows = statement.executeQuery(dialect.gtidPositionQuery())) {
            return rows.next() ? Optional.ofNullable(rows.getString(1)).map(dialect::gtidPosition) : Optional.empty();
        }
    }

    /**
     * Polls until the server's GTID set covers what the IO thread had received at the start. Polling
     * (not MASTER_GTID_WAIT, which compares with gtid_slave_pos only) also suits a demoted former
     * master, whose history is in its own binlog.
     */
    boolean awaitApplied(Statement statement, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        var receivedAtStart = ReplicationStatus.received(statement, dialect);
        if (receivedAtStart.isEmpty()) {
            return true;
        }
        String received = receivedAtStart.get();
        if (received.isBlank()) {
            return true;
        }
        var wanted = dialect.gtidPosition(received);
        while (true) {
            var applied = gtids(statement);
            if (applied.isEmpty()) {
                // Without GTIDs (never in Mysos's my.cnf) there is nothing to compare with.
                return true;
            }
            if (applied.get().covers(wanted)) {
                return true;
            }
            if (!ReplicationStatus.source(statement, dialect).map(ReplicationSource::sqlRunning).orElse(false)
                    || System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(APPLY_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private Position binlog(Statement statement) {
        try (var rows = statement.executeQuery(dialect.binlogStatus())) {
            if (!rows.next()) {
                throw new MySqlControlException(address + " has neither GTIDs nor a binary log, so it has no replication position");
            }
            return Position.binlog(rows.getString("File"), rows.getLong("Position"));
        } catch (SQLException e) {
            throw new MySqlControlException("could not read the binary log position of " + address
                    + ": " + JdbcMySqlControl.firstLine(e.getMessage()), e);
        }
    }
}

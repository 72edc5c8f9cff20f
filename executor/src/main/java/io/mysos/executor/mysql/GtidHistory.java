package io.mysos.executor.mysql;

import io.mysos.core.election.Position;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** Where a MariaDB server's GTID history starts, when it does not start empty on a fresh data directory. */
final class GtidHistory {
    private GtidHistory() {}

    /** The history begins at {@code gtids}, as applied and as binlogged; any replication of the source is forgotten. */
    static void startAt(Connection connection, String gtids) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("STOP ALL SLAVES");
            statement.execute("RESET SLAVE ALL");
            statement.execute("RESET MASTER");
        }
        for (var variable : new String[] {"gtid_binlog_state", "gtid_slave_pos"}) {
            try (var set = connection.prepareStatement("SET GLOBAL " + variable + " = ?")) {
                set.setString(1, gtids);
                set.execute();
            }
        }
    }

    /**
     * A data directory that runs under a new server_id: MariaDB no longer counts the GTIDs it binlogged as a
     * master as applied, so it would report too little and ask its new master for its own history again
     * (error 1236, "the slave position is not in the master's binlog"). Makes gtid_slave_pos hold, per domain,
     * the later of what it applied as a replica and what its binary log holds. A history that diverged from
     * the cluster's still fails at the new master, as it must.
     *
     * @return the position it now reports, when it had to change it
     */
    static Optional<Position> keepUnderNewServerId(Connection connection, SqlDialect dialect) throws SQLException {
        try (var statement = connection.createStatement()) {
            String binlogged;
            String applied;
            try (var rs = statement.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos, @@GLOBAL.gtid_slave_pos")) {
                rs.next();
                binlogged = Optional.ofNullable(rs.getString(1)).orElse("");
                applied = Optional.ofNullable(rs.getString(2)).orElse("");
            }
            var before = dialect.gtidPosition(applied);
            var history = before.union(dialect.gtidPosition(binlogged));
            if (history.equals(before)) {
                return Optional.empty();
            }
            // gtid_slave_pos cannot change under a running slave; it restarts on the history it now has.
            boolean replicating = ReplicationStatus.source(statement, dialect).isPresent();
            statement.execute("STOP ALL SLAVES");
            try (var set = connection.prepareStatement("SET GLOBAL gtid_slave_pos = ?")) {
                set.setString(1, history.value());
                set.execute();
            }
            if (replicating) {
                statement.execute(dialect.startReplica());
            }
            return Optional.of(history);
        }
    }
}

package io.mysos.executor.mysql;

import io.mysos.core.cluster.Lag;
import io.mysos.core.cluster.MySqlUserName;
import io.mysos.core.election.Position;
import io.mysos.core.password.Passwords;
import io.mysos.executor.mysql.SemiSyncPlugin.Side;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * {@link MySqlControl} over Connector/J: one short-lived TCP connection per call, as the admin
 * account, with short timeouts so a hung server fails a command instead of hanging the executor.
 * What the calls read and change on that connection is in {@link ReplicationStatus},
 * {@link ReplicationPositions}, {@link SemiSyncProviders} and {@link SuperReadOnly}.
 */
public final class JdbcMySqlControl implements MySqlControl {
    static final int CONNECT_TIMEOUT_MS = 2_000;
    static final int SOCKET_TIMEOUT_MS = 10_000;
    /** Shorter than the socket timeout, so the wait answers before the connection gives up. */
    static final Duration RELAY_LOG_DRAIN = Duration.ofSeconds(8);
    /** Fencing must not queue behind a long lock for ever (the server default is a year); it fails and is retried. */
    static final int READ_ONLY_LOCK_WAIT_SECONDS = 5;
    private static final int ACCESS_DENIED = 1045;

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final SqlDialect dialect;
    private final ReplicationPositions positions;
    private final SemiSyncProviders semiSyncProviders;

    public JdbcMySqlControl(String host, int port, String user, String password, MySqlInstallation mysql) {
        this.host = Endpoints.validHost(host);
        this.port = Endpoints.validPort(port);
        SqlLiteral.userName(user);
        SqlLiteral.password(password);
        this.user = user;
        this.password = password;
        this.dialect = SqlDialect.of(mysql.flavor(), mysql.version());
        this.positions = new ReplicationPositions(dialect, Endpoints.address(this.host, this.port));
        this.semiSyncProviders = new SemiSyncProviders(dialect);
    }

    @Override
    public boolean ping() {
        try (var connection = connect(); var statement = connection.createStatement()) {
            statement.executeQuery("SELECT 1").close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void checkAlive(Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try (var connection = connect(millis, millis); var statement = connection.createStatement()) {
            statement.executeQuery("SELECT 1").close();
        } catch (SQLException e) {
            if (e.getErrorCode() > 0) {
                // The server itself sent an error (access denied, too many connections): slow or misused, not hung.
                return;
            }
            throw new MySqlControlException("no answer from " + Endpoints.address(host, port) + " (limit " + millis + " ms): "
                    + firstLine(e.getMessage()), e);
        }
    }

    @Override
    public boolean isReadOnly() {
        return run("read read_only", connection -> {
            try (var statement = connection.createStatement();
                    var rows = statement.executeQuery("SELECT @@GLOBAL.read_only")) {
                rows.next();
                return rows.getBoolean(1);
            }
        });
    }

    @Override
    public void setDurable(boolean durable) {
        run("set " + (durable ? "full" : "relaxed") + " durability", connection -> {
            try (var statement = connection.createStatement()) {
                statement.execute("SET GLOBAL innodb_flush_log_at_trx_commit=" + (durable ? 1 : 2));
                statement.execute("SET GLOBAL sync_binlog=" + (durable ? 1 : 0));
            }
            return null;
        });
    }

    @Override
    public void setReadOnly(boolean readOnly) {
        run("set read_only=" + (readOnly ? "ON" : "OFF"), connection -> {
            try (var statement = connection.createStatement()) {
                statement.execute("SET SESSION lock_wait_timeout=" + READ_ONLY_LOCK_WAIT_SECONDS);
                for (var sql : dialect.setReadOnly(readOnly)) {
                    statement.execute(sql);
                }
            }
            return null;
        });
    }

    @Override
    public void ensureClusterUser(String user, String password) {
        MySqlUserName.validate(user);
        Passwords.validate(password);
        var statements = SqlDialect.ensureUser(user, password);
        run("create the cluster user '" + user + "'", connection -> {
            try (var statement = connection.createStatement()) {
                SuperReadOnly.whileLowered(statement, dialect, () -> {
                    for (var sql : statements) {
                        statement.execute(sql);
                    }
                });
            }
            return null;
        });
    }

    @Override
    public ReplicationChange replicateFrom(String host, int port, String user, String password, boolean semiSync) {
        var change = dialect.changeSource(host, port, user, password);
        return run("replicate from " + Endpoints.address(host, port), connection -> {
            try (var statement = connection.createStatement()) {
                boolean replicating = readSource(statement).filter(s -> s.isFrom(host, port) && s.isRunning()).isPresent();
                if (semiSync) {
                    // The master half would make this replica's own commits (its applier's) wait for acknowledgements.
                    var master = semiSyncProviders.provider(connection, statement, Side.MASTER, false);
                    if (master.isPresent() && SemiSyncProviders.isOn(statement, master.get().variable("enabled"))) {
                        statement.execute(SqlDialect.semiSyncEnabled(master.get(), false));
                    }
                    var replica = semiSyncProviders.provider(connection, statement, Side.REPLICA, true).orElseThrow();
                    boolean wasOn = SemiSyncProviders.isOn(statement, replica.variable("enabled"));
                    if (!wasOn) {
                        statement.execute(SqlDialect.semiSyncEnabled(replica, true));
                    }
                    if (replicating) {
                        if (wasOn && SemiSyncProviders.statusIsOn(statement, replica.variable("status"))) {
                            return ReplicationChange.NONE;
                        }
                        // The IO thread asks for semi-sync only when it connects.
                        statement.execute(dialect.stopIoThread());
                        statement.execute(dialect.startIoThread());
                        return ReplicationChange.RESTARTED_IO_THREAD;
                    }
                } else if (replicating) {
                    return ReplicationChange.NONE;
                }
                statement.execute(dialect.stopReplica());
                statement.execute(change);
                statement.execute(dialect.startReplica());
                return ReplicationChange.NEW_SOURCE;
            }
        });
    }

    /**
     * For an instance restored from a backup (MariaDB): its history begins at {@code gtids}, both as what it
     * applied (so it replicates on from there) and as its binary log's state (so, as a master, replicas
     * restored from the same backup find their position in it). Forgets any replication of the source.
     */
    public void startHistoryAt(String gtids) {
        run("start the GTID history at " + gtids, connection -> {
            GtidHistory.startAt(connection, gtids);
            return null;
        });
    }

    /**
     * For a data directory an earlier task wrote (an instance relaunched on its persistent volume), which now
     * runs under a new server_id: see {@link GtidHistory#keepUnderNewServerId}.
     *
     * @return the position it now reports, when it had to change it
     */
    public Optional<Position> keepHistoryUnderNewServerId() {
        if (!dialect.currentPositionTiedToServerId()) {
            return Optional.empty();
        }
        return run("keep the GTID history of the data directory", connection -> GtidHistory.keepUnderNewServerId(connection, dialect));
    }

    /** Where the binary log is and goes (a master's archiver reads it every second). */
    public BinlogStatus binlogStatus() {
        return run("read the binary log status", JdbcMySqlControl::binlogStatus);
    }

    /** {@link #binlogStatus()} over one connection kept open: the archiver asks every second. */
    public BinlogStatusReader binlogStatusReader() {
        return new BinlogStatusReader(this);
    }

    static BinlogStatus binlogStatus(Connection connection) throws SQLException {
        try (var statement = connection.createStatement()) {
            String file;
            long position;
            try (var rs = statement.executeQuery("SHOW MASTER STATUS")) {
                if (!rs.next()) {
                    throw new SQLException("the binary log is off (SHOW MASTER STATUS is empty)");
                }
                file = rs.getString(1);
                position = rs.getLong(2);
            }
            var files = new java.util.ArrayList<BinlogStatus.LogFile>();
            try (var rs = statement.executeQuery("SHOW BINARY LOGS")) {
                while (rs.next()) {
                    files.add(new BinlogStatus.LogFile(rs.getString(1), rs.getLong(2)));
                }
            }
            try (var rs = statement.executeQuery("SELECT @@gtid_binlog_pos, @@log_bin_basename, @@read_only")) {
                rs.next();
                var basename = java.nio.file.Path.of(rs.getString(2));
                return new BinlogStatus(file, position, files, rs.getString(1), basename.getParent(), rs.getBoolean(3));
            }
        }
    }

    @Override
    public void stopReplication() {
        run("stop replication", connection -> {
            try (var statement = connection.createStatement()) {
                var source = readSource(statement);
                if (source.isEmpty()) {
                    return null;
                }
                statement.execute(dialect.stopIoThread());
                if (source.get().sqlRunning() && !positions.awaitApplied(statement, RELAY_LOG_DRAIN)) {
                    throw new MySqlControlException("the replica at " + Endpoints.address(host, port)
                            + " has not applied the transactions it received within " + RELAY_LOG_DRAIN.toSeconds()
                            + " s (replication: " + readSource(statement).map(String::valueOf).orElse("gone")
                            + "); its replication stays stopped at the IO thread, try again");
                }
                statement.execute(dialect.stopReplica());
                statement.execute(dialect.resetReplicaAll());
            }
            return null;
        });
    }

    @Override
    public void setSemiSyncMaster(boolean on) {
        run("turn semi-sync replication's master side " + (on ? "on" : "off"), connection -> {
            try (var statement = connection.createStatement()) {
                var master = semiSyncProviders.provider(connection, statement, Side.MASTER, on);
                if (on) {
                    for (var sql : SqlDialect.semiSyncMasterOn(master.orElseThrow())) {
                        statement.execute(sql);
                    }
                    var replica = semiSyncProviders.provider(connection, statement, Side.REPLICA, false);
                    if (replica.isPresent()) {
                        statement.execute(SqlDialect.semiSyncEnabled(replica.get(), false));
                    }
                } else if (master.isPresent()) {
                    statement.execute(SqlDialect.semiSyncEnabled(master.get(), false));
                }
            }
            return null;
        });
    }

    @Override
    public Optional<ReplicationSource> replicationSource() {
        return run("read the replication status", connection -> {
            try (var statement = connection.createStatement()) {
                return readSource(statement);
            }
        });
    }

    @Override
    public Position position() {
        return run("read the replication position", connection -> {
            try (var statement = connection.createStatement()) {
                return positions.applied(statement);
            }
        });
    }

    @Override
    public Position reachablePosition() {
        return run("read the replication position", connection -> {
            try (var statement = connection.createStatement()) {
                return positions.reachable(statement);
            }
        });
    }

    @Override
    public Optional<Lag> replicationLag() {
        return run("read the replication lag", connection -> {
            try (var statement = connection.createStatement()) {
                return ReplicationStatus.lag(statement, dialect, positions.gtids(statement));
            }
        });
    }

    @Override
    public Optional<String> replicationBroken() {
        return run("read the replication status", connection -> {
            try (var statement = connection.createStatement()) {
                return ReplicationStatus.broken(statement, dialect);
            }
        });
    }

    private Optional<ReplicationSource> readSource(Statement statement) throws SQLException {
        return ReplicationStatus.source(statement, dialect);
    }

    /** A new connection with the usual timeouts; callers close it. */
    Connection connect() throws SQLException {
        return connect(CONNECT_TIMEOUT_MS, SOCKET_TIMEOUT_MS);
    }

    /** A new connection; short timeouts suit probes, which something that accepts but never answers must not hang. */
    Connection connect(int connectTimeoutMs, int socketTimeoutMs) throws SQLException {
        var properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", String.valueOf(connectTimeoutMs));
        properties.setProperty("socketTimeout", String.valueOf(socketTimeoutMs));
        properties.setProperty("allowPublicKeyRetrieval", "true");
        properties.setProperty("useSSL", "false");
        return DriverManager.getConnection(url(host, port), properties);
    }

    static String url(String host, int port) {
        return "jdbc:mysql://" + Endpoints.address(host, port) + "/";
    }

    static boolean isAccessDenied(SQLException e) {
        return e.getErrorCode() == ACCESS_DENIED;
    }

    private <T> T run(String what, Work<T> work) {
        try (var connection = connect()) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw new MySqlControlException("could not " + what + " on " + Endpoints.address(host, port) + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    static String firstLine(String message) {
        return message == null ? "(no message)" : message.lines().findFirst().orElse("");
    }

    @Override
    public String toString() {
        return "JdbcMySqlControl(" + user + "@" + Endpoints.address(host, port) + ", " + dialect + ")";
    }

    @FunctionalInterface
    private interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }
}

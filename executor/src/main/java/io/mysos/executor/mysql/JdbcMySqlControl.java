package io.mysos.executor.mysql;

import io.mysos.core.cluster.MySqlUserName;
import io.mysos.core.election.Position;
import io.mysos.core.password.Passwords;
import io.mysos.executor.mysql.SemiSyncPlugin.Side;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * {@link MySqlControl} over Connector/J: one short-lived TCP connection per call, as the admin
 * account, with short timeouts so a hung server fails a command instead of hanging the executor.
 */
public final class JdbcMySqlControl implements MySqlControl {
    static final int CONNECT_TIMEOUT_MS = 2_000;
    static final int SOCKET_TIMEOUT_MS = 10_000;
    /** Shorter than the socket timeout, so the wait answers before the connection gives up. */
    static final Duration RELAY_LOG_DRAIN = Duration.ofSeconds(8);
    /** Fencing must not queue behind a long lock for ever (the server default is a year); it fails and is retried. */
    static final int READ_ONLY_LOCK_WAIT_SECONDS = 5;
    static final long APPLY_POLL_MS = 10;
    private static final int ACCESS_DENIED = 1045;
    /** ER_FUNCTION_EXISTS: INSTALL PLUGIN of a plugin that is installed. */
    private static final int PLUGIN_EXISTS = 1125;

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final SqlDialect dialect;

    public JdbcMySqlControl(String host, int port, String user, String password, MySqlInstallation mysql) {
        this.host = Endpoints.validHost(host);
        this.port = Endpoints.validPort(port);
        SqlLiteral.userName(user);
        SqlLiteral.password(password);
        this.user = user;
        this.password = password;
        this.dialect = SqlDialect.of(mysql.flavor(), mysql.version());
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
                withSuperReadOnlyLowered(statement, () -> {
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
                    var master = semiSyncPlugin(connection, statement, Side.MASTER, false);
                    if (master.isPresent() && isOn(statement, master.get().variable("enabled"))) {
                        statement.execute(SqlDialect.semiSyncEnabled(master.get(), false));
                    }
                    var replica = semiSyncPlugin(connection, statement, Side.REPLICA, true).orElseThrow();
                    boolean wasOn = isOn(statement, replica.variable("enabled"));
                    if (!wasOn) {
                        statement.execute(SqlDialect.semiSyncEnabled(replica, true));
                    }
                    if (replicating) {
                        if (wasOn && statusIsOn(statement, replica.variable("status"))) {
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

    @Override
    public void stopReplication() {
        run("stop replication", connection -> {
            try (var statement = connection.createStatement()) {
                var source = readSource(statement);
                if (source.isEmpty()) {
                    return null;
                }
                statement.execute(dialect.stopIoThread());
                if (source.get().sqlRunning() && !awaitApplied(statement, RELAY_LOG_DRAIN)) {
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
                var master = semiSyncPlugin(connection, statement, Side.MASTER, on);
                if (on) {
                    for (var sql : SqlDialect.semiSyncMasterOn(master.orElseThrow())) {
                        statement.execute(sql);
                    }
                    var replica = semiSyncPlugin(connection, statement, Side.REPLICA, false);
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
                return gtidPosition(statement).orElseGet(() -> binlogPosition(statement));
            }
        });
    }

    @Override
    public Position reachablePosition() {
        return run("read the replication position", connection -> {
            try (var statement = connection.createStatement()) {
                var applied = gtidPosition(statement);
                if (applied.isEmpty()) {
                    return binlogPosition(statement);
                }
                try (var rows = statement.executeQuery(dialect.showReplicaStatus())) {
                    var received = rows.next() ? Optional.ofNullable(rows.getString(dialect.receivedGtidsColumn())).orElse("") : "";
                    return received.isBlank() ? applied.get() : applied.get().union(dialect.gtidPosition(received));
                }
            }
        });
    }

    /**
     * Polls until the server's GTID set covers what the IO thread had received at the start. Polling
     * (not MASTER_GTID_WAIT, which compares with gtid_slave_pos only) also suits a demoted former
     * master, whose history is in its own binlog.
     */
    private boolean awaitApplied(Statement statement, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String received;
        try (var rows = statement.executeQuery(dialect.showReplicaStatus())) {
            if (!rows.next()) {
                return true;
            }
            received = Optional.ofNullable(rows.getString(dialect.receivedGtidsColumn())).orElse("");
        }
        if (received.isBlank()) {
            return true;
        }
        var wanted = dialect.gtidPosition(received);
        while (true) {
            var applied = gtidPosition(statement);
            if (applied.isEmpty()) {
                // Without GTIDs (never in Mysos's my.cnf) there is nothing to compare with.
                return true;
            }
            if (applied.get().covers(wanted)) {
                return true;
            }
            if (!readSource(statement).map(ReplicationSource::sqlRunning).orElse(false) || System.nanoTime() > deadline) {
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

    private Optional<Position> gtidPosition(Statement statement) throws SQLException {
        try (var rows = statement.executeQuery(dialect.gtidPositionQuery())) {
            return rows.next() ? Optional.ofNullable(rows.getString(1)).map(dialect::gtidPosition) : Optional.empty();
        }
    }

    private Position binlogPosition(Statement statement) {
        try (var rows = statement.executeQuery(dialect.binlogStatus())) {
            if (!rows.next()) {
                throw new MySqlControlException(Endpoints.address(host, port)
                        + " has neither GTIDs nor a binary log, so it has no replication position");
            }
            return Position.binlog(rows.getString("File"), rows.getLong("Position"));
        } catch (SQLException e) {
            throw new MySqlControlException("could not read the binary log position of " + Endpoints.address(host, port)
                    + ": " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * The server's provider of {@code side} of semi-sync: the built-in one, an installed plugin, or
     * (when {@code install}) the first plugin of the dialect's list that installs.
     */
    private Optional<SemiSyncPlugin> semiSyncPlugin(Connection connection, Statement statement, Side side, boolean install)
            throws SQLException {
        var candidates = dialect.semiSync(side);
        for (var plugin : candidates) {
            if (plugin.isBuiltIn() || isActive(connection, plugin.name())) {
                return Optional.of(plugin);
            }
        }
        if (!install) {
            return Optional.empty();
        }
        SQLException failure = null;
        for (var plugin : candidates) {
            try {
                withSuperReadOnlyLowered(statement, () -> statement.execute(plugin.install()));
                return Optional.of(plugin);
            } catch (SQLException e) {
                if (e.getErrorCode() == PLUGIN_EXISTS) {
                    return Optional.of(plugin);
                }
                failure = failure == null ? e : failure;
            }
        }
        throw failure;
    }

    private static boolean isActive(Connection connection, String plugin) throws SQLException {
        try (var query = connection.prepareStatement(
                "SELECT PLUGIN_STATUS FROM information_schema.PLUGINS WHERE PLUGIN_NAME = ?")) {
            query.setString(1, plugin);
            try (var rows = query.executeQuery()) {
                return rows.next() && "ACTIVE".equalsIgnoreCase(rows.getString(1));
            }
        }
    }

    /** A global boolean variable; its name comes from this code, never from input. */
    private static boolean isOn(Statement statement, String variable) throws SQLException {
        try (var rows = statement.executeQuery("SELECT @@GLOBAL." + variable)) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    private static boolean statusIsOn(Statement statement, String variable) throws SQLException {
        try (var rows = statement.executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
            return rows.next() && "ON".equalsIgnoreCase(rows.getString(2));
        }
    }

    /** Runs {@code work} with MySQL's super_read_only lowered if it is on; read_only stays on, so only the admin may write meanwhile. */
    private void withSuperReadOnlyLowered(Statement statement, SqlWork work) throws SQLException {
        boolean lowered = dialect.hasSuperReadOnly() && superReadOnly(statement);
        if (lowered) {
            statement.execute("SET GLOBAL super_read_only=OFF");
        }
        try {
            work.run();
        } finally {
            if (lowered) {
                statement.execute("SET GLOBAL super_read_only=ON");
            }
        }
    }

    /** The IO thread's error for "the master's binary log lacks what the replica asks for": never retried. */
    private static final int ER_MASTER_FATAL_ERROR_READING_BINLOG = 1236;

    @Override
    public Optional<String> replicationBroken() {
        return run("read the replication status", connection -> {
            try (var statement = connection.createStatement();
                 var rows = statement.executeQuery(dialect.showReplicaStatus())) {
                if (!rows.next() || column(rows, "Source_Host", "Master_Host").orElse("").isBlank()) {
                    return Optional.<String>empty();
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
                return Optional.<String>empty();
            }
        });
    }

    private Optional<ReplicationSource> readSource(Statement statement) throws SQLException {
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

    private static boolean superReadOnly(Statement statement) throws SQLException {
        try (var rows = statement.executeQuery("SELECT @@GLOBAL.super_read_only")) {
            return rows.next() && rows.getBoolean(1);
        }
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

    private static String firstLine(String message) {
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

    @FunctionalInterface
    private interface SqlWork {
        void run() throws SQLException;
    }
}

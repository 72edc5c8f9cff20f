package io.mysos.executor.mysql;

import io.mysos.core.cluster.MySqlUserName;
import io.mysos.core.password.Passwords;
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
    private static final int ACCESS_DENIED = 1045;

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
    public void setReadOnly(boolean readOnly) {
        run("set read_only=" + (readOnly ? "ON" : "OFF"), connection -> {
            try (var statement = connection.createStatement()) {
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
                boolean lowered = dialect.hasSuperReadOnly() && superReadOnly(statement);
                if (lowered) {
                    // read_only stays on: only the admin account may write meanwhile.
                    statement.execute("SET GLOBAL super_read_only=OFF");
                }
                try {
                    for (var sql : statements) {
                        statement.execute(sql);
                    }
                } finally {
                    if (lowered) {
                        statement.execute("SET GLOBAL super_read_only=ON");
                    }
                }
            }
            return null;
        });
    }

    @Override
    public void replicateFrom(String host, int port, String user, String password) {
        var change = dialect.changeSource(host, port, user, password);
        run("replicate from " + Endpoints.address(host, port), connection -> {
            try (var statement = connection.createStatement()) {
                statement.execute(dialect.stopReplica());
                statement.execute(change);
                statement.execute(dialect.startReplica());
            }
            return null;
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
                if (source.get().sqlRunning()) {
                    applyReceived(connection, statement);
                }
                statement.execute(dialect.stopReplica());
                statement.execute(dialect.resetReplicaAll());
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

    /** Waits until the SQL thread has applied every transaction the IO thread received, so a promotion loses none. */
    private void applyReceived(Connection connection, Statement statement) throws SQLException {
        String received;
        try (var rows = statement.executeQuery(dialect.showReplicaStatus())) {
            received = rows.next() ? Optional.ofNullable(rows.getString(dialect.receivedGtidsColumn())).orElse("") : "";
        }
        if (received.isBlank()) {
            return;
        }
        try (var wait = connection.prepareStatement(dialect.waitForGtids())) {
            wait.setString(1, received.replaceAll("\\s", ""));
            wait.setLong(2, RELAY_LOG_DRAIN.toSeconds());
            try (var rows = wait.executeQuery()) {
                if (!rows.next() || rows.getInt(1) != 0 || rows.wasNull()) {
                    throw new MySqlControlException("the replica at " + Endpoints.address(host, port)
                            + " has not applied the transactions it received within " + RELAY_LOG_DRAIN.toSeconds()
                            + " s; its replication stays stopped at the IO thread, try again");
                }
            }
        }
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
}

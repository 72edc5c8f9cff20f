package io.mysos.it.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What a MySQL client of a cluster does: connect as the cluster user, write, read. */
public final class Sql {
    private Sql() {}

    public static Connection connect(JsonNode instance, String user, String password) throws SQLException {
        var url = "jdbc:mysql://" + instance.path("host").asText() + ":" + instance.path("port").asInt()
                + "/?useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=3000&socketTimeout=15000";
        return DriverManager.getConnection(url, user, password);
    }

    public static void execute(JsonNode instance, String user, String password, String... statements) throws SQLException {
        try (var connection = connect(instance, user, password); var statement = connection.createStatement()) {
            for (var sql : statements) {
                statement.execute(sql);
            }
        }
    }

    public static List<Long> ids(JsonNode instance, String user, String password, String table) throws SQLException {
        try (var connection = connect(instance, user, password);
             var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT id FROM " + table + " ORDER BY id")) {
            var ids = new ArrayList<Long>();
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
            return ids;
        }
    }

    /** Waits until {@code table} on {@code instance} holds exactly {@code expected}. */
    public static void awaitIds(JsonNode instance, String user, String password, String table, List<Long> expected,
                                Duration timeout) throws SQLException {
        var deadline = System.nanoTime() + timeout.toNanos();
        List<Long> last = List.of();
        SQLException lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = ids(instance, user, password, table);
                if (last.equals(expected)) {
                    return;
                }
            } catch (SQLException e) {
                lastError = e;
            }
            Api.sleep(100);
        }
        throw new AssertionError("instance " + instance + " has " + last + " in " + table + ", not " + expected
                + (lastError == null ? "" : "; last error: " + lastError.getMessage()));
    }
}

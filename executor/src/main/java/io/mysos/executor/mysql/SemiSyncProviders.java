package io.mysos.executor.mysql;

import io.mysos.executor.mysql.SemiSyncPlugin.Side;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Finds which provider of each side of semi-synchronous replication a server has (built in, or a
 * plugin, installed here when asked), and reads whether it is on.
 */
final class SemiSyncProviders {
    /** ER_FUNCTION_EXISTS: INSTALL PLUGIN of a plugin that is installed. */
    private static final int PLUGIN_EXISTS = 1125;

    private final SqlDialect dialect;

    SemiSyncProviders(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * The server's provider of {@code side} of semi-sync: the built-in one, an installed plugin, or
     * (when {@code install}) the first plugin of the dialect's list that installs.
     */
    Optional<SemiSyncPlugin> provider(Connection connection, Statement statement, Side side, boolean install)
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
                SuperReadOnly.whileLowered(statement, dialect, () -> statement.execute(plugin.install()));
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
    static boolean isOn(Statement statement, String variable) throws SQLException {
        try (var rows = statement.executeQuery("SELECT @@GLOBAL." + variable)) {
            return rows.next() && rows.getBoolean(1);
        }
    }

    static boolean statusIsOn(Statement statement, String variable) throws SQLException {
        try (var rows = statement.executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
            return rows.next() && "ON".equalsIgnoreCase(rows.getString(2));
        }
    }
}

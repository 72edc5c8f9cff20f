package io.mysos.executor.mysql;

import java.sql.SQLException;
import java.sql.Statement;

/**
 * MySQL's {@code super_read_only}, which keeps even the admin from writing: lowered for the few
 * writes Mysos itself makes on a read-only server (the cluster user, a semi-sync plugin).
 */
final class SuperReadOnly {
    @FunctionalInterface
    interface Work {
        void run() throws SQLException;
    }

    private SuperReadOnly() {}

    /** Runs {@code work} with MySQL's super_read_only lowered if it is on; read_only stays on, so only the admin may write meanwhile. */
    static void whileLowered(Statement statement, SqlDialect dialect, Work work) throws SQLException {
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

    private static boolean superReadOnly(Statement statement) throws SQLException {
        try (var rows = statement.executeQuery("SELECT @@GLOBAL.super_read_only")) {
            return rows.next() && rows.getBoolean(1);
        }
    }
}

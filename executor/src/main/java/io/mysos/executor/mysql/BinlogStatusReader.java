package io.mysos.executor.mysql;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Reads a master's {@link BinlogStatus} over one connection kept open (reopened after a failure): the
 * archiver asks every second, and a new login each time costs more than the questions.
 */
public final class BinlogStatusReader implements Supplier<BinlogStatus>, AutoCloseable {
    private final JdbcMySqlControl control;
    private Connection connection;

    BinlogStatusReader(JdbcMySqlControl control) {
        this.control = control;
    }

    @Override
    public synchronized BinlogStatus get() {
        try {
            if (connection == null) {
                connection = control.connect();
            }
            return JdbcMySqlControl.binlogStatus(connection);
        } catch (SQLException e) {
            close();
            throw new MySqlControlException("could not read the binary log status through " + control + ": "
                    + JdbcMySqlControl.firstLine(e.getMessage()), e);
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // it was broken anyway
            }
            connection = null;
        }
    }
}

package io.mysos.executor.mysql;

/** A control statement failed on a running mysqld (unreachable, refused, timed out); it may be retried. */
public class MySqlControlException extends RuntimeException {
    public MySqlControlException(String message) {
        super(message);
    }

    public MySqlControlException(String message, Throwable cause) {
        super(message, cause);
    }
}

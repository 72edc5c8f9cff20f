package io.mysos.executor.mysql;

/** mysqld did not come up: it exited, never accepted the admin login, or could not be spawned. */
public class MySqlStartException extends RuntimeException {
    public MySqlStartException(String message) {
        super(message);
    }

    public MySqlStartException(String message, Throwable cause) {
        super(message, cause);
    }
}

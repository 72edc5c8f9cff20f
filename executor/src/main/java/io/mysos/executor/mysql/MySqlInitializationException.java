package io.mysos.executor.mysql;

/** A new data directory could not be created; the message carries the tool's own words. */
public class MySqlInitializationException extends RuntimeException {
    public MySqlInitializationException(String message) {
        super(message);
    }

    public MySqlInitializationException(String message, Throwable cause) {
        super(message, cause);
    }
}

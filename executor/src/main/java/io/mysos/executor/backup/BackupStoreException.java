package io.mysos.executor.backup;

/** The backup store could not be read or written (unreachable, full, refused); the message says which path and why. */
public class BackupStoreException extends RuntimeException {
    public BackupStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public BackupStoreException(String message) {
        super(message);
    }
}

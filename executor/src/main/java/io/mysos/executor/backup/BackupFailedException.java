package io.mysos.executor.backup;

/**
 * A backup or a restore did not work: the tool failed, a file's checksum does not match its manifest,
 * the backup is incomplete or unknown. The message is what the operator reads in the event or the
 * failed task's status.
 */
public class BackupFailedException extends RuntimeException {
    public BackupFailedException(String message, Throwable cause) {
        super(message, cause);
    }

    public BackupFailedException(String message) {
        super(message);
    }
}

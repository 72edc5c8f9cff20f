package io.mysos.journal;

/** The journal's tables could not be created: the database is unreachable, refuses, or rejects the DDL. */
public class JournalSchemaException extends RuntimeException {
    public JournalSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.mysos.executor.mysql;

/** No usable MySQL server on this machine: the message says which package to install. */
public class MySqlNotInstalledException extends RuntimeException {
    public MySqlNotInstalledException(String message) {
        super(message);
    }
}

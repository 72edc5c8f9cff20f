package io.mysos.executor.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The running instance a backup is taken from: its task, sandbox (where the tools' scratch files go),
 * my.cnf (the tools read the server's settings from it), address and admin login. {@code replica}:
 * it replicates from a master, so the backup records where it was in the master's history. {@code life}: the
 * life of the cluster's name the instance belongs to ({@link BinlogArchiveId}).
 */
public record BackupSource(String taskId, Path sandbox, Path configFile, String host, int port, String adminUser,
        String adminPassword, String serverVersion, boolean replica, String life) {

    /**
     * Writes an option file (0600, in the sandbox) that includes the server's my.cnf and adds the
     * admin login, so the password never shows in a process list.
     */
    Path writeClientOptions(String name) throws IOException {
        var file = sandbox.resolve(name);
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        var login = "user=" + adminUser + "\npassword=\"" + adminPassword.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n"
                + "host=" + host + "\nport=" + port + "\n";
        Files.writeString(file, "!include " + configFile + "\n\n[client]\n" + login + "\n[mariadb-backup]\n" + login,
                StandardCharsets.UTF_8);
        return file;
    }
}

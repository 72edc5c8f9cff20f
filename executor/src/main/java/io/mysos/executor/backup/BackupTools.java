package io.mysos.executor.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The backup programs on this machine: {@code mariadb-backup} and {@code mbstream} (Debian package
 * {@code mariadb-backup}) for physical backups, {@code mariadb-dump} and {@code mariadb} for the
 * logical fallback; {@code mariadb-binlog} to replay archived binary logs (point-in-time recovery).
 */
public record BackupTools(Optional<Path> mariadbBackup, Optional<Path> mbstream, Optional<Path> dump, Optional<Path> client,
                          Optional<Path> binlog) {
    public static final String INSTALL_HINT = "install the mariadb-backup package: apt-get install mariadb-backup";

    /** Looks on the PATH, then in /usr/bin and /usr/local/bin. */
    public static BackupTools detect() {
        var dirs = new ArrayList<Path>();
        for (var entry : Optional.ofNullable(System.getenv("PATH")).orElse("").split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                dirs.add(Path.of(entry));
            }
        }
        dirs.add(Path.of("/usr/bin"));
        dirs.add(Path.of("/usr/local/bin"));
        return new BackupTools(find(dirs, "mariadb-backup", "mariabackup"), find(dirs, "mbstream"),
                find(dirs, "mariadb-dump", "mysqldump"), find(dirs, "mariadb", "mysql"), find(dirs, "mariadb-binlog", "mysqlbinlog"));
    }

    public BackupTools(Optional<Path> mariadbBackup, Optional<Path> mbstream, Optional<Path> dump, Optional<Path> client) {
        this(mariadbBackup, mbstream, dump, client, Optional.empty());
    }

    /** Whether physical backups (and seeding from them) are possible here. */
    public boolean physical() {
        return mariadbBackup.isPresent() && mbstream.isPresent();
    }

    /** The same tools without the physical ones: for tests of the logical fallback. */
    public BackupTools logicalOnly() {
        return new BackupTools(Optional.empty(), Optional.empty(), dump, client, binlog);
    }

    private static Optional<Path> find(List<Path> dirs, String... names) {
        for (var name : names) {
            for (var dir : dirs) {
                var candidate = dir.resolve(name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}

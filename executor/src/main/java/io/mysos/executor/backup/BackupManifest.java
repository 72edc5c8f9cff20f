package io.mysos.executor.backup;

import java.util.List;
import java.util.Optional;

/**
 * What {@code manifest.json} says about one complete backup: whose it is, when and from where it
 * was taken, how (the method and the server it came from), the GTID position it holds everything
 * up to, and every file with its size and SHA-256. It is written last: a backup directory without
 * it is incomplete, never listed or restored.
 *
 * @param startedAt  RFC 3339 (UTC) time the backup began
 * @param finishedAt RFC 3339 (UTC) time its last byte was stored
 * @param method     {@value #PHYSICAL} or {@value #LOGICAL}
 * @param position   the GTID position (MariaDB {@code gtid_binlog_pos} of the source at the backup's consistent point)
 * @param life       the life of the cluster's name it was taken in ({@link BinlogArchiveId}): whose archived binary logs
 *                   restore it to a later point; empty in manifests from before lives were told apart
 */
public record BackupManifest(int version, String cluster, String id, String startedAt, String finishedAt, String sourceTask,
        String serverVersion, String method, String position, List<FileEntry> files, String life) {
    public static final String FILE_NAME = "manifest.json";
    /** mariadb-backup's xbstream of the data directory. */
    public static final String PHYSICAL = "mariadb-backup";
    /** mariadb-dump's SQL. */
    public static final String LOGICAL = "mariadb-dump";

    /** One stored file of the backup. */
    public record FileEntry(String name, long bytes, String sha256) {}

    public BackupManifest {
        files = files == null ? List.of() : List.copyOf(files);
        position = position == null ? "" : position;
        life = life == null ? "" : life;
    }

    /** {@code <cluster>/<id>}, as {@code backup_id} names a backup at create. */
    public String fullId() {
        return cluster + "/" + id;
    }

    public long bytes() {
        return files.stream().mapToLong(FileEntry::bytes).sum();
    }

    public Optional<FileEntry> file(String name) {
        return files.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}

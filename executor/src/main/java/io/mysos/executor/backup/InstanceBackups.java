package io.mysos.executor.backup;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a task runner needs of backups: take one of its instance, and fill a new data directory from
 * one named {@code <cluster>/<id>} (as {@code backup_id} and the task data name it). Physical with
 * mariadb-backup; without it a backup cannot be taken or restored here, and the error says what to install.
 */
public final class InstanceBackups {
    private final BackupStore store;
    private final BackupTools tools;
    /** How often a master's binary log is archived; zero: not archived. */
    private final java.time.Duration archiveInterval;

    public InstanceBackups(BackupStore store, BackupTools tools) {
        this(store, tools, BinlogArchiver.INTERVAL);
    }

    public InstanceBackups(BackupStore store, BackupTools tools, java.time.Duration archiveInterval) {
        this.store = store;
        this.tools = tools;
        this.archiveInterval = archiveInterval;
    }

    /** The same store, archiving every {@code interval} (zero: never). */
    public InstanceBackups withArchiveInterval(java.time.Duration interval) {
        return new InstanceBackups(store, tools, interval);
    }

    public java.time.Duration archiveInterval() {
        return archiveInterval;
    }

    public BinlogStore binlogs() {
        return new BinlogStore(store);
    }

    /**
     * Fetches, verifies and cuts the archived binary logs that roll backup {@code fullId} forward to
     * {@code restoreTo} (a time or GTID position), into {@code workDir}: before mysqld starts.
     */
    public PointInTimeRestore.Prepared prepareReplay(String fullId, String restoreTo, Path workDir) {
        return new PointInTimeRestore(tools, binlogs()).prepare(find(fullId), io.mysos.core.binlog.RestoreTarget.parse(restoreTo), workDir);
    }

    /** Replays prepared binary logs into the running server of {@code source}, before it takes writes. */
    public void replay(BackupSource source, PointInTimeRestore.Prepared prepared) {
        new PointInTimeRestore(tools, binlogs()).apply(source, prepared);
    }

    public static InstanceBackups at(URI root, Optional<Path> hadoopConf) {
        return new InstanceBackups(BackupStore.open(root, hadoopConf), BackupTools.detect());
    }

    public BackupStore store() {
        return store;
    }

    public BackupTools tools() {
        return tools;
    }

    /** Physical with mariadb-backup; logical with mariadb-dump where mariadb-backup is missing. */
    public BackupManifest take(BackupSource source, String cluster, String id) {
        return take(source, cluster, id, Cancellation.none());
    }

    /** Like {@link #take(BackupSource, String, String)}, stopped by {@code cancel}: then it fails with the cancellation's reason. */
    public BackupManifest take(BackupSource source, String cluster, String id, Cancellation cancel) {
        try {
            return tools.physical() ? new PhysicalBackup(tools, store).take(source, cluster, id, cancel)
                    : new LogicalBackup(tools, store).take(source, cluster, id, cancel);
        } catch (RuntimeException e) {
            throw cancel.explain(e);
        }
    }

    /** Whether the backup {@code fullId} is a logical one: loaded into a started server rather than restored as files. */
    public boolean isLogical(String fullId) {
        return BackupManifest.LOGICAL.equals(find(fullId).method());
    }

    /** A logical backup, downloaded to {@code file} and verified (before mysqld starts); returns its GTID position. */
    public String fetchLogical(String fullId, Path file) {
        var backup = find(fullId);
        new LogicalBackup(tools, store).fetchVerified(backup, file);
        return backup.position();
    }

    /** Loads a fetched logical backup into the running server of {@code source}. */
    public void loadLogical(BackupSource source, Path file) {
        new LogicalBackup(tools, store).load(source, file);
    }

    /** The complete backup named {@code <cluster>/<id>}, or why there is none. */
    public BackupManifest find(String fullId) {
        var slash = fullId.indexOf('/');
        if (slash <= 0 || slash == fullId.length() - 1 || fullId.indexOf('/', slash + 1) >= 0) {
            throw new BackupFailedException("backup id '" + fullId + "' must look like <cluster>/<id>");
        }
        return store.find(fullId.substring(0, slash), fullId.substring(slash + 1))
                .orElseThrow(() -> new BackupFailedException("backup " + fullId + " is unknown or incomplete in " + store.root()));
    }

    /**
     * Restores the backup {@code fullId} into {@code target}, checksums verified before anything starts on it.
     *
     * @return the GTID position the data holds everything up to
     */
    public String restore(String fullId, Path target) {
        return new PhysicalBackup(tools, store).restore(find(fullId), target);
    }
}

package io.mysos.executor.backup;

/**
 * Whose archived binary logs: a cluster's, in one of its name's lives ({@code life}, see
 * {@link io.mysos.core.protocol.TaskData#life()}). Each life has its own archive under
 * {@code <root>/<cluster>/binlogs/<life>/}, so a cluster created again under a deleted one's name
 * neither archives over the old history nor prunes it by its own backups, and the old backups still
 * restore to any point of theirs. An empty life is the archive of a cluster from before lives were
 * told apart, directly under {@code binlogs/}.
 */
public record BinlogArchiveId(String cluster, String life) {
    public BinlogArchiveId {
        life = life == null ? "" : life;
        if (!life.isEmpty() && !life.matches("[0-9A-Za-z-]{1,40}")) {
            throw new IllegalArgumentException("not a cluster life: " + life);
        }
    }

    /** The archive the instance of a backup wrote: the one to restore that backup to a point in time from. */
    public static BinlogArchiveId of(BackupManifest backup) {
        return new BinlogArchiveId(backup.cluster(), backup.life());
    }

    @Override
    public String toString() {
        return life.isEmpty() ? cluster : cluster + " (life " + life + ")";
    }
}

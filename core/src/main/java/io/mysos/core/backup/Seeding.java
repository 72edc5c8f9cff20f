package io.mysos.core.backup;

import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.protocol.TaskData;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a new instance of a cluster that already holds data (a replacement, a scale-up) gets it from:
 * a copy, not the master's binary logs from the beginning (they expire, or an operator purged them).
 * The copy is the latest backup if it is fresh, else a backup taken for it now; the instance restores
 * it and replicates on from the master at the backup's GTID position. The cluster asks for no new
 * instance while that backup is being taken. When no copy can be had (the backup failed, no instance
 * to copy from), the instance starts empty and replicates from the binary logs as before.
 */
public final class Seeding {
    /** A backup this young still holds a position the master's binary logs go on from (unless purged since). */
    public static final Duration FRESH = Duration.ofMinutes(10);
    public static final String SEED = "seed";

    private Seeding() {}

    /** What a new instance starts from. */
    public sealed interface Seed {}

    /** The first instances of a cluster, or no copy to be had: an empty data directory (or the create's backup_id). */
    public enum Empty implements Seed { INSTANCE }

    /** Restore the backup {@code <cluster>/<id>}. */
    public record From(String backupId) implements Seed {}

    /** A backup is being taken: no new instance until it is done. */
    public enum Wait implements Seed { INSTANCE }

    /** Take a backup to seed from first. */
    public enum Take implements Seed { INSTANCE }

    /** Whether the cluster holds data new instances must copy: it has had a master at full strength. */
    public static boolean applies(ClusterLife life) {
        return life.everAtFullStrength();
    }

    public static Seed seed(ClusterLife life, BackupLog log, Instant now) {
        if (!applies(life)) {
            return Empty.INSTANCE;
        }
        var latest = log.latestCompleted().filter(b -> b.finishedAt().map(at -> !at.plus(FRESH).isBefore(now)).orElse(false));
        if (latest.isPresent()) {
            return new From(life.spec().name() + "/" + latest.get().id());
        }
        if (log.inFlight().isPresent()) {
            return Wait.INSTANCE;
        }
        boolean seedFailedLately = log.entries().stream().anyMatch(e -> e.state() == BackupLog.State.FAILED && SEED.equals(e.cause())
                && e.finishedAt().map(at -> !at.plus(FRESH).isBefore(now)).orElse(false));
        return seedFailedLately ? Empty.INSTANCE : Take.INSTANCE;
    }

    /** How many instances to ask resources for: none while the copy they need is still to be taken. */
    public static int needed(ClusterLife life, BackupLog log, Instant now) {
        int needed = life.needed(now);
        if (needed == 0) {
            return 0;
        }
        var seed = seed(life, log, now);
        return seed == Wait.INSTANCE || seed == Take.INSTANCE ? 0 : needed;
    }

    /** A new instance's task data: restoring the seed backup, if there is one. */
    public static TaskData seeded(ClusterLife life, BackupLog log, TaskData data, Instant now) {
        if (!(seed(life, log, now) instanceof From from)) {
            return data;
        }
        return data.seededFrom(from.backupId());
    }
}

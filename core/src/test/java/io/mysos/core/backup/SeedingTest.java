package io.mysos.core.backup;

import static io.mysos.core.backup.BackupsTest.NOW;
import static io.mysos.core.backup.BackupsTest.T2;
import static io.mysos.core.backup.BackupsTest.running;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.task.TaskState;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SeedingTest {
    /** A 3-node cluster that was at full strength and lost T2. */
    static ClusterLife lostAReplica() {
        return running(3).apply(new ClusterEvent.TaskStateChanged(T2, TaskState.FAILED, "killed"));
    }

    static BackupLog completed(BackupLog log, String id, String cause, java.time.Instant at) {
        return log.apply(new ClusterEvent.BackupRequested(id, cause, at))
                .apply(new ClusterEvent.BackupCompleted(id, "loc", 10, "0-1-5", 100, at));
    }

    @Test
    void theFirstInstancesOfAClusterStartEmpty() {
        var created = running(3);
        var fresh = ClusterLife.created(new ClusterEvent.ClusterCreated(created.spec(), created.secrets(), NOW));
        assertEquals(Seeding.Empty.INSTANCE, Seeding.seed(fresh, BackupLog.empty(), NOW));
        assertEquals(3, Seeding.needed(fresh, BackupLog.empty(), NOW));
    }

    @Test
    void aReplacementWaitsForAFreshBackupWhenThereIsNone() {
        var life = lostAReplica();
        var old = completed(BackupLog.empty(), "old", "api", NOW.minus(Seeding.FRESH).minusSeconds(1));
        assertEquals(Seeding.Take.INSTANCE, Seeding.seed(life, old, NOW));
        assertEquals(0, Seeding.needed(life, old, NOW), "no instance until the copy exists");
        var taking = old.apply(new ClusterEvent.BackupRequested("seed1", Seeding.SEED, NOW));
        assertEquals(Seeding.Wait.INSTANCE, Seeding.seed(life, taking, NOW));
        assertEquals(0, Seeding.needed(life, taking, NOW));
    }

    @Test
    void aReplacementRestoresTheLatestFreshBackup() {
        var life = lostAReplica();
        var log = completed(BackupLog.empty(), "b7", Seeding.SEED, NOW.minusSeconds(30));
        assertEquals(new Seeding.From("orders/b7"), Seeding.seed(life, log, NOW));
        assertEquals(1, Seeding.needed(life, log, NOW));
        var data = life.taskData(life.instances().get(0));
        assertEquals(Optional.of("orders/b7"), Seeding.seeded(life, log, data, NOW).backupId());
    }

    @Test
    void whenTheSeedBackupFailedTheInstanceStartsEmptyAsBefore() {
        var life = lostAReplica();
        var log = BackupLog.empty().apply(new ClusterEvent.BackupRequested("s1", Seeding.SEED, NOW))
                .apply(new ClusterEvent.BackupFailed("s1", "store down", NOW));
        assertEquals(Seeding.Empty.INSTANCE, Seeding.seed(life, log, NOW.plusSeconds(1)));
        assertEquals(1, Seeding.needed(life, log, NOW.plusSeconds(1)));
        assertEquals(Seeding.Take.INSTANCE, Seeding.seed(life, log, NOW.plus(Seeding.FRESH).plus(Duration.ofSeconds(1))),
                "a later replacement tries again");
        TaskData data = life.taskData(life.instances().get(0));
        assertEquals(data, Seeding.seeded(life, log, data, NOW));
    }
}

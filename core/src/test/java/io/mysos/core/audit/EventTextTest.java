package io.mysos.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.task.TaskId;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventTextTest {
    private static final Instant AT = Instant.parse("2026-12-01T06:00:00Z");
    private static final TaskId TWO = TaskId.of("orders", 2);

    @Test
    void backupsReadAsTheTimelineTellsThemWithTheirTimes() {
        var completed = new ClusterEvent.BackupCompleted("20261201T060000Z", "file:///b/orders/20261201T060000Z", 1048576, "mariadb:0-1-100",
                4200, AT);
        assertEquals("backup 20261201T060000Z completed in 4200 ms: 1048576 bytes at mariadb:0-1-100 in file:///b/orders/20261201T060000Z",
                EventText.describe(completed));
        assertEquals("backup b-2 started from " + TWO, EventText.describe(new ClusterEvent.BackupStarted("b-2", TWO, AT)));
        assertEquals("backup b-3 failed: the backup store is unreachable",
                EventText.describe(new ClusterEvent.BackupFailed("b-3", "the backup store is unreachable", AT)));
        assertEquals("backups every 21600 s, keeping 7", EventText.describe(new ClusterEvent.BackupScheduleChanged(21600, 7)));
        assertEquals(Optional.of(AT), EventTimes.of(completed));
    }

    @Test
    void persistentVolumesNameTheirTaskAndWhyTheyWentAway() {
        assertEquals("persistent volume v-1 created for " + TWO + " on 10.0.0.2 (agent a-1)",
                EventText.describe(new ClusterEvent.VolumeCreated("v-1", TWO, "a-1", "10.0.0.2")));
        assertEquals("persistent volume v-1 released: the cluster was deleted",
                EventText.describe(new ClusterEvent.VolumeReleased("v-1", "the cluster was deleted", AT)));
        assertEquals(Optional.of(AT), EventTimes.of(new ClusterEvent.VolumeReleased("v-1", "gone", AT)));
    }
}

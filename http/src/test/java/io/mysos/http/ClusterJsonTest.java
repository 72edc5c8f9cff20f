package io.mysos.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysos.actors.cluster.ClusterView;
import io.mysos.core.cluster.ClusterStatus;
import io.mysos.core.cluster.Lag;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The JSON a client reads from {@code GET /clusters/{name}} for a cluster whose replacement replica is catching up. */
class ClusterJsonTest {
    private static final Instant CREATED = Instant.parse("2026-11-25T12:00:00Z");
    private static final Instant ENDED = Instant.parse("2026-11-25T12:05:00Z");

    private static ClusterView view() {
        var master = new ClusterView.InstanceView("mysos-orders-1", "10.0.0.1", 31000, TaskState.RUNNING, "master", Optional.empty());
        var inSync = new ClusterView.InstanceView("mysos-orders-2", "10.0.0.2", 31001, TaskState.RUNNING, "replica",
                Optional.of(Lag.inSync()));
        var catching = new ClusterView.InstanceView("mysos-orders-4", "10.0.0.3", 31002, TaskState.RUNNING, "replica",
                Optional.of(new Lag(3912, Optional.of(12L), true)));
        var starting = new ClusterView.InstanceView("mysos-orders-5", "10.0.0.4", 31003, TaskState.STAGING, "replica",
                Optional.empty());
        var ended = List.of(
                new ClusterView.EndedView("mysos-orders-3", "10.0.0.3", 31002, TaskState.FAILED, "mysqld exited with signal 9",
                        Optional.of(ENDED)),
                new ClusterView.EndedView("mysos-orders-0", "10.0.0.9", 31009, TaskState.LOST, "agent gone", Optional.empty()));
        return new ClusterView("orders", ClusterStatus.DEGRADED, 4, 0, Optional.of(master), List.of(inSync, catching, starting),
                Resources.DEFAULT_INSTANCE, "app", CREATED,
                Optional.of("replica mysos-orders-4 is catching up with the master: 3912 transactions (12 s) behind"),
                Optional.empty(), true, Optional.empty(), ended);
    }

    @Test
    void replicasCarryTheirRoleAndHowFarBehindACatchingUpOneIs() throws Exception {
        var json = ClusterJson.cluster(view());
        assertEquals(ClusterJson.MAPPER.readTree("""
                [{"task_id":"mysos-orders-2","host":"10.0.0.2","port":31001,"state":"RUNNING","role":"replica","catching_up":false,
                  "lag_seconds":0,"replicating":true},
                 {"task_id":"mysos-orders-4","host":"10.0.0.3","port":31002,"state":"RUNNING","role":"replica","catching_up":true,
                  "lag_seconds":12,"replicating":true,"behind":{"transactions":3912,"seconds":12}},
                 {"task_id":"mysos-orders-5","host":"10.0.0.4","port":31003,"state":"STAGING","role":"replica","catching_up":false,
                  "lag_seconds":null,"replicating":null}]
                """).toString(), json.path("replicas").toString(), "numbers compare by text");
        assertEquals(ClusterJson.MAPPER.readTree("""
                {"task_id":"mysos-orders-1","host":"10.0.0.1","port":31000,"state":"RUNNING","role":"master","catching_up":false}
                """).toString(), json.path("master").toString());
    }

    @Test
    void endedInstancesAreListedApartWithTheirFinalStateReasonAndTime() throws Exception {
        var json = ClusterJson.cluster(view());
        assertEquals(ClusterJson.MAPPER.readTree("""
                [{"task_id":"mysos-orders-3","host":"10.0.0.3","port":31002,"state":"FAILED",
                  "reason":"mysqld exited with signal 9","at":"2026-11-25T12:05:00Z"},
                 {"task_id":"mysos-orders-0","host":"10.0.0.9","port":31009,"state":"LOST","reason":"agent gone","at":null}]
                """).toString(), json.path("ended").toString());
    }

    @Test
    void theOriginalMysosFieldsStay() {
        var json = ClusterJson.cluster(view());
        for (var field : List.of("name", "state", "num_nodes", "master", "replicas", "size", "user", "created_at")) {
            assertEquals(true, json.has(field), field);
        }
        assertEquals("DEGRADED", json.path("state").asText());
        assertEquals("replica mysos-orders-4 is catching up with the master: 3912 transactions (12 s) behind",
                json.path("reason").asText());
    }

    @Test
    void aReplicaWhoseReplicationStoppedShowsReplicatingFalseAndItsLastLag() throws Exception {
        var stopped = new ClusterView.InstanceView("mysos-orders-2", "10.0.0.2", 31001, TaskState.RUNNING, "replica",
                Optional.of(new Lag(0, Optional.empty(), false, false)));
        var v = view();
        var json = ClusterJson.cluster(new ClusterView(v.name(), v.status(), v.numNodes(), v.epoch(), v.master(), List.of(stopped),
                v.size(), v.user(), v.createdAt(), v.reason(), v.backupId(), v.semiSync(), v.lastFailover(), v.ended()));
        var replica = json.path("replicas").get(0);
        assertEquals(false, replica.path("replicating").asBoolean(true));
        assertEquals(true, replica.path("lag_seconds").isNull(), "Seconds_Behind_Master is unknown while replication is stopped");
        assertEquals(false, json.path("master").has("replicating"), "the master replicates from nobody");
    }

    @Test
    void aClusterRestoredToAPointInTimeShowsItsBackupAndThePoint() {
        var v = view();
        assertEquals(false, ClusterJson.cluster(v).has("restore_to"), "not rolled forward: no restore_to");
        var restored = ClusterJson.cluster(new ClusterView(v.name(), v.status(), v.numNodes(), v.epoch(), v.master(), v.replicas(),
                v.size(), v.user(), v.createdAt(), v.reason(), Optional.of("orders/20261201-062355-1"), v.semiSync(), v.lastFailover(),
                v.ended(), v.routing(), Optional.of("2026-12-01T06:30:00Z")));
        assertEquals("orders/20261201-062355-1", restored.path("backup_id").asText());
        assertEquals("2026-12-01T06:30:00Z", restored.path("restore_to").asText());
    }

    @Test
    void aClusterWithBackupsShowsThemFlatForTheDashboardAndOneWithoutShowsNone() {
        var v = view();
        assertEquals(false, ClusterJson.cluster(v).has("backups"), "never a backup, no schedule: no backups field");
        var backups = new ClusterView.BackupsView(21600, 7, Optional.of("20261201-060000-1"), Optional.of(java.time.Instant.parse(
                "2026-12-01T06:00:31Z")), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("20261201-120000-2"));
        var json = ClusterJson.cluster(new ClusterView(v.name(), v.status(), v.numNodes(), v.epoch(), v.master(), v.replicas(),
                v.size(), v.user(), v.createdAt(), v.reason(), v.backupId(), v.semiSync(), v.lastFailover(), v.ended(), v.routing(),
                v.restoreTo(), Optional.of(backups))).path("backups");
        assertEquals("6h", json.path("interval").asText());
        assertEquals(7, json.path("keep").asInt());
        assertEquals("20261201-060000-1", json.path("last_completed").asText());
        assertEquals("2026-12-01T06:00:31Z", json.path("last_completed_at").asText());
        assertEquals(true, json.path("last_failed").isNull());
        assertEquals(true, json.path("last_failure").isNull());
        assertEquals("20261201-120000-2", json.path("running").asText());
        assertEquals(true, json.path("archive_failing").isNull(), "the archive works");
        json.fields().forEachRemaining(f -> assertEquals(false, f.getValue().isContainerNode(), "flat: " + f.getKey()));
    }
}

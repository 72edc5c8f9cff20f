package io.mysos.it.local;

import static io.mysos.it.local.Api.form;
import static io.mysos.it.local.BackupTest.awaitCount;
import static io.mysos.it.local.BackupTest.count;
import static io.mysos.it.local.BackupTest.takeBackup;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mysos.core.binlog.GtidState;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Point-in-time recovery through the API of a real {@code mysos local}: the masters' binary logs archived
 * into the default store, a new cluster restored to a moment between two batches of writes, and an
 * archive that goes on without a gap after a kill -9 of the master.
 */
class PointInTimeRecoveryTest {
    private static final Duration READY = Duration.ofSeconds(180);
    private static final Duration ARCHIVED = Duration.ofSeconds(60);
    @RegisterExtension
    static final LocalStackPerClass local = new LocalStackPerClass("mysos-it-pitr-");

    @Test
    void aRestoreToAMomentBetweenTwoBatchesHoldsTheFirstBatchAndNotTheSecond() throws Exception {
        var password = local.api().create("ledger", form("cluster_user", "app", "num_nodes", "2"));
        var master = local.api().awaitRunning("ledger", READY).path("master");
        writeEach(master, password, 0, 20);
        var backup = takeBackup(local.api(), "ledger", password);
        writeEach(master, password, 20, 30);
        var between = nextWholeSecond();
        writeEach(master, password, 50, 30);
        var end = gtidBinlogPos(master, password);
        var recoverable = awaitRecoverable("ledger", r -> GtidState.parse(r.path("position").asText()).covers(end));
        assertEquals(backup.path("backup_id").asText(), recoverable.path("backup_id").asText());
        assertFalse(Instant.parse(recoverable.path("time").asText()).isBefore(between), recoverable.toString());

        var refused = local.api().post("/clusters/ledger2", form("cluster_user", "app", "backup_id", backup.path("backup_id").asText(),
                "restore_to", Instant.now().plusSeconds(3600).toString()));
        assertEquals(400, refused.status(), refused.toString());
        assertTrue(refused.error().contains("after the latest recoverable point"), refused.toString());
        assertEquals(400, local.api().post("/clusters/ledger2", form("cluster_user", "app", "backup_id", backup.path("backup_id").asText(),
                "restore_to", "last tuesday")).status());
        assertEquals(404, local.api().get("/clusters/ledger2").status(), "nothing was created");

        var copyPassword = local.api().create("ledger2", form("cluster_user", "app", "num_nodes", "2",
                "backup_id", backup.path("backup_id").asText(), "restore_to", between.toString()));
        var copy = local.api().awaitRunning("ledger2", READY);
        for (var instance : instances(copy)) {
            assertEquals(50L, count(instance, copyPassword), "the first batch, not the second, on " + instance.path("task_id").asText());
        }
        // The restored cluster takes writes and replicates on.
        Sql.execute(copy.path("master"), "app", copyPassword, "INSERT INTO shop.items VALUES (1000, 'after the restore')");
        for (var instance : instances(copy)) {
            awaitCount(instance, copyPassword, 51L);
        }
    }

    @Test
    void theArchiveGoesOnWithoutAGapAfterTheMasterIsKilled() throws Exception {
        var password = local.api().create("relay", form("cluster_user", "app", "num_nodes", "3"));
        var cluster = local.api().awaitRunning("relay", READY);
        var master = cluster.path("master");
        writeEach(master, password, 0, 10);
        var backup = takeBackup(local.api(), "relay", password);
        // Right before the kill: the master's archive (every second) has not stored all of these.
        writeEach(master, password, 10, 200);
        FailoverTest.killMysqld(local.dataDir(), master.path("task_id").asText());
        var failedOver = local.api().awaitCluster("relay", READY, c -> "RUNNING".equals(c.path("state").asText())
                && !c.path("master").path("task_id").asText().equals(master.path("task_id").asText()));
        var newMaster = failedOver.path("master");
        long kept = count(newMaster, password);
        writeEach(newMaster, password, 1000, 30);
        var end = gtidBinlogPos(newMaster, password);
        var recoverable = awaitRecoverable("relay", r -> GtidState.parse(r.path("position").asText()).covers(end));
        assertFalse(recoverable.has("gap"), recoverable.toString());
        try (var lives = Files.list(local.dataDir().resolve("backups/relay/binlogs"))) {
            var life = lives.toList();
            assertEquals(1, life.size(), "one archive for the name's one life: " + life);
            try (var epochs = Files.list(life.get(0))) {
                assertTrue(epochs.count() >= 2, "an archive for each master's epoch");
            }
        }

        var copyPassword = local.api().create("relay2", form("cluster_user", "app", "backup_id", backup.path("backup_id").asText(),
                "restore_to", end.toString()));
        var copy = local.api().awaitRunning("relay2", READY).path("master");
        assertEquals(kept + 30, count(copy, copyPassword), "every row the new master had, once");
        assertEquals(end, gtidBinlogPos(copy, copyPassword));
    }

    private static List<JsonNode> instances(JsonNode cluster) {
        var all = new ArrayList<JsonNode>(List.of(cluster.path("master")));
        cluster.path("replicas").forEach(all::add);
        return all;
    }

    /** Waits until the listing's latest recoverable point satisfies {@code condition}. */
    private static JsonNode awaitRecoverable(String cluster, Predicate<JsonNode> condition) {
        var deadline = System.nanoTime() + ARCHIVED.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = local.api().get("/clusters/" + cluster + "/backups").body().path("recoverable");
            if (last.isObject() && last.has("position") && condition.test(last)) {
                return last;
            }
            Api.sleep(200);
        }
        throw new AssertionError("the archive of " + cluster + " did not get there: " + last);
    }

    private static GtidState gtidBinlogPos(JsonNode instance, String password) throws SQLException {
        try (var connection = Sql.connect(instance, "app", password); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT @@GLOBAL.gtid_binlog_pos")) {
            rows.next();
            return GtidState.parse(rows.getString(1));
        }
    }

    /** Waits for the next whole second, so that what is written before and after it has different binary log times. */
    private static Instant nextWholeSecond() {
        var next = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 1);
        while (Instant.now().isBefore(next)) {
            Api.sleep(Math.max(1, Duration.between(Instant.now(), next).toMillis()));
        }
        return next;
    }

    /** One transaction per row. */
    private static void writeEach(JsonNode master, String password, int from, int rows) throws SQLException {
        Sql.execute(master, "app", password, "CREATE DATABASE IF NOT EXISTS shop",
                "CREATE TABLE IF NOT EXISTS shop.items (id INT PRIMARY KEY, name VARCHAR(64))");
        try (var connection = Sql.connect(master, "app", password); var statement = connection.createStatement()) {
            for (int i = from; i < from + rows; i++) {
                statement.execute("INSERT INTO shop.items VALUES (" + i + ", 'item " + i + "')");
            }
        }
    }
}

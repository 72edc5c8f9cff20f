package io.mysos.it.local;

import static io.mysos.it.local.Api.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Backups through the API of a real {@code mysos local} with real mysqld and mariadb-backup, into its
 * default store ({@code file://<data-dir>/backups}): back up, delete, restore, compare; a damaged
 * backup; an unknown backup id; retention.
 */
class BackupTest {
    private static final Duration READY = Duration.ofSeconds(120);
    private static final Duration BACKUP = Duration.ofSeconds(180);
    @RegisterExtension
    static final LocalStackPerClass local = new LocalStackPerClass("mysos-it-backup-");

    @Test
    void aBackupOfAThreeNodeClusterRestoresANewClusterWithTheSameDataOnEveryInstance() throws Exception {
        var password = local.api().create("source", form("cluster_user", "app", "num_nodes", "3"));
        var master = local.api().awaitRunning("source", READY).path("master");
        writeRows(master, password, 10_000);
        var expected = checksum(master, password);

        var backup = takeBackup("source", password);
        assertTrue(backup.path("bytes").asLong() > 0, backup.toString());
        assertFalse(backup.path("position").asText().isEmpty(), "the backup records its GTID position: " + backup);
        assertTrue(backup.path("location").asText().startsWith("file:"), backup.toString());
        assertFalse(backup.path("source").asText().equals(master.path("task_id").asText()), "a replica, not the master: " + backup);
        assertTrue(backup.path("source").asText().startsWith("mysos-source-"), backup.toString());

        assertEquals(200, local.api().delete("/clusters/source", form("password", password)).status());
        local.api().awaitGone("source", Duration.ofSeconds(60));
        var kept = local.api().get("/clusters/source/backups");
        assertEquals(200, kept.status(), "deleting a cluster keeps its backups: " + kept);
        assertEquals(backup.path("id").asText(), kept.body().path("backups").get(0).path("id").asText());

        var copyPassword = local.api().create("copy", form("cluster_user", "app", "num_nodes", "3",
                "backup_id", backup.path("backup_id").asText()));
        var copy = local.api().awaitRunning("copy", READY);
        var instances = new ArrayList<JsonNode>(List.of(copy.path("master")));
        copy.path("replicas").forEach(instances::add);
        assertEquals(3, instances.size());
        for (var instance : instances) {
            assertEquals(expected, checksum(instance, copyPassword), "CHECKSUM TABLE on " + instance.path("task_id").asText());
            assertEquals(10_000L, count(instance, copyPassword));
        }
        // The restored cluster replicates on.
        Sql.execute(copy.path("master"), "app", copyPassword, "INSERT INTO shop.items VALUES (10000, 'one more')");
        for (var instance : instances) {
            awaitCount(instance, copyPassword, 10_001L);
        }
    }

    @Test
    void anUnknownBackupIdIsRefusedAndNothingIsCreated() {
        var answer = local.api().post("/clusters/ghost", form("cluster_user", "app", "backup_id", "nosuch/20260101-000000-1"));
        assertEquals(400, answer.status());
        assertTrue(answer.error().contains("nosuch/20260101-000000-1 is unknown or incomplete"), answer.toString());
        assertEquals(404, local.api().get("/clusters/ghost").status());
        assertEquals(400, local.api().post("/clusters/ghost", form("cluster_user", "app", "backup_id", "no-slash")).status());
    }

    @Test
    void aDamagedBackupFailsTheRestoredInstanceWithTheReason() throws Exception {
        var password = local.api().create("fragile", form("cluster_user", "app"));
        writeRows(local.api().awaitRunning("fragile", READY).path("master"), password, 100);
        var backup = takeBackup("fragile", password);
        var stream = local.dataDir().resolve("backups/fragile/" + backup.path("id").asText() + "/backup.xbstream");
        try (var file = new RandomAccessFile(stream.toFile(), "rw")) {
            file.seek(file.length() / 2);
            int b = file.read();
            file.seek(file.length() / 2);
            file.write(b ^ 0xff);
        }
        Files.deleteIfExists(stream.resolveSibling(".backup.xbstream.crc"));

        var brokenPassword = local.api().create("broken", form("cluster_user", "app", "backup_id", backup.path("backup_id").asText()));
        var broken = local.api().awaitCluster("broken", READY, c -> c.path("ended").size() > 0);
        var reason = broken.path("ended").get(0).path("reason").asText();
        assertTrue(reason.contains("is damaged") && reason.contains("SHA-256") && reason.contains("not started"), reason);
        assertEquals(200, local.api().delete("/clusters/broken", form("password", brokenPassword)).status());
        local.api().awaitGone("broken", Duration.ofSeconds(60));
    }

    @Test
    void retentionKeepsTheNewestAndDeletesTheOldestFromTheStore() throws Exception {
        var password = local.api().create("kept", form("cluster_user", "app"));
        writeRows(local.api().awaitRunning("kept", READY).path("master"), password, 10);
        var changed = local.api().patch("/clusters/kept/backups", form("password", password, "backup_keep", "1"));
        assertEquals(200, changed.status(), changed.toString());
        var first = takeBackup("kept", password);
        var second = takeBackup("kept", password);
        var listed = local.api().get("/clusters/kept/backups").body();
        assertEquals(1, listed.path("backup_keep").asInt());
        var states = new ArrayList<String>();
        listed.path("backups").forEach(b -> states.add(b.path("id").asText() + " " + b.path("state").asText()));
        assertEquals(List.of(first.path("id").asText() + " DELETED", second.path("id").asText() + " COMPLETED"), states);
        var firstDir = local.dataDir().resolve("backups/kept/" + first.path("id").asText());
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Files.exists(firstDir) && System.nanoTime() < deadline) {
            Api.sleep(100);
        }
        assertFalse(Files.exists(firstDir), "the oldest backup is gone from the store");
        var secondDir = local.dataDir().resolve("backups/kept/" + second.path("id").asText());
        assertTrue(Files.exists(secondDir.resolve("manifest.json")));
        assertTrue(local.api().get("/clusters/kept/backups").body().path("backups").get(1).path("in_store").asBoolean());

        // Deleted by hand from the store: the listing says so instead of showing a backup that cannot be restored.
        io.mysos.executor.mysql.SandboxLayout.deleteTree(secondDir);
        var missing = local.api().get("/clusters/kept/backups").body().path("backups").get(1);
        assertEquals("COMPLETED", missing.path("state").asText(), missing.toString());
        assertFalse(missing.path("in_store").asBoolean(true), missing.toString());
        assertTrue(missing.path("problem").asText().contains("cannot be restored"), missing.toString());
        assertEquals(400, local.api().post("/clusters/kept-copy", form("cluster_user", "app", "backup_id", second.path("backup_id").asText()))
                .status());
    }

    @Test
    void afterTheMasterPurgedItsBinaryLogsAKilledReplicaIsReplacedFromACopyAndTheClusterStillGrows() throws Exception {
        var password = local.api().create("aged", form("cluster_user", "app", "num_nodes", "2"));
        var cluster = local.api().awaitRunning("aged", READY);
        var master = cluster.path("master");
        var replica = cluster.path("replicas").get(0).path("task_id").asText();
        writeRows(master, password, 1000);
        awaitCount(cluster.path("replicas").get(0), password, 1000);
        purgeBinaryLogs(master.path("task_id").asText());

        FailoverTest.killMysqld(local.dataDir(), replica);
        var replaced = local.api().awaitCluster("aged", READY, c -> "RUNNING".equals(c.path("state").asText())
                && c.path("replicas").size() == 1 && !c.path("replicas").get(0).path("task_id").asText().equals(replica));
        awaitCount(replaced.path("replicas").get(0), password, 1000);
        var seeds = new ArrayList<String>();
        local.api().get("/clusters/aged/backups").body().path("backups").forEach(b -> seeds.add(b.path("cause").asText() + " " + b.path("state").asText()));
        assertTrue(seeds.contains("seed COMPLETED"), "the replacement was seeded from a backup taken for it: " + seeds);

        assertEquals(200, local.api().patch("/clusters/aged", form("password", password, "num_nodes", "3")).status());
        var grown = local.api().awaitCluster("aged", READY, c -> "RUNNING".equals(c.path("state").asText()) && c.path("replicas").size() == 2);
        Sql.execute(grown.path("master"), "app", password, "INSERT INTO shop.items VALUES (1000, 'after the purge')");
        for (var r : grown.path("replicas")) {
            awaitCount(r, password, 1001);
        }
    }

    /** Runs SQL as root over the instance's socket (root logs in only that way). */
    private static String asRoot(String task, String sql) throws Exception {
        var socket = io.mysos.executor.mysql.SandboxLayout.of(local.dataDir().resolve("instances").resolve(task)).socket();
        var process = new ProcessBuilder("mariadb", "--no-defaults", "--socket=" + socket, "-u", "root", "-N", "-B", "-e", sql)
                .redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the client finished");
        assertEquals(0, process.exitValue(), "as root on " + task + ": " + sql + " -> " + output);
        return output;
    }

    /** Leaves the master only its current binary log: a replica starting from nothing could not catch up. */
    private static void purgeBinaryLogs(String master) throws Exception {
        asRoot(master, "FLUSH BINARY LOGS");
        var deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            asRoot(master, "PURGE BINARY LOGS BEFORE NOW()");
            if (asRoot(master, "SHOW BINARY LOGS").strip().lines().count() == 1) {
                return;
            }
            Api.sleep(200);
        }
        throw new AssertionError("the master kept more than one binary log: " + asRoot(master, "SHOW BINARY LOGS"));
    }

    /** POST a backup (202), then waits until the listing shows it COMPLETED; returns its entry. */
    static JsonNode takeBackup(String cluster, String password) {
        return takeBackup(local.api(), cluster, password);
    }

    static JsonNode takeBackup(Api api, String cluster, String password) {
        var answer = api.post("/clusters/" + cluster + "/backups", form("password", password));
        assertEquals(202, answer.status(), answer.toString());
        var id = answer.body().path("id").asText();
        assertEquals(cluster + "/" + id, answer.body().path("backup_id").asText());
        var deadline = System.nanoTime() + BACKUP.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = api.get("/clusters/" + cluster + "/backups").body();
            for (var b : last.path("backups")) {
                if (b.path("id").asText().equals(id) && !b.path("state").asText().equals("RUNNING")) {
                    assertEquals("COMPLETED", b.path("state").asText(), b.toString());
                    return b;
                }
            }
            Api.sleep(200);
        }
        throw new AssertionError("backup " + id + " did not complete: " + last);
    }

    static void writeRows(JsonNode master, String password, int rows) throws SQLException {
        Sql.execute(master, "app", password, "CREATE DATABASE IF NOT EXISTS shop",
                "CREATE TABLE IF NOT EXISTS shop.items (id INT PRIMARY KEY, name VARCHAR(64))");
        for (int from = 0; from < rows; from += 1000) {
            var sql = new StringBuilder("INSERT INTO shop.items VALUES ");
            for (int i = from; i < Math.min(rows, from + 1000); i++) {
                sql.append(i == from ? "" : ",").append("(").append(i).append(",'item ").append(i).append("')");
            }
            Sql.execute(master, "app", password, sql.toString());
        }
    }

    static String checksum(JsonNode instance, String password) throws SQLException {
        try (var connection = Sql.connect(instance, "app", password); var statement = connection.createStatement();
             var rows = statement.executeQuery("CHECKSUM TABLE shop.items")) {
            rows.next();
            return rows.getString(2);
        }
    }

    static long count(JsonNode instance, String password) throws SQLException {
        try (var connection = Sql.connect(instance, "app", password); var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT COUNT(*) FROM shop.items")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static void awaitCount(JsonNode instance, String password, long expected) throws SQLException {
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            last = count(instance, password);
            if (last == expected) {
                return;
            }
            Api.sleep(100);
        }
        throw new AssertionError(instance.path("task_id").asText() + " has " + last + " rows, not " + expected);
    }
}

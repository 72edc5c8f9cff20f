package io.mysos.it.local;

import static io.mysos.it.local.Api.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Backups into a real (in-process) HDFS: a backup, an HDFS stopped in the middle of one (BackupFailed,
 * the cluster keeps serving), and a backup that works once HDFS is back; then a restore from HDFS.
 */
class BackupOnHdfsTest {
    private static final Duration READY = Duration.ofSeconds(120);
    private static Path dataDir;
    private static Path hadoopConf;
    private static File hdfsBase;
    private static int nameNodePort;
    private static MiniDFSCluster hdfs;
    private static LocalStack stack;
    private static Api api;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("mysos-it-hdfs-");
        hdfsBase = new File("target/minidfs-it-" + System.nanoTime()).getAbsoluteFile();
        nameNodePort = Ports.free();
        hdfs = startHdfs();
        // The executors' HDFS client gives up within seconds when HDFS is gone, instead of retrying for minutes.
        hadoopConf = Files.createDirectories(dataDir.resolve("hadoop-conf"));
        Files.writeString(hadoopConf.resolve("core-site.xml"), """
                <configuration>
                  <property><name>ipc.client.connect.max.retries</name><value>1</value></property>
                  <property><name>ipc.client.connect.retry.interval</name><value>200</value></property>
                  <property><name>ipc.client.connect.max.retries.on.timeouts</name><value>1</value></property>
                  <property><name>ipc.client.connect.timeout</name><value>2000</value></property>
                  <property><name>dfs.client.retry.policy.enabled</name><value>false</value></property>
                  <property><name>dfs.client.block.write.retries</name><value>1</value></property>
                  <property><name>dfs.client.block.write.replace-datanode-on-failure.enable</name><value>false</value></property>
                </configuration>
                """);
        stack = LocalStack.startInProcess(dataDir, URI.create("hdfs://localhost:" + nameNodePort + "/mysos"), Optional.of(hadoopConf));
        api = stack.api();
    }

    @AfterAll
    static void stop() throws Exception {
        LocalStack.closeAndRemove(stack, dataDir);
        if (hdfs != null) {
            hdfs.shutdown(true);
        }
        io.mysos.executor.mysql.SandboxLayout.deleteTree(hdfsBase.toPath());
    }

    private static MiniDFSCluster startHdfs() throws Exception {
        var cluster = new MiniDFSCluster.Builder(new Configuration(), hdfsBase).nameNodePort(nameNodePort).numDataNodes(1).build();
        cluster.waitActive();
        return cluster;
    }

    @Test
    void hdfsStoppedMidBackupFailsItTheClusterServesOnAndTheNextBackupWorksAndRestores() throws Exception {
        var password = api.create("lake", form("cluster_user", "app", "num_nodes", "2"));
        var master = api.awaitRunning("lake", READY).path("master");
        BackupTest.writeRows(master, password, 10_000);
        var expected = BackupTest.checksum(master, password);

        var answer = api.post("/clusters/lake/backups", form("password", password));
        assertEquals(202, answer.status(), answer.toString());
        var id = answer.body().path("id").asText();
        var stream = new org.apache.hadoop.fs.Path("/mysos/lake/" + id + "/backup.xbstream");
        var fs = hdfs.getFileSystem();
        var deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!fs.exists(stream) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(fs.exists(stream), "the backup began writing to HDFS");
        hdfs.shutdown(true);
        hdfs = null;

        var failed = awaitBackup("lake", id);
        assertEquals("FAILED", failed.path("state").asText(), failed.toString());
        assertTrue(failed.path("reason").asText().contains("hdfs://localhost:" + nameNodePort), "the reason names the store: " + failed);
        var cluster = api.get("/clusters/lake").body();
        assertEquals("RUNNING", cluster.path("state").asText(), "the cluster keeps serving: " + cluster);
        Sql.execute(cluster.path("master"), "app", password, "SELECT COUNT(*) FROM shop.items");

        hdfs = startHdfs();
        var backup = BackupTest.takeBackup(api, "lake", password);
        assertTrue(backup.path("location").asText().startsWith("hdfs://"), backup.toString());

        var copyPassword = api.create("lake-copy", form("cluster_user", "app", "num_nodes", "2",
                "backup_id", backup.path("backup_id").asText()));
        var copy = api.awaitRunning("lake-copy", READY);
        assertEquals(expected, BackupTest.checksum(copy.path("master"), copyPassword));
        assertEquals(expected, BackupTest.checksum(copy.path("replicas").get(0), copyPassword));
    }

    /** Waits until backup {@code id} of {@code cluster} is no longer running; returns its entry. */
    private static JsonNode awaitBackup(String cluster, String id) {
        var deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = api.get("/clusters/" + cluster + "/backups").body();
            for (var b : last.path("backups")) {
                if (b.path("id").asText().equals(id) && !b.path("state").asText().equals("RUNNING")) {
                    return b;
                }
            }
            Api.sleep(200);
        }
        throw new AssertionError("backup " + id + " still runs: " + last);
    }
}

package io.mysos.executor.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's layout and its rule that only a backup with a manifest exists, through file://. */
class BackupStoreTest {
    @TempDir
    Path dir;
    private BackupStore store;

    @BeforeEach
    void open() {
        store = BackupStore.open(dir.toUri());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void hdfsClientsStreamInLargePacketsUnlessTheOperatorsConfigurationSaysOtherwise() throws Exception {
        var defaults = new org.apache.hadoop.hdfs.HdfsConfiguration();
        assertEquals(String.valueOf(1 << 20), BackupStore.withStreamingDefaults(defaults).get("dfs.client-write-packet-size"));
        assertEquals("65536", defaults.get("dfs.client-write-packet-size"), "the operator's configuration is not changed");

        var site = dir.resolve("hdfs-site.xml");
        Files.writeString(site, "<configuration><property><name>dfs.client-write-packet-size</name><value>131072</value>"
                + "</property></configuration>");
        var operators = new org.apache.hadoop.hdfs.HdfsConfiguration();
        operators.addResource(new org.apache.hadoop.fs.Path(site.toUri()));
        assertEquals("131072", BackupStore.withStreamingDefaults(operators).get("dfs.client-write-packet-size"));
    }

    @Test
    void aBackupWithItsManifestIsListedWithEveryFilesSizeAndSha256() throws Exception {
        var content = "some data".getBytes(StandardCharsets.UTF_8);
        var out = store.create("orders", "b1", "data.bin");
        out.write(content);
        out.close();
        var entry = out.entry();
        assertEquals(content.length, entry.bytes());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), entry.sha256());
        store.publish(manifest("orders", "b1", List.of(entry)));

        assertTrue(Files.isRegularFile(dir.resolve("orders/b1/manifest.json")), "layout <root>/<cluster>/<id>/manifest.json");
        assertTrue(Files.isRegularFile(dir.resolve("orders/b1/data.bin")));
        var listed = store.list("orders");
        assertEquals(1, listed.size());
        assertEquals("orders/b1", listed.get(0).fullId());
        assertEquals(List.of(entry), listed.get(0).files());
        assertEquals("0-1-42", store.find("orders", "b1").orElseThrow().position());
        try (var in = store.open(listed.get(0), "data.bin")) {
            assertEquals("some data", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aBackupWithoutManifestIsNeitherListedNorFoundAndIsCleanedUp() throws IOException {
        var out = store.create("orders", "half", "data.bin");
        out.write(new byte[100]);
        out.close();

        assertEquals(List.of(), store.list("orders"));
        assertTrue(store.find("orders", "half").isEmpty());
        assertEquals(List.of(), store.removeIncomplete("orders", Duration.ofHours(1), Instant.now()), "a young one may still be written");
        assertEquals(List.of("half"), store.removeIncomplete("orders", Duration.ZERO, Instant.now().plusSeconds(1)));
        assertFalse(Files.exists(dir.resolve("orders/half")));
    }

    @Test
    void aDamagedManifestCountsAsIncomplete() throws IOException {
        Files.createDirectories(dir.resolve("orders/b2"));
        Files.writeString(dir.resolve("orders/b2/manifest.json"), "{\"cluster\":\"orders\",");
        assertTrue(store.find("orders", "b2").isEmpty());
        assertEquals(List.of(), store.list("orders"));
    }

    @Test
    void deletingRemovesTheBackupAndOthersStay() throws IOException {
        for (var id : List.of("b1", "b2")) {
            var out = store.create("orders", id, "data.bin");
            out.close();
            store.publish(manifest("orders", id, List.of(out.entry())));
        }
        store.delete("orders", "b1");
        assertEquals(List.of("b2"), store.list("orders").stream().map(BackupManifest::id).toList());
        assertFalse(Files.exists(dir.resolve("orders/b1")));
    }

    @Test
    void refusesIdsThatWouldLeaveTheClustersDirectory() {
        assertThrows(IllegalArgumentException.class, () -> store.create("orders", "../other", "x"));
        assertThrows(IllegalArgumentException.class, () -> store.create("orders", "b1", "../../x"));
        assertTrue(store.find("orders", "..").isEmpty());
    }

    static BackupManifest manifest(String cluster, String id, List<BackupManifest.FileEntry> files) {
        var now = Instant.now().toString();
        return new BackupManifest(1, cluster, id, now, now, "mysos-" + cluster + "-2", "MariaDB 10.11", BackupManifest.PHYSICAL,
                "0-1-42", files, "");
    }

    @Test
    void aFullDiskUnderAFileStoreIsAnIoFailureWithItsReasonNotAnError() throws IOException {
        // /dev/full answers every write with ENOSPC; Hadoop's raw local streams would throw FSError, an Error.
        var file = Files.createDirectories(dir.resolve("c/b1")).resolve("backup.xbstream");
        Files.createSymbolicLink(file, Path.of("/dev/full"));
        try (var out = store.fs().create(new org.apache.hadoop.fs.Path(file.toUri()), true)) {
            var e = assertThrows(IOException.class, () -> {
                out.write(new byte[1 << 20]);
                out.hsync();
            });
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        } catch (IOException closing) {
            assertTrue(closing.getMessage().contains("No space left on device"), closing.getMessage());
        }
        var manifest = Files.createDirectories(dir.resolve("c/b2")).resolve(".manifest.json.writing");
        Files.createSymbolicLink(manifest, Path.of("/dev/full"));
        var refused = assertThrows(BackupStoreException.class, () -> store.publish(new BackupManifest(1, "c", "b2", "2026-12-01T06:00:00Z",
                "2026-12-01T06:00:01Z", "mysos-c-1", "MariaDB 10.11", BackupManifest.PHYSICAL, "0-1-1", List.of(), "life")));
        assertTrue(refused.getMessage().contains("No space left on device"), refused.getMessage());
        assertTrue(store.find("c", "b2").isEmpty(), "no manifest, no backup");
    }
}

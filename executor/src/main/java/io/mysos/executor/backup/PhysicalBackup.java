package io.mysos.executor.backup;

import io.mysos.executor.mysql.SandboxLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Physical backups with {@code mariadb-backup}: the data directory streamed as xbstream straight into
 * the store (hashed on the way, no copy on local disk), and restored by fetching, verifying every
 * file's SHA-256 while {@code mbstream -x} unpacks it, then {@code mariadb-backup --prepare}.
 */
public final class PhysicalBackup {
    private static final Logger log = LoggerFactory.getLogger(PhysicalBackup.class);
    public static final String STREAM_FILE = "backup.xbstream";
    /** mariadb-backup's report of the consistent point: "GTID of the last change '0-1-42'". */
    private static final Pattern LAST_GTID = Pattern.compile("GTID of the last change '([^']*)'");
    private static final Pattern SLAVE_POS = Pattern.compile("gtid_slave_pos\\s*=\\s*'([^']*)'");

    private final BackupTools tools;
    private final BackupStore store;

    public PhysicalBackup(BackupTools tools, BackupStore store) {
        if (!tools.physical()) {
            throw new BackupFailedException("mariadb-backup and mbstream are not installed: " + BackupTools.INSTALL_HINT);
        }
        this.tools = tools;
        this.store = store;
    }

    /**
     * Takes a backup of {@code source} as {@code cluster/id} and publishes its manifest.
     *
     * @throws BackupFailedException when mariadb-backup fails (the partial backup stays incomplete)
     * @throws BackupStoreException when the store cannot be written
     */
    public BackupManifest take(BackupSource source, String cluster, String id) {
        return take(source, cluster, id, Cancellation.none());
    }

    /** Like {@link #take(BackupSource, String, String)}; {@code cancel} stops it (its tool is killed). */
    public BackupManifest take(BackupSource source, String cluster, String id, Cancellation cancel) {
        var started = Instant.now();
        var scratch = source.sandbox().resolve("backup-scratch");
        Path options = null;
        try {
            SandboxLayout.deleteTree(scratch);
            Files.createDirectories(scratch);
            options = source.writeClientOptions("backup-client.cnf");
            var command = new ArrayList<>(List.of(tools.mariadbBackup().orElseThrow().toString(), "--defaults-file=" + options,
                    "--backup", "--stream=xbstream", "--target-dir=" + scratch, "--parallel=2"));
            if (source.replica()) {
                command.add("--slave-info");
            }
            BackupStore.HashingOutput stored;
            String position;
            try (var run = cancel.watch(ToolRun.start(command, source.sandbox()))) {
                stored = store.create(cluster, id, STREAM_FILE);
                try (InputStream in = run.process().getInputStream()) {
                    OverlappedCopy.copy(in, stored, id);
                    stored.close();
                } catch (IOException | RuntimeException e) {
                    // The store failed (or the tool's output did): stop the tool, drop the half-written file's stream.
                    run.close();
                    closeQuietly(stored);
                    throw new BackupStoreException("writing " + store.location(cluster, id) + " failed: " + BackupStore.describe(e), e);
                }
                run.awaitSuccess();
                position = positionIn(run.lines()).orElse("");
            }
            var manifest = new BackupManifest(1, cluster, id, started.toString(), Instant.now().toString(), source.taskId(),
                    source.serverVersion(), BackupManifest.PHYSICAL, position, List.of(stored.entry()), source.life());
            store.publish(manifest);
            log.info("backup {} of {} complete: {} bytes at GTID {} in {} ms", manifest.fullId(), source.taskId(), manifest.bytes(),
                    position, java.time.Duration.between(started, Instant.now()).toMillis());
            return manifest;
        } catch (IOException e) {
            throw new BackupFailedException("cannot prepare the backup in " + scratch + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(scratch);
            if (options != null) {
                deleteQuietly(options);
            }
        }
    }

    /**
     * Restores {@code backup} into {@code target} (created; must not hold anything yet): every file is
     * verified against its manifest while it is unpacked, before anything may start on it.
     *
     * @return the GTID position the restored data holds everything up to
     * @throws BackupFailedException when a checksum does not match or a tool fails
     */
    public String restore(BackupManifest backup, Path target) {
        if (!BackupManifest.PHYSICAL.equals(backup.method())) {
            throw new BackupFailedException("backup " + backup.fullId() + " was taken with " + backup.method()
                    + "; only " + BackupManifest.PHYSICAL + " backups restore this way");
        }
        var entry = backup.file(STREAM_FILE).orElseThrow(() -> new BackupFailedException("backup " + backup.fullId()
                + " has no " + STREAM_FILE + " in its manifest"));
        try {
            Files.createDirectories(target);
            long began = System.nanoTime();
            unpackVerified(backup, entry, target);
            long unpacked = System.nanoTime();
            try (var prepare = ToolRun.start(List.of(tools.mariadbBackup().orElseThrow().toString(), "--prepare",
                    "--target-dir=" + target, "--use-memory=256M"), target)) {
                prepare.process().getOutputStream().close();
                prepare.process().getInputStream().transferTo(OutputStream.nullOutputStream());
                prepare.awaitSuccess();
            }
            // A restored instance must not resume an old replication channel of the source.
            for (var stale : List.of("master.info", "relay-log.info", "multi-master.info")) {
                Files.deleteIfExists(target.resolve(stale));
            }
            log.info("restored backup {} into {}: {} bytes fetched, verified and unpacked in {} ms, prepared in {} ms", backup.fullId(),
                    target, entry.bytes(), (unpacked - began) / 1_000_000, (System.nanoTime() - unpacked) / 1_000_000);
            return positionOf(target).orElse(backup.position());
        } catch (IOException e) {
            throw new BackupFailedException("cannot restore backup " + backup.fullId() + " into " + target + ": " + e.getMessage(), e);
        }
    }

    private void unpackVerified(BackupManifest backup, BackupManifest.FileEntry entry, Path target) throws IOException {
        var digest = sha256();
        long bytes;
        try (var unpack = ToolRun.start(List.of(tools.mbstream().orElseThrow().toString(), "-x", "-C", target.toString()), target)) {
            try (var in = store.open(backup, entry.name())) {
                // The store is read, and hashed on another thread, while mbstream unpacks the chunk before.
                var toTool = unpack.process().getOutputStream();
                bytes = OverlappedCopy.copy(in, toTool, backup.fullId(), true, digest::update);
                closeQuietly(toTool);
            } catch (org.apache.hadoop.fs.ChecksumException e) {
                throw new BackupFailedException("backup " + backup.fullId() + " is damaged: " + entry.name()
                        + " fails the store's own checksum at byte " + e.getPos() + "; the instance was not started", e);
            } catch (IOException e) {
                throw new BackupStoreException("could not read backup " + backup.fullId() + " to the end: " + BackupStore.describe(e), e);
            }
            var sha = HexFormat.of().formatHex(digest.digest());
            // The checksum first: a damaged stream also makes mbstream fail, but the mismatch is the reason.
            if (bytes != entry.bytes() || !sha.equals(entry.sha256())) {
                throw new BackupFailedException("backup " + backup.fullId() + " is damaged: " + entry.name() + " has "
                        + bytes + " bytes with SHA-256 " + sha + " but its manifest says " + entry.bytes() + " bytes with SHA-256 "
                        + entry.sha256() + "; the instance was not started");
            }
            unpack.process().getInputStream().transferTo(OutputStream.nullOutputStream());
            unpack.awaitSuccess();
        }
    }

    /** The GTID position mariadb-backup reported for the backup's consistent point. */
    static Optional<String> positionIn(List<String> lines) {
        String found = null;
        for (var line : lines) {
            var last = LAST_GTID.matcher(line);
            if (last.find() && !last.group(1).isBlank()) {
                found = last.group(1);
            }
        }
        if (found == null) {
            for (var line : lines) {
                var slave = SLAVE_POS.matcher(line);
                if (slave.find()) {
                    found = slave.group(1);
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** The GTID position mariadb-backup wrote into the restored data directory ({@code xtrabackup_binlog_info}: file, offset, GTIDs). */
    static Optional<String> positionOf(Path dataDir) throws IOException {
        var info = dataDir.resolve("xtrabackup_binlog_info");
        if (Files.isRegularFile(info)) {
            var fields = Files.readString(info, StandardCharsets.UTF_8).trim().split("\\s+");
            if (fields.length >= 3 && !fields[2].isBlank()) {
                return Optional.of(fields[2]);
            }
        }
        var slave = dataDir.resolve("xtrabackup_slave_info");
        if (Files.isRegularFile(slave)) {
            return positionIn(Files.readAllLines(slave, StandardCharsets.UTF_8));
        }
        return Optional.empty();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
    }

    private static void closeQuietly(OutputStream out) {
        try {
            out.close();
        } catch (IOException | RuntimeException e) {
            log.debug("closing a failed backup stream: {}", e.getMessage());
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            SandboxLayout.deleteTree(path);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", path, e.getMessage());
        }
    }
}

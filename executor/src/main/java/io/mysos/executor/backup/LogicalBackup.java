package io.mysos.executor.backup;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fallback where mariadb-backup is missing: a logical backup with {@code mariadb-dump} (one
 * consistent transaction, GTID position, routines, triggers, events) of the cluster's databases (not
 * the {@code mysql} schema: accounts are each instance's own), streamed into the store. Restored by
 * downloading and verifying it before mysqld starts, then loading it (not binlogged) into the started server.
 *
 * <p>The position is the source's own binary log position at the dump's snapshot ({@code --master-data}),
 * from a replica as from the master: replicas log what they apply ({@code log_slave_updates}), so it
 * holds everything the snapshot holds. Not {@code --dump-slave}: that stops and restarts the replica's
 * SQL thread (Mysos alone drives replication: a failover may be re-pointing it) and writes the
 * position at the end of the dump.
 */
public final class LogicalBackup {
    private static final Logger log = LoggerFactory.getLogger(LogicalBackup.class);
    public static final String DUMP_FILE = "dump.sql";
    private static final Pattern GTID = Pattern.compile("gtid_slave_pos\\s*=\\s*'([^']*)'");
    private static final List<String> SYSTEM_SCHEMAS = List.of("mysql", "sys", "information_schema", "performance_schema");

    private final BackupTools tools;
    private final BackupStore store;

    public LogicalBackup(BackupTools tools, BackupStore store) {
        if (tools.dump().isEmpty() || tools.client().isEmpty()) {
            throw new BackupFailedException("neither mariadb-backup nor mariadb-dump is installed: " + BackupTools.INSTALL_HINT);
        }
        this.tools = tools;
        this.store = store;
    }

    public BackupManifest take(BackupSource source, String cluster, String id) {
        return take(source, cluster, id, Cancellation.none());
    }

    /** Like {@link #take(BackupSource, String, String)}; {@code cancel} stops it (its tool is killed). */
    public BackupManifest take(BackupSource source, String cluster, String id, Cancellation cancel) {
        var started = Instant.now();
        Path options = null;
        try {
            options = source.writeClientOptions("dump-client.cnf");
            var command = new ArrayList<>(List.of(tools.dump().get().toString(), "--defaults-file=" + options, "--single-transaction",
                    "--gtid", "--master-data=2", "--routines", "--triggers", "--events", "--hex-blob", "--databases"));
            command.addAll(userDatabases(options, source.sandbox()));
            BackupStore.HashingOutput stored;
            var ends = new Ends(64 * 1024);
            try (var run = cancel.watch(ToolRun.start(command, source.sandbox()))) {
                stored = store.create(cluster, id, DUMP_FILE);
                try (InputStream in = ends.watching(run.process().getInputStream())) {
                    in.transferTo(stored);
                    stored.close();
                } catch (IOException | RuntimeException e) {
                    run.close();
                    try {
                        stored.close();
                    } catch (IOException | RuntimeException ignored) {
                        // the store already failed
                    }
                    throw new BackupStoreException("writing " + store.location(cluster, id) + " failed: " + BackupStore.describe(e), e);
                }
                run.awaitSuccess();
            }
            // A dump without its position would seed a replica that replays the master's history over its data.
            var position = positionIn(ends.head()).or(() -> positionIn(ends.tail())).orElseThrow(() -> {
                store.delete(cluster, id);
                return new BackupFailedException("the dump of " + source.taskId() + " holds no GTID position (no "
                        + "'gtid_slave_pos' line in its first or last 64 KiB); nothing was kept");
            });
            var manifest = new BackupManifest(1, cluster, id, started.toString(), Instant.now().toString(), source.taskId(),
                    source.serverVersion(), BackupManifest.LOGICAL, position, List.of(stored.entry()), source.life());
            store.publish(manifest);
            log.info("logical backup {} of {} complete: {} bytes at GTID {}", manifest.fullId(), source.taskId(), manifest.bytes(), position);
            return manifest;
        } catch (IOException e) {
            throw new BackupFailedException("cannot prepare the dump in " + source.sandbox() + ": " + e.getMessage(), e);
        } finally {
            deleteOptions(options);
        }
    }

    /** Removes a client options file (it holds the admin's password); {@code null}: none was written. */
    private void deleteOptions(Path options) {
        if (options == null) {
            return;
        }
        try {
            Files.deleteIfExists(options);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", options, e.getMessage());
        }
    }

    /** Downloads the dump to {@code file}, verifying size and SHA-256 against the manifest. */
    public void fetchVerified(BackupManifest backup, Path file) {
        var entry = backup.file(DUMP_FILE).orElseThrow(() -> new BackupFailedException("backup " + backup.fullId() + " has no " + DUMP_FILE));
        var digest = PhysicalBackup.sha256();
        long bytes;
        try (var in = new DigestInputStream(store.open(backup, DUMP_FILE), digest); OutputStream out = Files.newOutputStream(file)) {
            bytes = in.transferTo(out);
        } catch (org.apache.hadoop.fs.ChecksumException e) {
            throw new BackupFailedException("backup " + backup.fullId() + " is damaged: " + DUMP_FILE
                    + " fails the store's own checksum at byte " + e.getPos() + "; the instance was not started", e);
        } catch (IOException e) {
            throw new BackupStoreException("could not read backup " + backup.fullId() + ": " + BackupStore.describe(e), e);
        }
        var sha = HexFormat.of().formatHex(digest.digest());
        if (bytes != entry.bytes() || !sha.equals(entry.sha256())) {
            throw new BackupFailedException("backup " + backup.fullId() + " is damaged: " + DUMP_FILE + " has " + bytes
                    + " bytes with SHA-256 " + sha + " but its manifest says " + entry.bytes() + " bytes with SHA-256 " + entry.sha256()
                    + "; the instance was not started");
        }
    }

    /** Loads a verified dump into the running server of {@code source}, without writing it to the binary log. */
    public void load(BackupSource source, Path dump) {
        Path options = null;
        try {
            options = source.writeClientOptions("load-client.cnf");
            var command = List.of(tools.client().get().toString(), "--defaults-file=" + options, "--init-command=SET sql_log_bin=0");
            try (var run = ToolRun.start(command, source.sandbox()); var out = run.process().getOutputStream()) {
                Files.copy(dump, out);
                out.close();
                run.process().getInputStream().transferTo(OutputStream.nullOutputStream());
                run.awaitSuccess();
            }
        } catch (IOException e) {
            throw new BackupFailedException("loading the dump into " + source.taskId() + " failed: " + e.getMessage(), e);
        } finally {
            deleteOptions(options);
        }
    }

    private List<String> userDatabases(Path options, Path workDir) {
        try (var run = ToolRun.start(List.of(tools.client().get().toString(), "--defaults-file=" + options, "-N", "-B", "-e",
                "SHOW DATABASES"), workDir)) {
            var names = new String(run.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(n -> !n.isEmpty() && !SYSTEM_SCHEMAS.contains(n)).toList();
            run.awaitSuccess();
            if (names.isEmpty()) {
                throw new BackupFailedException("there is no database to dump");
            }
            return names;
        } catch (IOException e) {
            throw new BackupFailedException("cannot list the databases: " + e.getMessage(), e);
        }
    }

    /** The first and the last bytes of a stream that passes through: where a dump writes its position. */
    private static final class Ends {
        private final ByteArrayOutputStream head = new ByteArrayOutputStream();
        private final byte[] tail;
        private long seen;

        Ends(int keep) {
            this.tail = new byte[keep];
        }

        InputStream watching(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        keep(new byte[] {(byte) b}, 0, 1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        keep(b, off, n);
                    }
                    return n;
                }
            };
        }

        private void keep(byte[] b, int off, int n) {
            if (head.size() < tail.length) {
                head.write(b, off, Math.min(n, tail.length - head.size()));
            }
            // The last tail.length bytes, in a ring: at most two copies per read.
            int skip = Math.max(0, n - tail.length);
            long at = seen + skip;
            int left = n - skip;
            int from = off + skip;
            while (left > 0) {
                int slot = (int) (at % tail.length);
                int chunk = Math.min(left, tail.length - slot);
                System.arraycopy(b, from, tail, slot, chunk);
                at += chunk;
                from += chunk;
                left -= chunk;
            }
            seen += n;
        }

        String head() {
            return head.toString(StandardCharsets.UTF_8);
        }

        String tail() {
            int length = (int) Math.min(seen, tail.length);
            var ordered = new byte[length];
            for (int i = 0; i < length; i++) {
                ordered[i] = tail[(int) ((seen - length + i) % tail.length)];
            }
            return new String(ordered, StandardCharsets.UTF_8);
        }
    }

    static Optional<String> positionIn(String header) {
        var matcher = GTID.matcher(header);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}

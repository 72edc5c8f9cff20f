package io.mysos.executor.backup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where backups live, over the Hadoop FileSystem API: {@code hdfs://...} in production, {@code file:///...}
 * allowed. Layout {@code <root>/<cluster>/<backup-id>/} with the backup's files and {@code manifest.json},
 * which is written last (under a temporary name, then renamed): a directory without it is an
 * incomplete backup, never listed or found, and {@link #removeIncomplete} deletes it.
 */
public final class BackupStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackupStore.class);
    /** Cluster names and backup ids as path segments: no separators, no dots first. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final URI root;
    private final FileSystem fs;

    private BackupStore(URI root, FileSystem fs) {
        this.root = root;
        this.fs = fs;
    }

    /** A store at {@code root} with Hadoop's defaults. */
    public static BackupStore open(URI root) {
        return open(root, new Configuration());
    }

    /**
     * A store at {@code root} with the Hadoop configuration in {@code hadoopConfDir}
     * ({@code core-site.xml}, {@code hdfs-site.xml}), if given.
     */
    public static BackupStore open(URI root, Optional<java.nio.file.Path> hadoopConfDir) {
        var conf = new Configuration();
        hadoopConfDir.ifPresent(dir -> {
            for (var name : List.of("core-site.xml", "hdfs-site.xml")) {
                var file = dir.resolve(name);
                if (Files.isRegularFile(file)) {
                    conf.addResource(new Path(file.toUri()));
                }
            }
        });
        return open(root, conf);
    }

    public static BackupStore open(URI root, Configuration conf) {
        var normalized = URI.create(root.toString().replaceAll("/+$", ""));
        if (normalized.getScheme() == null) {
            throw new IllegalArgumentException("backup root " + root + " needs a scheme: hdfs://namenode:8020/mysos or file:///var/lib/mysos/backups");
        }
        try {
            // A private instance: Hadoop's cache would hand every caller the same one, and close it under them.
            var fs = FileSystem.newInstance(normalized, withStreamingDefaults(conf));
            // file://: the raw file system. Hadoop's LocalFileSystem keeps a CRC file beside every file (a CRC32 for every
            // 512 bytes, written and read through small buffers); every file already has its SHA-256 in the manifest.
            // Its streams' failures (a full disk) come as IOExceptions, as HDFS's do.
            return new BackupStore(normalized, fs instanceof org.apache.hadoop.fs.LocalFileSystem local
                    ? new LocalStoreFileSystem(local.getRaw()) : fs);
        } catch (IOException | RuntimeException e) {
            throw new BackupStoreException("cannot open the backup store " + normalized + ": " + e.getMessage(), e);
        }
    }

    /** HDFS client settings for streaming gigabytes, where the operator's configuration does not set them. */
    static final Map<String, String> STREAMING_DEFAULTS = Map.of(
            // A backup is written as one long stream: 1 MiB packets instead of 64 KiB ones mean a sixteenth of the
            // packets, acknowledgements and thread hand-offs between the client, its streamer and the DataNodes.
            "dfs.client-write-packet-size", String.valueOf(1 << 20));

    static Configuration withStreamingDefaults(Configuration conf) {
        var tuned = new Configuration(conf);
        STREAMING_DEFAULTS.forEach((key, value) -> {
            var sources = conf.getPropertySources(key);
            boolean setByOperator = sources != null && java.util.Arrays.stream(sources).anyMatch(source -> !source.endsWith("-default.xml"));
            if (!setByOperator) {
                tuned.set(key, value, "mysos streaming default");
            }
        });
        return tuned;
    }

    public URI root() {
        return root;
    }

    /** Where the backup {@code cluster/id} is (or would be) stored. */
    public URI location(String cluster, String id) {
        return dir(cluster, id).toUri();
    }

    /**
     * A new file of backup {@code cluster/id}: what is written is counted and hashed on the way, so
     * the manifest needs no second read. Closing it completes the file.
     */
    public HashingOutput create(String cluster, String id, String file) {
        var path = new Path(dir(cluster, id), segment(file, "file name"));
        try {
            return new HashingOutput(file, fs.create(path, false, 1 << 20));
        } catch (IOException | RuntimeException e) {
            throw new BackupStoreException("cannot create " + path + ": " + describe(e), e);
        }
    }

    /** Completes a backup: its manifest goes in last, under a temporary name first, so a reader never sees half of it. */
    public void publish(BackupManifest manifest) {
        var dir = dir(manifest.cluster(), manifest.id());
        var temporary = new Path(dir, "." + BackupManifest.FILE_NAME + ".writing");
        try {
            try (var out = fs.create(temporary, true)) {
                out.write(JSON.writeValueAsBytes(manifest));
                out.hsync();
            }
            if (!fs.rename(temporary, new Path(dir, BackupManifest.FILE_NAME))) {
                throw new IOException("rename of " + temporary + " was refused");
            }
        } catch (IOException | RuntimeException e) {
            throw new BackupStoreException("cannot write the manifest of " + dir + ": " + describe(e), e);
        }
    }

    /** The complete backups of {@code cluster}, oldest first. */
    public List<BackupManifest> list(String cluster) {
        var found = new ArrayList<BackupManifest>();
        for (var status : children(new Path(rootPath(), segment(cluster, "cluster name")))) {
            if (status.isDirectory() && !BinlogStore.DIR.equals(status.getPath().getName())) {
                read(cluster, status.getPath().getName()).ifPresent(found::add);
            }
        }
        found.sort(Comparator.comparing((BackupManifest m) -> finishedAt(m)).thenComparing(BackupManifest::id));
        return found;
    }

    /** The complete backup {@code cluster/id}, if there is one. */
    public Optional<BackupManifest> find(String cluster, String id) {
        if (!SEGMENT.matcher(cluster).matches() || !SEGMENT.matcher(id).matches()) {
            return Optional.empty();
        }
        return read(cluster, id);
    }

    /** Reads a stored file of a backup. */
    public InputStream open(BackupManifest backup, String file) {
        var path = new Path(dir(backup.cluster(), backup.id()), segment(file, "file name"));
        try {
            return fs.open(path, 1 << 20);
        } catch (IOException | RuntimeException e) {
            throw new BackupStoreException("cannot read " + path + ": " + describe(e), e);
        }
    }

    /** Deletes a backup, complete or not: its manifest first, so a half-deleted backup is incomplete, not damaged. */
    public void delete(String cluster, String id) {
        var dir = dir(cluster, id);
        try {
            fs.delete(new Path(dir, BackupManifest.FILE_NAME), false);
            fs.delete(dir, true);
            log.info("deleted backup {}", dir);
        } catch (IOException | RuntimeException e) {
            throw new BackupStoreException("cannot delete " + dir + ": " + describe(e), e);
        }
    }

    /**
     * Deletes the incomplete backups of {@code cluster} (no manifest) untouched for {@code olderThan}:
     * failed ones. A backup being written now is younger and stays.
     *
     * @return the ids deleted
     */
    public List<String> removeIncomplete(String cluster, Duration olderThan, Instant now) {
        var removed = new ArrayList<String>();
        for (var status : children(new Path(rootPath(), segment(cluster, "cluster name")))) {
            var id = status.getPath().getName();
            boolean young = status.getModificationTime() > now.minus(olderThan).toEpochMilli();
            // The archived binary logs are no backup, complete or not.
            if (status.isDirectory() && !young && !BinlogStore.DIR.equals(id) && read(cluster, id).isEmpty()) {
                delete(cluster, id);
                removed.add(id);
            }
        }
        return removed;
    }

    @Override
    public void close() {
        try {
            fs.close();
        } catch (IOException e) {
            log.warn("closing the backup store {}: {}", root, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "BackupStore(" + root + ")";
    }

    /** Validates a cluster name or backup id for use as one path segment. */
    public static String segment(String value, String what) {
        if (value == null || !SEGMENT.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' cannot name a backup directory");
        }
        return value;
    }

    private Optional<BackupManifest> read(String cluster, String id) {
        var path = new Path(dir(cluster, id), BackupManifest.FILE_NAME);
        try (var in = fs.open(path)) {
            var manifest = JSON.readValue((InputStream) in, BackupManifest.class);
            if (!cluster.equals(manifest.cluster()) || !id.equals(manifest.id())) {
                log.warn("{} describes {} and is ignored", path, manifest.fullId());
                return Optional.empty();
            }
            return Optional.of(manifest);
        } catch (java.io.FileNotFoundException e) {
            return Optional.empty();
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            log.warn("{} cannot be read ({}); the backup counts as incomplete", path, e.getOriginalMessage());
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new BackupStoreException("cannot read " + path + ": " + describe(e), e);
        }
    }

    /** RFC 3339 text does not sort as time (fractions of a second vary in length). */
    private static Instant finishedAt(BackupManifest manifest) {
        try {
            return Instant.parse(manifest.finishedAt());
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    private List<FileStatus> children(Path dir) {
        try {
            return fs.exists(dir) ? List.of(fs.listStatus(dir)) : List.of();
        } catch (IOException | RuntimeException e) {
            throw new BackupStoreException("cannot list " + dir + ": " + describe(e), e);
        }
    }

    FileSystem fs() {
        return fs;
    }

    Path clusterPath(String cluster) {
        return new Path(rootPath(), segment(cluster, "cluster name"));
    }

    private Path rootPath() {
        return new Path(root);
    }

    private Path dir(String cluster, String id) {
        return new Path(new Path(rootPath(), segment(cluster, "cluster name")), segment(id, "backup id"));
    }

    static String describe(Throwable e) {
        var message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    /** A stored file being written: counts and hashes (SHA-256) what passes. */
    public static final class HashingOutput extends FilterOutputStream {
        private final String name;
        private final MessageDigest digest;
        private long bytes;
        private String sha256;

        HashingOutput(String name, OutputStream out) {
            super(out);
            this.name = name;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM lacks SHA-256", e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            bytes += len;
        }

        /**
         * Hashes and counts bytes without writing them: the caller writes them, in the same order, to
         * {@link #unhashed()}, e.g. on another thread, so that hashing one chunk overlaps storing the one before.
         */
        void hashAhead(byte[] b, int off, int len) {
            digest.update(b, off, len);
            bytes += len;
        }

        /** Where bytes go once {@link #hashAhead} has taken them. */
        OutputStream unhashed() {
            return out;
        }

        /** After close: the manifest's entry for this file. */
        public BackupManifest.FileEntry entry() {
            if (sha256 == null) {
                sha256 = HexFormat.of().formatHex(digest.digest());
            }
            return new BackupManifest.FileEntry(name, bytes, sha256);
        }
    }
}

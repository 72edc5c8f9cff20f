package io.mysos.executor.backup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mysos.core.binlog.ArchivedEpoch;
import io.mysos.core.binlog.ArchivedSegment;
import io.mysos.core.binlog.BinlogArchive;
import io.mysos.core.binlog.EpochStart;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archived binary logs of each cluster in the backup store: {@code <root>/<cluster>/binlogs/<life>/<epoch>/}
 * (one archive per life of the name, {@link BinlogArchiveId})
 * holds {@code epoch.json} (how the epoch's archive began), its pieces ({@code 0000000001.binlog}, each with
 * its index {@code 0000000001.json}, written after the piece: a piece without an index does not exist) and
 * {@code progress.json}. Every file goes in under a temporary name and is renamed when complete.
 */
public final class BinlogStore {
    private static final Logger log = LoggerFactory.getLogger(BinlogStore.class);
    /** The directory beside a cluster's backups. */
    public static final String DIR = "binlogs";
    static final String EPOCH_FILE = "epoch.json";
    static final String PROGRESS_FILE = "progress.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module());

    private final BackupStore store;

    public BinlogStore(BackupStore store) {
        this.store = store;
    }

    public BackupStore backups() {
        return store;
    }

    /** Every epoch of {@code archive}, oldest first; pieces without their index are left out. */
    public List<ArchivedEpoch> epochs(BinlogArchiveId archive) {
        var found = new ArrayList<ArchivedEpoch>();
        for (var dir : children(root(archive))) {
            if (!dir.isDirectory()) {
                continue;
            }
            var start = readJson(new Path(dir.getPath(), EPOCH_FILE), EpochStart.class);
            if (start.isEmpty()) {
                continue;
            }
            var segments = new ArrayList<ArchivedSegment>();
            for (var file : children(dir.getPath())) {
                var name = file.getPath().getName();
                if (name.endsWith(".json") && !name.equals(EPOCH_FILE) && !name.equals(PROGRESS_FILE) && !name.startsWith(".")) {
                    readJson(file.getPath(), ArchivedSegment.class).ifPresent(segments::add);
                }
            }
            var progress = readJson(new Path(dir.getPath(), PROGRESS_FILE), ArchivedEpoch.Progress.class);
            found.add(new ArchivedEpoch(start.get(), segments, progress));
        }
        found.sort(java.util.Comparator.comparingLong(ArchivedEpoch::epoch));
        return found;
    }

    /** The pieces of one epoch numbered after {@code afterNumber}, in order: what a watcher has not seen yet. */
    public List<ArchivedSegment> segmentsAfter(BinlogArchiveId archive, long epoch, long afterNumber) {
        var found = new ArrayList<ArchivedSegment>();
        for (var file : children(epochPath(archive, epoch))) {
            var name = file.getPath().getName();
            if (name.matches("[0-9]{10}\\.json") && Long.parseLong(name.substring(0, 10)) > afterNumber) {
                readJson(file.getPath(), ArchivedSegment.class).ifPresent(found::add);
            }
        }
        found.sort(java.util.Comparator.comparingLong(ArchivedSegment::number));
        return found;
    }

    public void begin(BinlogArchiveId archive, EpochStart start) {
        writeJson(new Path(epochPath(archive, start.epoch()), EPOCH_FILE), start);
    }

    /** Stores a piece: its bytes, then its index. */
    public void put(BinlogArchiveId archive, ArchivedSegment index, byte[] bytes) {
        var dir = epochPath(archive, index.epoch());
        // Straight under its name: until its index exists the piece does not count, and a retry overwrites it.
        var data = new Path(dir, index.dataName());
        try (var out = store.fs().create(data, true)) {
            out.write(bytes);
            out.hsync();
        } catch (IOException | RuntimeException e) {
            throw new BackupStoreException("cannot write " + data + ": " + BackupStore.describe(e), e);
        }
        writeJson(new Path(dir, index.indexName()), index);
    }

    public void progress(BinlogArchiveId archive, long epoch, ArchivedEpoch.Progress progress) {
        writeJson(new Path(epochPath(archive, epoch), PROGRESS_FILE), progress);
    }

    /** A piece's bytes, checked against its index. */
    public byte[] read(BinlogArchiveId archive, ArchivedSegment index) {
        var path = new Path(epochPath(archive, index.epoch()), index.dataName());
        var digest = PhysicalBackup.sha256();
        byte[] bytes;
        try (InputStream in = new DigestInputStream(store.fs().open(path), digest)) {
            bytes = in.readAllBytes();
        } catch (org.apache.hadoop.fs.ChecksumException e) {
            throw new BackupFailedException("archived binary log " + path + " is damaged: it fails the store's own checksum", e);
        } catch (IOException | RuntimeException e) {
            throw new BackupStoreException("cannot read " + path + ": " + BackupStore.describe(e), e);
        }
        var sha = HexFormat.of().formatHex(digest.digest());
        if (bytes.length != index.bytes() || !sha.equals(index.sha256())) {
            throw new BackupFailedException("archived binary log " + path + " is damaged: it has " + bytes.length + " bytes with SHA-256 "
                    + sha + " but its index says " + index.bytes() + " bytes with SHA-256 " + index.sha256());
        }
        return bytes;
    }

    /** Deletes a piece: its index first, so a half-deleted piece is gone rather than damaged. */
    public void delete(BinlogArchiveId archive, ArchivedSegment index) {
        var dir = epochPath(archive, index.epoch());
        try {
            store.fs().delete(new Path(dir, index.indexName()), false);
            store.fs().delete(new Path(dir, index.dataName()), false);
        } catch (IOException | RuntimeException e) {
            throw new BackupStoreException("cannot delete " + new Path(dir, index.dataName()) + ": " + BackupStore.describe(e), e);
        }
    }

    public String location(BinlogArchiveId archive) {
        return root(archive).toString();
    }

    private Path root(BinlogArchiveId archive) {
        var binlogs = new Path(store.clusterPath(archive.cluster()), DIR);
        return archive.life().isEmpty() ? binlogs : new Path(binlogs, archive.life());
    }

    private Path epochPath(BinlogArchiveId archive, long epoch) {
        return new Path(root(archive), BinlogArchive.epochDir(epoch));
    }

    private List<org.apache.hadoop.fs.FileStatus> children(Path dir) {
        try {
            return List.of(store.fs().listStatus(dir));
        } catch (FileNotFoundException e) {
            return List.of();
        } catch (IOException | RuntimeException e) {
            throw new BackupStoreException("cannot list " + dir + ": " + BackupStore.describe(e), e);
        }
    }

    private <T> Optional<T> readJson(Path path, Class<T> type) {
        try (var in = store.fs().open(path)) {
            return Optional.of(JSON.readValue((InputStream) in, type));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            log.warn("{} cannot be read ({}); it is left out", path, e.getOriginalMessage());
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new BackupStoreException("cannot read " + path + ": " + BackupStore.describe(e), e);
        }
    }

    private void writeJson(Path path, Object value) {
        try {
            writeBytes(path, JSON.writeValueAsBytes(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Under a temporary name, then renamed over the final one: a reader sees all of it or the old one. */
    private void writeBytes(Path path, byte[] bytes) {
        var temporary = new Path(path.getParent(), "." + path.getName() + ".writing");
        try {
            try (var out = store.fs().create(temporary, true)) {
                out.write(bytes);
                out.hsync();
            }
            // A rename does not replace an existing file on every file system: the old one goes first, if there is one.
            if (!store.fs().rename(temporary, path) && !(store.fs().delete(path, false) && store.fs().rename(temporary, path))) {
                throw new IOException("rename of " + temporary + " was refused");
            }
        } catch (IOException | RuntimeException e) {
            throw new BackupStoreException("cannot write " + path + ": " + BackupStore.describe(e), e);
        }
    }
}

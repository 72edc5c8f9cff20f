package io.mysos.executor.backup;

import io.mysos.core.InvalidInputException;
import io.mysos.core.binlog.ArchivedEpoch;
import io.mysos.core.binlog.ArchivedSegment;
import io.mysos.core.binlog.BinlogArchive;
import io.mysos.core.binlog.BinlogEvents;
import io.mysos.core.binlog.GtidState;
import io.mysos.core.binlog.RestoreTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls a restored backup forward to a point in time ({@code restore_to}): fetches the archived binary
 * log pieces it needs and verifies them (before mysqld starts), cuts them into the transactions to replay
 * (after the backup's position, each once, up to the target), and once mysqld runs pipes them through
 * {@code mariadb-binlog} into the client, before the instance takes writes.
 */
public final class PointInTimeRestore {
    private static final Logger log = LoggerFactory.getLogger(PointInTimeRestore.class);

    private final BackupTools tools;
    private final BinlogStore store;

    public PointInTimeRestore(BackupTools tools, BinlogStore store) {
        this.tools = tools;
        this.store = store;
    }

    /** Local binary log files to replay, in order, and how far they take the backup. */
    public record Prepared(List<Path> files, GtidState reached, int transactions) {}

    /**
     * Fetches and cuts what a restore of {@code backup} to {@code target} replays, into {@code workDir}.
     *
     * @throws BackupFailedException when the archive does not reach the target, or a piece is damaged
     */
    public Prepared prepare(BackupManifest backup, RestoreTarget target, Path workDir) {
        var from = GtidState.parse(backup.position());
        var fromTime = Instant.parse(backup.finishedAt());
        var epochs = store.epochs(BinlogArchiveId.of(backup));
        var chain = BinlogArchive.chain(epochs, from, fromTime);
        try {
            target.checkWithin(backup.fullId(), from, fromTime, chain.reached());
        } catch (InvalidInputException e) {
            throw new BackupFailedException(e.getMessage() + chain.gap().map(g -> " (" + g + ")").orElse("")
                    + "; the instance was not started");
        }
        var groups = new LinkedHashMap<String, List<ArchivedSegment>>();
        for (var segment : BinlogArchive.segmentsFor(epochs, from, fromTime, target)) {
            groups.computeIfAbsent(BinlogArchive.epochDir(segment.epoch()) + "-" + segment.file(), k -> new ArrayList<>()).add(segment);
        }
        try {
            Files.createDirectories(workDir);
            var archived = new ArrayList<BinlogArchive.ArchivedFile>();
            var locals = new LinkedHashMap<BinlogArchive.ArchivedFile, Path>();
            for (var group : groups.entrySet()) {
                var local = workDir.resolve(group.getKey() + ".archived");
                var file = fetch(BinlogArchiveId.of(backup), group.getValue(), local);
                archived.add(file);
                locals.put(file, local);
            }
            var starts = epochs.stream().map(ArchivedEpoch::start).toList();
            var replay = BinlogArchive.replay(starts, archived, from, target);
            var files = new ArrayList<Path>();
            for (var chosen : replay.chosen().entrySet()) {
                var out = workDir.resolve(String.format("%04d-replay.binlog", files.size() + 1));
                cut(locals.get(chosen.getKey()), chosen.getValue(), out);
                files.add(out);
            }
            log.info("restore of {} to {}: {} transactions from {} archived files reach {}", backup.fullId(), target, replay.count(),
                    groups.size(), replay.reached());
            return new Prepared(files, replay.reached(), replay.count());
        } catch (IOException e) {
            throw new BackupFailedException("cannot prepare the binary logs to replay in " + workDir + ": " + e.getMessage(), e);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new BackupFailedException("the archived binary logs of " + backup.cluster() + " cannot be replayed: " + e.getMessage(), e);
        }
    }

    /** Pipes the prepared files through mariadb-binlog into the running server of {@code source} (binary logging on: the GTIDs stay). */
    public void apply(BackupSource source, Prepared prepared) {
        if (prepared.files().isEmpty()) {
            return;
        }
        var binlog = tools.binlog().orElseThrow(() -> new BackupFailedException("mariadb-binlog is not installed: "
                + "install the mariadb-client package to restore to a point in time"));
        var client = tools.client().orElseThrow(() -> new BackupFailedException("the mariadb client is not installed"));
        Path options = null;
        try {
            options = source.writeClientOptions("replay-client.cnf");
            var command = new ArrayList<>(List.of(binlog.toString(), "--no-defaults"));
            prepared.files().forEach(f -> command.add(f.toString()));
            try (var decode = ToolRun.start(command, source.sandbox());
                 var load = ToolRun.start(List.of(client.toString(), "--defaults-file=" + options, "--binary-mode"), source.sandbox())) {
                decode.process().getOutputStream().close();
                try (var sql = decode.process().getInputStream(); var in = load.process().getOutputStream()) {
                    sql.transferTo(in);
                }
                decode.awaitSuccess();
                load.process().getInputStream().transferTo(OutputStream.nullOutputStream());
                load.awaitSuccess();
            }
            log.info("{}: replayed {} archived transactions up to {}", source.taskId(), prepared.transactions(), prepared.reached());
        } catch (IOException e) {
            throw new BackupFailedException("replaying the archived binary logs into " + source.taskId() + " failed: " + e.getMessage(), e);
        } finally {
            if (options != null) {
                try {
                    Files.deleteIfExists(options);
                } catch (IOException e) {
                    log.warn("could not delete {}: {}", options, e.getMessage());
                }
            }
        }
    }

    /** Writes the pieces of one archived file where they were in it, and reads its transactions. */
    private BinlogArchive.ArchivedFile fetch(BinlogArchiveId archive, List<ArchivedSegment> pieces, Path local) throws IOException {
        try (var channel = FileChannel.open(local, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            for (var piece : pieces) {
                var bytes = ByteBuffer.wrap(store.read(archive, piece));
                while (bytes.hasRemaining()) {
                    channel.write(bytes, piece.start() + bytes.position());
                }
            }
            var content = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            long header = BinlogEvents.headerEnd(content);
            // Pieces the backup already holds were not fetched: each run of adjacent pieces is read on its own.
            var transactions = new ArrayList<BinlogEvents.Transaction>();
            ArchivedSegment runStart = null;
            long runEnd = -1;
            for (var piece : pieces.stream().filter(p -> !p.header()).toList()) {
                if (runStart != null && piece.start() != runEnd) {
                    transactions.addAll(BinlogEvents.transactions(content, 0, Math.max(runStart.start(), header), runEnd));
                    runStart = null;
                }
                runStart = runStart == null ? piece : runStart;
                runEnd = piece.end();
            }
            if (runStart != null) {
                transactions.addAll(BinlogEvents.transactions(content, 0, Math.max(runStart.start(), header), runEnd));
            }
            var first = pieces.get(0);
            return new BinlogArchive.ArchivedFile(first.epoch(), first.file(), transactions);
        }
    }

    /** A binary log of the file's header and the chosen transactions, nothing else. */
    private static void cut(Path local, List<BinlogEvents.Transaction> chosen, Path out) throws IOException {
        try (var in = FileChannel.open(local, StandardOpenOption.READ);
             var to = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            var content = in.map(FileChannel.MapMode.READ_ONLY, 0, in.size());
            long header = BinlogEvents.headerEnd(content);
            copy(in, 0, header, to);
            for (var transaction : chosen) {
                copy(in, transaction.start(), transaction.end(), to);
            }
        }
    }

    private static void copy(FileChannel in, long from, long end, FileChannel to) throws IOException {
        long at = from;
        while (at < end) {
            at += in.transferTo(at, end - at, to);
        }
    }
}

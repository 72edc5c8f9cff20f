package io.mysos.executor.backup;

import io.mysos.core.binlog.ArchivedEpoch;
import io.mysos.core.binlog.ArchivedSegment;
import io.mysos.core.binlog.BinlogArchive;
import io.mysos.core.binlog.BinlogEvents;
import io.mysos.core.binlog.EpochStart;
import io.mysos.core.binlog.Gtid;
import io.mysos.core.binlog.GtidState;
import io.mysos.executor.mysql.BinlogStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a master's binary log into the backup store as it grows: every {@code interval} it asks the
 * server where its log ends and stores the bytes written since the last piece, whole events only, as the
 * next piece of its epoch ({@link BinlogStore}). A new master continues after what earlier epochs archived
 * (from its own log, which holds the same transactions under the same GTIDs), so a failover leaves no gap;
 * what overlaps is replayed once. It stops once its server turned read-only (fenced: a newer epoch
 * began elsewhere), after storing what was committed before. Everything runs on its own thread; a store
 * that fails is retried on the next tick, and the master's writes never wait for it.
 */
public final class BinlogArchiver implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BinlogArchiver.class);
    public static final Duration INTERVAL = Duration.ofSeconds(1);
    /** A piece holds at most this much (more when one event is bigger). */
    static final int MAX_PIECE = 16 << 20;
    /** How often (in ticks) pieces no kept backup needs are deleted. */
    static final int PRUNE_EVERY = 60;

    private final BinlogArchiveId archive;
    private final long epoch;
    private final String task;
    private final BinlogStore store;
    private final Supplier<BinlogStatus> status;
    /** The master's gtid_binlog_pos before it took writes in this epoch, if known. */
    private final Optional<String> continuesAfter;
    private final ScheduledExecutorService thread;

    // Only touched on the archiver's thread.
    private boolean begun;
    private String file;
    private long offset;
    private long nextNumber = 1;
    private long ticks;
    private long failures;
    private long intervalMillis;
    private volatile boolean stopped;
    private volatile GtidState archived = GtidState.EMPTY;
    /** Told when archiving begins to fail (the reason) and when it works again (empty). */
    private Consumer<Optional<String>> health = failing -> { };

    private BinlogArchiver(BinlogArchiveId archive, long epoch, String task, BinlogStore store, Supplier<BinlogStatus> status,
            Optional<String> continuesAfter) {
        this.archive = archive;
        this.epoch = epoch;
        this.task = task;
        this.store = store;
        this.status = status;
        this.continuesAfter = continuesAfter;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            var t = new Thread(runnable, "mysos-binlog-archiver-" + task);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts archiving the log of {@code task}, master of {@code epoch}, every {@code interval}.
     *
     * @param continuesAfter its gtid_binlog_pos before it took writes in this epoch (empty: read it now)
     */
    public static BinlogArchiver start(BinlogArchiveId archive, long epoch, String task, BinlogStore store, Supplier<BinlogStatus> status,
            Optional<String> continuesAfter, Duration interval) {
        return start(archive, epoch, task, store, status, continuesAfter, interval, failing -> { });
    }

    /** Like {@link #start(BinlogArchiveId, long, String, BinlogStore, Supplier, Optional, Duration)}, telling {@code health} when it begins to fail and when it works again. */
    public static BinlogArchiver start(BinlogArchiveId archive, long epoch, String task, BinlogStore store, Supplier<BinlogStatus> status,
            Optional<String> continuesAfter, Duration interval, Consumer<Optional<String>> health) {
        var archiver = new BinlogArchiver(archive, epoch, task, store, status, continuesAfter);
        archiver.intervalMillis = interval.toMillis();
        archiver.health = health;
        // At a fixed rate: a slow round (a busy store) is followed by the next at once, not a whole interval later.
        archiver.thread.scheduleAtFixedRate(archiver::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return archiver;
    }

    public long epoch() {
        return epoch;
    }

    /** Whether it stopped for good (its server was fenced, or it was closed). */
    public boolean stopped() {
        return stopped;
    }

    /** How far the archive of this epoch goes. */
    public GtidState archived() {
        return archived;
    }

    /** Stops; what was committed but not yet stored is stored by the next master (it holds the same transactions). */
    @Override
    public void close() {
        stopped = true;
        thread.shutdownNow();
        closeStatus();
    }

    private void closeStatus() {
        if (status instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.debug("{}: closing its status reader: {}", task, e.getMessage());
            }
        }
    }

    private void tell(Optional<String> failing) {
        try {
            health.accept(failing);
        } catch (RuntimeException e) {
            log.warn("{}: could not report the archive's health: {}", task, e.getMessage());
        }
    }

    /** One round: begins if needed, then stores what the log gained; a failure is retried next time. */
    void tick() {
        if (stopped) {
            return;
        }
        try {
            var checked = Instant.now();
            var now = status.get();
            if (!begun) {
                begin(now);
                begun = true;
            }
            archiveUpTo(now, checked);
            if (now.readOnly()) {
                log.info("{}: the server is read-only (fenced); the binary log archive of epoch {} stops at {}", task, epoch, archived);
                stopped = true;
                thread.shutdown();
                closeStatus();
                return;
            }
            if (++ticks % PRUNE_EVERY == 0) {
                prune();
            }
            if (failures > 0) {
                log.info("{}: archiving the binary log of epoch {} works again after {} failed rounds; archived up to {}", task, epoch,
                        failures, archived);
                tell(Optional.empty());
            }
            failures = 0;
        } catch (RuntimeException e) {
            // Once said is enough: a dead mysqld or a store outage fails every second until it ends.
            if (failures++ == 0) {
                log.warn("{}: archiving the binary log of epoch {} failed (retried every {} ms): {}", task, epoch, intervalMillis,
                        e.getMessage());
                tell(Optional.of(e.getMessage() == null ? e.toString() : e.getMessage()));
            } else {
                log.debug("{}: archiving the binary log of epoch {} failed again: {}", task, epoch, e.getMessage());
            }
        }
    }

    /** Where this epoch's archive goes on: after its last piece, or (new) after what earlier epochs hold. */
    private void begin(BinlogStatus now) {
        var epochs = store.epochs(archive);
        var own = epochs.stream().filter(e -> e.epoch() == epoch).findFirst();
        if (own.isPresent() && !own.get().segments().isEmpty()) {
            var last = own.get().segments().get(own.get().segments().size() - 1);
            // The same master going on (its executor restarted) has that file, at least that long, and that history.
            boolean mine = now.files().stream().anyMatch(f -> f.name().equals(last.file()) && f.size() >= last.end())
                    && GtidState.parse(now.gtidBinlogPos()).covers(last.last());
            if (!mine) {
                throw new IllegalStateException(store.location(archive) + "/" + BinlogArchive.epochDir(epoch)
                        + " holds another server's log; not archiving over it");
            }
            file = last.file();
            offset = last.end();
            nextNumber = last.number() + 1;
            archived = own.get().segments().stream().map(ArchivedSegment::last).reduce(GtidState.EMPTY, GtidState::union);
            log.info("{}: continues the binary log archive of epoch {} at {}:{}", task, epoch, file, offset);
            return;
        }
        var ownState = GtidState.parse(continuesAfter.orElse(now.gtidBinlogPos()));
        if (own.isEmpty()) {
            store.begin(archive, new EpochStart(epoch, task, Instant.now().toString(), ownState.toString()));
        }
        var earlier = epochs.stream().filter(e -> e.epoch() < epoch).toList();
        var after = BinlogArchive.resumeAfter(earlier, ownState);
        locateStart(now, after);
        if (offset > 0) {
            storeHeader(now.directory().resolve(file));
        }
        log.info("{}: archives its binary log for epoch {} from {}:{} (after {})", task, epoch, file, offset,
                after.isEmpty() ? "nothing" : after);
    }

    /** The first transaction of the own log that {@code after} lacks; the log's end when there is none. */
    private void locateStart(BinlogStatus now, GtidState after) {
        var files = now.files();
        if (after.isEmpty() || files.isEmpty()) {
            file = files.isEmpty() ? now.file() : files.get(0).name();
            offset = 0;
            return;
        }
        file = now.file();
        offset = now.position();
        for (int i = files.size() - 1; i >= 0; i--) {
            var name = files.get(i).name();
            long size = name.equals(now.file()) ? now.position() : files.get(i).size();
            var bytes = ByteBuffer.wrap(read(now.directory().resolve(name), 0, size));
            var transactions = BinlogEvents.transactions(bytes, 0, BinlogEvents.headerEnd(bytes), size);
            var firstNew = transactions.stream().filter(t -> !after.includes(t.gtid())).findFirst();
            if (firstNew.isPresent()) {
                file = name;
                offset = firstNew.get().start();
            }
            if (transactions.stream().anyMatch(t -> after.includes(t.gtid()))) {
                return;
            }
        }
    }

    private void archiveUpTo(BinlogStatus now, Instant checked) {
        var files = now.files();
        int from = 0;
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).name().equals(file)) {
                from = i;
            }
        }
        boolean stored = false;
        for (int i = from; i < files.size(); i++) {
            var name = files.get(i).name();
            long end = name.equals(now.file()) ? now.position() : files.get(i).size();
            if (!name.equals(file)) {
                file = name;
                offset = 0;
            }
            var path = now.directory().resolve(name);
            while (offset < end) {
                boolean last = name.equals(now.file());
                storePiece(path, end, last ? checked : null);
                stored = true;
            }
        }
        if (!stored) {
            store.progress(archive, epoch, new ArchivedEpoch.Progress(file, offset, checked.toString()));
        }
    }

    /** Stores the next piece of {@code path} from {@code offset}, whole events up to {@code end} (at most {@link #MAX_PIECE}). */
    private void storePiece(Path path, long end, Instant checked) {
        long to = Math.min(end, offset + MAX_PIECE);
        var bytes = read(path, offset, to);
        var buffer = ByteBuffer.wrap(bytes);
        long firstEvent = offset == 0 ? BinlogEvents.MAGIC.length : offset;
        long whole = to == end ? to : BinlogEvents.wholeEventsEnd(buffer, offset, firstEvent, to);
        if (whole == offset) {
            bytes = read(path, offset, end);
            buffer = ByteBuffer.wrap(bytes);
            whole = BinlogEvents.wholeEventsEnd(buffer, offset, firstEvent, end);
        }
        if (whole < offset + bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, (int) (whole - offset));
            buffer = ByteBuffer.wrap(bytes);
        }
        var transactions = BinlogEvents.transactions(buffer, offset, firstEvent, whole);
        var first = new TreeMap<Long, Gtid>();
        var lastState = GtidState.EMPTY;
        for (var t : transactions) {
            first.putIfAbsent(t.gtid().domain(), t.gtid());
            lastState = lastState.with(t.gtid());
        }
        var firstTime = transactions.isEmpty() ? "" : transactions.get(0).time().toString();
        var lastTime = transactions.isEmpty() ? "" : transactions.get(transactions.size() - 1).time().toString();
        var covered = whole == end && checked != null ? checked.toString() : lastTime;
        var index = new ArchivedSegment(epoch, nextNumber, task, path.getFileName().toString(), offset, whole, false,
                GtidState.of(first.values().toArray(Gtid[]::new)).toString(), lastState.toString(), firstTime, lastTime, covered,
                bytes.length, sha256(bytes));
        store.put(archive, index, bytes);
        nextNumber++;
        offset = whole;
        archived = archived.union(lastState);
    }

    /** Archiving begins in the middle of a file: its header goes first, so the pieces after it can be read. */
    private void storeHeader(Path path) {
        var head = read(path, 0, Math.min(offset, 64 * 1024));
        long end = BinlogEvents.headerEnd(ByteBuffer.wrap(head));
        var bytes = java.util.Arrays.copyOf(head, (int) end);
        store.put(archive, new ArchivedSegment(epoch, nextNumber, task, path.getFileName().toString(), 0, end, true, "", "", "", "",
                "", bytes.length, sha256(bytes)), bytes);
        nextNumber++;
    }

    /** Deletes the pieces no kept backup needs (the oldest complete backup in the store holds them). */
    void prune() {
        // Only this life's backups: an older life's hold another history (and keep its own archive).
        var backups = store.backups().list(archive.cluster()).stream().filter(b -> b.life().equals(archive.life())).toList();
        var oldest = backups.stream().findFirst().map(b -> GtidState.parse(b.position()));
        var epochs = store.epochs(archive);
        var doomed = BinlogArchive.deletable(epochs, oldest);
        for (var segment : doomed) {
            store.delete(archive, segment);
        }
        if (!doomed.isEmpty()) {
            log.info("{}: deleted {} archived binary log pieces that backup {} holds", task, doomed.size(), backups.get(0).fullId());
        }
    }

    private static byte[] read(Path path, long from, long to) {
        try (var channel = FileChannel.open(path, StandardOpenOption.READ)) {
            var buffer = ByteBuffer.allocate(Math.toIntExact(to - from));
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, from + buffer.position()) < 0) {
                    throw new IOException("it ends at " + (from + buffer.position()) + ", before " + to);
                }
            }
            return buffer.array();
        } catch (IOException e) {
            throw new BackupStoreException("cannot read the binary log " + path + ": " + e.getMessage(), e);
        }
    }

    static String sha256(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(PhysicalBackup.sha256().digest(bytes));
    }

    /** For tests: one round now, on the caller's thread (the archiver must have been created stopped). */
    static BinlogArchiver manual(BinlogArchiveId archive, long epoch, String task, BinlogStore store, Supplier<BinlogStatus> status,
            Optional<String> continuesAfter) {
        return new BinlogArchiver(archive, epoch, task, store, status, continuesAfter);
    }

    @Override
    public String toString() {
        return "BinlogArchiver(" + archive + ", epoch " + epoch + ", " + task + ")";
    }
}

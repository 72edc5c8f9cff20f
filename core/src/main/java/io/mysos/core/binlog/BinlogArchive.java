package io.mysos.core.binlog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The decisions about a cluster's archived binary logs ({@code <root>/<cluster>/binlogs/<epoch>/}): which
 * pieces continue a backup without a gap, epoch by epoch, up to which point (the latest recoverable one),
 * which pieces a restore needs, which transactions it replays, and which pieces no kept backup needs.
 *
 * <p>Epochs follow each other: epoch {@code e+1}'s master began with everything up to its
 * {@link EpochStart#continues()}; what epoch {@code e} archived beyond that never reached it and is not
 * part of the history. Within an epoch pieces follow each other byte by byte; a transaction that an
 * earlier epoch (or the backup) already holds is skipped, so overlapping archives replay once.
 */
public final class BinlogArchive {
    private BinlogArchive() {}

    /** The point a backup can be rolled forward to: everything up to {@code position}, committed before {@code time}. */
    public record Recoverable(GtidState position, Instant time) {}

    /** The pieces that continue a backup without a gap, in order, and how far they reach. {@code gap} says where they stop short. */
    public record Chain(List<ArchivedSegment> segments, Recoverable reached, Optional<String> gap) {}

    /** One archived file of one epoch, as a restore read it: its transactions in order. */
    public record ArchivedFile(long epoch, String file, List<BinlogEvents.Transaction> transactions) {}

    /** What a restore replays: the transactions chosen from each archived file, and how far they reach. */
    public record Replay(Map<ArchivedFile, List<BinlogEvents.Transaction>> chosen, GtidState reached) {
        public int count() {
            return chosen.values().stream().mapToInt(List::size).sum();
        }
    }

    /** Epoch directories sort by name: ten digits. */
    public static String epochDir(long epoch) {
        return String.format("%010d", epoch);
    }

    static String segmentBase(long number) {
        return String.format("%010d", number);
    }

    /**
     * Walks the archive on from a backup that holds everything up to {@code from} and finished at {@code fromTime}.
     * A piece whose first transaction leaves a hole after what is reached ends the walk: nothing after a gap replays.
     */
    public static Chain chain(List<ArchivedEpoch> epochs, GtidState from, Instant fromTime) {
        var sorted = epochs.stream().sorted(Comparator.comparingLong(ArchivedEpoch::epoch)).toList();
        var needed = new ArrayList<ArchivedSegment>();
        var reached = from;
        var time = fromTime;
        for (int i = 0; i < sorted.size(); i++) {
            var epoch = sorted.get(i);
            boolean lastEpoch = i == sorted.size() - 1;
            var cut = lastEpoch ? Optional.<GtidState>empty() : Optional.of(sorted.get(i + 1).start().continues());
            for (var segment : epoch.segments()) {
                if (segment.header()) {
                    continue;
                }
                if (!segment.hasTransactions()) {
                    if (lastEpoch) {
                        time = later(time, epoch.coveredUntil(segment));
                    }
                    continue;
                }
                var last = cut.map(c -> cappedAt(segment.last(), c)).orElse(segment.last());
                if (reached.covers(last)) {
                    continue;
                }
                for (var domain : domainsOf(segment.first())) {
                    if (!reached.reachesOnTo(domain)) {
                        return new Chain(needed, new Recoverable(reached, time), Optional.of("epoch " + epoch.epoch() + " piece "
                                + segment.number() + " (" + segment.file() + " from " + segment.start() + ") begins at " + domain
                                + " but the archive before it reaches only " + reached));
                    }
                }
                needed.add(segment);
                reached = reached.union(last);
                time = later(time, epoch.coveredUntil(segment));
            }
        }
        return new Chain(needed, new Recoverable(reached, time), Optional.empty());
    }

    /**
     * The pieces a restore to {@code target} needs, epoch by epoch: those of the chain up to the first that
     * goes past the target, and the header of every archived file they come from.
     */
    public static List<ArchivedSegment> segmentsFor(List<ArchivedEpoch> epochs, GtidState from, Instant fromTime, RestoreTarget target) {
        var chain = chain(epochs, from, fromTime);
        var chosen = new ArrayList<ArchivedSegment>();
        for (var segment : chain.segments()) {
            chosen.add(segment);
            if (pastTarget(segment, target)) {
                break;
            }
        }
        var withHeaders = new ArrayList<ArchivedSegment>();
        for (var segment : chosen) {
            boolean fileSeen = withHeaders.stream().anyMatch(s -> s.epoch() == segment.epoch() && s.file().equals(segment.file()));
            if (!fileSeen && segment.start() > 0) {
                epochs.stream().filter(e -> e.epoch() == segment.epoch()).flatMap(e -> e.segments().stream())
                        .filter(s -> s.file().equals(segment.file()) && s.start() == 0).findFirst().ifPresent(withHeaders::add);
            }
            withHeaders.add(segment);
        }
        return withHeaders;
    }

    /**
     * The transactions a restore replays, in order: each after the backup's {@code from} and after every one
     * chosen before it (so an overlap replays once), within its epoch's history (up to where the next
     * epoch began), and admitted by the target; the first transaction the target does not admit ends it.
     *
     * @throws IllegalStateException when the files leave a hole in the history
     */
    public static Replay replay(List<EpochStart> starts, List<ArchivedFile> files, GtidState from, RestoreTarget target) {
        var cuts = new java.util.HashMap<Long, GtidState>();
        var sortedStarts = starts.stream().sorted(Comparator.comparingLong(EpochStart::epoch)).toList();
        for (int i = 0; i + 1 < sortedStarts.size(); i++) {
            cuts.put(sortedStarts.get(i).epoch(), sortedStarts.get(i + 1).continues());
        }
        var chosen = new LinkedHashMap<ArchivedFile, List<BinlogEvents.Transaction>>();
        var applied = from;
        outer:
        for (var file : files) {
            var cut = Optional.ofNullable(cuts.get(file.epoch()));
            var taken = new ArrayList<BinlogEvents.Transaction>();
            for (var transaction : file.transactions()) {
                var gtid = transaction.gtid();
                if (applied.includes(gtid) || cut.map(c -> !c.includes(gtid)).orElse(false)) {
                    continue;
                }
                if (!target.admits(gtid, transaction.time())) {
                    if (!taken.isEmpty()) {
                        chosen.put(file, List.copyOf(taken));
                    }
                    break outer;
                }
                if (!applied.reachesOnTo(gtid)) {
                    throw new IllegalStateException("the archive has a hole before " + gtid + " (epoch " + file.epoch() + ", "
                            + file.file() + " at " + transaction.start() + "): it reaches only " + applied);
                }
                taken.add(transaction);
                applied = applied.with(gtid);
            }
            if (!taken.isEmpty()) {
                chosen.put(file, List.copyOf(taken));
            }
        }
        return new Replay(chosen, applied);
    }

    /**
     * The pieces no kept backup needs: whole archived files (a piece alone could not be read without its
     * file's header) whose every transaction the oldest kept backup ({@code oldestKept}) already holds. Never
     * the file the last epoch's master is writing. Nothing while no backup is kept.
     */
    public static List<ArchivedSegment> deletable(List<ArchivedEpoch> epochs, Optional<GtidState> oldestKept) {
        if (oldestKept.isEmpty() || epochs.isEmpty()) {
            return List.of();
        }
        var sorted = epochs.stream().sorted(Comparator.comparingLong(ArchivedEpoch::epoch)).toList();
        var lastEpoch = sorted.get(sorted.size() - 1);
        var writing = lastEpoch.segments().isEmpty() ? "" : lastEpoch.segments().get(lastEpoch.segments().size() - 1).file();
        var found = new ArrayList<ArchivedSegment>();
        for (var epoch : sorted) {
            var files = new LinkedHashMap<String, List<ArchivedSegment>>();
            for (var segment : epoch.segments()) {
                files.computeIfAbsent(segment.file(), f -> new ArrayList<>()).add(segment);
            }
            for (var file : files.entrySet()) {
                if (epoch == lastEpoch && file.getKey().equals(writing)) {
                    continue;
                }
                boolean held = file.getValue().stream().allMatch(s -> !s.hasTransactions() || oldestKept.get().covers(s.last()));
                if (held) {
                    found.addAll(file.getValue());
                }
            }
        }
        return found;
    }

    /**
     * Where an epoch's new master begins archiving its own log: after the last transaction earlier epochs
     * archived, as far as its own history goes ({@code own}, its {@code gtid_binlog_pos}); from its log's
     * beginning when nothing was archived before.
     */
    public static GtidState resumeAfter(List<ArchivedEpoch> earlier, GtidState own) {
        var archived = GtidState.EMPTY;
        for (var epoch : earlier) {
            for (var segment : epoch.segments()) {
                archived = archived.union(segment.last());
            }
        }
        return cappedAt(archived, own);
    }

    private static boolean pastTarget(ArchivedSegment segment, RestoreTarget target) {
        if (target instanceof RestoreTarget.AtTime at) {
            return segment.lastEventTime().map(t -> !t.isBefore(at.stopSecond())).orElse(false);
        }
        return !((RestoreTarget.AtPosition) target).position().covers(segment.last());
    }

    /** Each domain of {@code state} no further than {@code cut} has it; domains {@code cut} lacks are dropped. */
    static GtidState cappedAt(GtidState state, GtidState cut) {
        var capped = GtidState.EMPTY;
        for (var gtid : domainsOf(state)) {
            var limit = cut.domain(gtid.domain());
            if (limit.isPresent()) {
                capped = capped.with(Long.compareUnsigned(gtid.seq(), limit.get().seq()) <= 0 ? gtid : limit.get());
            }
        }
        return capped;
    }

    private static List<Gtid> domainsOf(GtidState state) {
        return state.gtids();
    }

    private static Instant later(Instant a, Optional<Instant> b) {
        return b.filter(t -> t.isAfter(a)).orElse(a);
    }
}

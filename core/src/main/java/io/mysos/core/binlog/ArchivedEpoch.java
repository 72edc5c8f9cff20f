package io.mysos.core.binlog;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the store holds of one epoch's archive: how it began, its pieces (in order), and its latest
 * {@link Progress} (written while its master writes nothing new).
 */
public record ArchivedEpoch(EpochStart start, List<ArchivedSegment> segments, Optional<Progress> progress) {
    /**
     * {@code progress.json}: the archiver found the master's log at {@code file}:{@code end} at {@code checkedAt}
     * (RFC 3339) with every byte before it archived, so nothing committed before then is missing.
     */
    public record Progress(String file, long end, String checkedAt) {
        public Instant checked() {
            return Instant.parse(checkedAt);
        }
    }

    public ArchivedEpoch {
        segments = segments.stream().sorted(Comparator.comparingLong(ArchivedSegment::number)).toList();
        progress = progress == null ? Optional.empty() : progress;
    }

    public long epoch() {
        return start.epoch();
    }

    /** Until when this epoch's pieces (and progress) cover what its master committed. */
    Optional<Instant> coveredUntil(ArchivedSegment lastUsed) {
        var covered = lastUsed.covered();
        var last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        if (last != null && last.number() == lastUsed.number() && progress.isPresent()
                && progress.get().file().equals(last.file()) && progress.get().end() == last.end()) {
            var checked = progress.get().checked();
            return Optional.of(covered.filter(c -> c.isAfter(checked)).orElse(checked));
        }
        return covered;
    }
}

package io.mysos.core.binlog;

import java.time.Instant;
import java.util.Optional;

/**
 * The index of one archived piece of a master's binary log: bytes {@code start..end} of its file
 * {@code file}, archived in {@code epoch} as segment {@code number} (numbers grow within an epoch). A
 * piece holds whole events; {@code header} marks a piece that is only the file's header (magic bytes and
 * format description event), stored when archiving began in the middle of a file. {@code firstGtids}
 * and {@code lastGtids}: the first and last transaction of each domain that begins in the piece (empty
 * when none does); {@code firstTime}/{@code lastTime}: their binary log times; {@code coveredUntil}:
 * everything the master committed before this time is archived once this piece is (times RFC 3339).
 */
public record ArchivedSegment(long epoch, long number, String task, String file, long start, long end, boolean header,
                              String firstGtids, String lastGtids, String firstTime, String lastTime, String coveredUntil,
                              long bytes, String sha256) {
    public ArchivedSegment {
        firstGtids = firstGtids == null ? "" : firstGtids;
        lastGtids = lastGtids == null ? "" : lastGtids;
        firstTime = firstTime == null ? "" : firstTime;
        lastTime = lastTime == null ? "" : lastTime;
        coveredUntil = coveredUntil == null ? "" : coveredUntil;
    }

    public GtidState first() {
        return GtidState.parse(firstGtids);
    }

    public GtidState last() {
        return GtidState.parse(lastGtids);
    }

    public boolean hasTransactions() {
        return !lastGtids.isBlank();
    }

    public Optional<Instant> covered() {
        return coveredUntil.isBlank() ? Optional.empty() : Optional.of(Instant.parse(coveredUntil));
    }

    public Optional<Instant> lastEventTime() {
        return lastTime.isBlank() ? Optional.empty() : Optional.of(Instant.parse(lastTime));
    }

    /** The name of the piece's bytes in its epoch's directory ({@code 0000000007.binlog}); its index is {@link #indexName}. */
    public String dataName() {
        return BinlogArchive.segmentBase(number) + ".binlog";
    }

    public String indexName() {
        return BinlogArchive.segmentBase(number) + ".json";
    }
}

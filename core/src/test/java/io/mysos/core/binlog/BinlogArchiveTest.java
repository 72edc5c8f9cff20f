package io.mysos.core.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BinlogArchiveTest {
    static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");

    /** A piece of epoch {@code epoch} holding transactions {@code firstSeq..lastSeq} of domain 0, one a second from T0 + firstSeq. */
    static ArchivedSegment piece(long epoch, long number, String file, long start, long end, long server, long firstSeq, long lastSeq) {
        return new ArchivedSegment(epoch, number, "mysos-orders-" + server, file, start, end, false,
                "0-" + server + "-" + firstSeq, "0-" + server + "-" + lastSeq, T0.plusSeconds(firstSeq).toString(),
                T0.plusSeconds(lastSeq).toString(), T0.plusSeconds(lastSeq).plusMillis(500).toString(), end - start, "sha");
    }

    static ArchivedEpoch epoch(long epoch, String continuesAfter, ArchivedSegment... pieces) {
        return new ArchivedEpoch(new EpochStart(epoch, "t", T0.toString(), continuesAfter), List.of(pieces), Optional.empty());
    }

    static List<Long> seqs(BinlogArchive.Chain chain) {
        var out = new ArrayList<Long>();
        chain.segments().forEach(s -> out.add(s.number()));
        return out;
    }

    @Test
    void aBackupRollsForwardToTheLastArchivedPiece() {
        var archive = List.of(epoch(0, "", piece(0, 1, "mysql-bin.000001", 0, 1000, 1, 1, 10),
                piece(0, 2, "mysql-bin.000001", 1000, 2000, 1, 11, 20), piece(0, 3, "mysql-bin.000001", 2000, 3000, 1, 21, 30)));
        var chain = BinlogArchive.chain(archive, GtidState.parse("0-1-15"), T0.plusSeconds(15));
        assertEquals(List.of(2L, 3L), seqs(chain), "piece 1 is all in the backup");
        assertEquals(GtidState.parse("0-1-30"), chain.reached().position());
        assertEquals(T0.plusSeconds(30).plusMillis(500), chain.reached().time());
        assertTrue(chain.gap().isEmpty());
    }

    @Test
    void aGapEndsTheRecoverableHistory() {
        var archive = List.of(epoch(0, "", piece(0, 1, "f.1", 0, 1000, 1, 1, 10), piece(0, 3, "f.1", 2000, 3000, 1, 21, 30)));
        var chain = BinlogArchive.chain(archive, GtidState.parse("0-1-5"), T0);
        assertEquals(GtidState.parse("0-1-10"), chain.reached().position());
        assertTrue(chain.gap().orElseThrow().contains("0-1-21"));
    }

    @Test
    void aFailoverContinuesWithTheNewMastersLogWithoutDuplicates() {
        // Epoch 1's master had everything up to 25 when it began, and archived its own log from 18 on (an overlap).
        var archive = List.of(
                epoch(0, "", piece(0, 1, "mysql-bin.000001", 0, 1000, 1, 1, 20)),
                epoch(1, "0-1-25", piece(1, 1, "mysql-bin.000002", 500, 900, 2, 18, 26), piece(1, 2, "mysql-bin.000002", 900, 1200, 2, 27, 40)));
        var chain = BinlogArchive.chain(archive, GtidState.parse("0-1-10"), T0);
        assertEquals(GtidState.parse("0-2-40"), chain.reached().position());
        assertEquals(2, chain.segments().stream().filter(s -> s.epoch() == 1).count());
    }

    @Test
    void whatTheOldMasterArchivedBeyondTheNewMastersHistoryIsNotPartOfIt() {
        // The old master archived up to 30 but the new one only ever got 25: 26..30 were lost in the failover,
        // and the new master wrote its own 26.. .
        var archive = List.of(
                epoch(0, "", piece(0, 1, "a.1", 0, 1000, 1, 1, 30)),
                epoch(1, "0-2-25", piece(1, 1, "b.1", 0, 800, 2, 26, 40)));
        var chain = BinlogArchive.chain(archive, GtidState.parse("0-1-1"), T0);
        assertEquals(GtidState.parse("0-2-40"), chain.reached().position());
        var starts = List.of(archive.get(0).start(), archive.get(1).start());
        var oldFile = new BinlogArchive.ArchivedFile(0, "a.1", transactions(1, 1, 30));
        var newFile = new BinlogArchive.ArchivedFile(1, "b.1", transactions(2, 26, 40));
        var replay = BinlogArchive.replay(starts, List.of(oldFile, newFile), GtidState.parse("0-1-1"),
                new RestoreTarget.AtPosition(GtidState.parse("0-2-40")));
        assertEquals(24, replay.chosen().get(oldFile).size(), "2..25 of the old master");
        assertEquals(15, replay.chosen().get(newFile).size(), "26..40 of the new one");
        assertEquals(new Gtid(0, 2, 26), replay.chosen().get(newFile).get(0).gtid());
    }

    static List<BinlogEvents.Transaction> transactions(long server, long first, long last) {
        var out = new ArrayList<BinlogEvents.Transaction>();
        for (long seq = first; seq <= last; seq++) {
            out.add(new BinlogEvents.Transaction(new Gtid(0, server, seq), T0.plusSeconds(seq), seq * 100, seq * 100 + 100));
        }
        return out;
    }

    @Test
    void aReplayStopsBeforeTheFirstTransactionAtOrAfterTheTargetsSecond() {
        var file = new BinlogArchive.ArchivedFile(0, "f.1", transactions(1, 1, 30));
        var replay = BinlogArchive.replay(List.of(new EpochStart(0, "t", "", "")), List.of(file), GtidState.parse("0-1-10"),
                new RestoreTarget.AtTime(T0.plusSeconds(20).plusMillis(700)));
        assertEquals(GtidState.parse("0-1-19"), replay.reached(), "transaction 20 is stamped in the target's second");
        assertEquals(9, replay.count());
    }

    @Test
    void aReplayRefusesAHole() {
        var files = new ArrayList<>(transactions(1, 1, 10));
        files.addAll(transactions(1, 12, 20));
        var file = new BinlogArchive.ArchivedFile(0, "f.1", files);
        assertThrows(IllegalStateException.class, () -> BinlogArchive.replay(List.of(), List.of(file), GtidState.parse("0-1-5"),
                new RestoreTarget.AtPosition(GtidState.parse("0-1-20"))));
    }

    @Test
    void aRestoreFetchesThePiecesUpToTheTargetAndTheirFilesHeader() {
        var archive = List.of(epoch(0, "", piece(0, 1, "f.1", 0, 1000, 1, 1, 10), piece(0, 2, "f.1", 1000, 2000, 1, 11, 20),
                piece(0, 3, "f.1", 2000, 3000, 1, 21, 30), piece(0, 4, "f.1", 3000, 4000, 1, 31, 40)));
        var needed = BinlogArchive.segmentsFor(archive, GtidState.parse("0-1-12"), T0, new RestoreTarget.AtTime(T0.plusSeconds(25)));
        assertEquals(List.of(1L, 2L, 3L), needed.stream().map(ArchivedSegment::number).toList(), "1 for the header, 2 and 3 for 13..24");
    }

    @Test
    void retentionDeletesWholeFilesTheOldestKeptBackupHolds() {
        var archive = List.of(epoch(0, "", piece(0, 1, "f.1", 0, 1000, 1, 1, 10), piece(0, 2, "f.1", 1000, 2000, 1, 11, 20),
                        piece(0, 3, "f.2", 0, 1000, 1, 21, 30)),
                epoch(1, "0-1-30", piece(1, 1, "g.1", 0, 1000, 2, 31, 40)));
        assertEquals(List.of(), BinlogArchive.deletable(archive, Optional.empty()), "no backup: nothing goes");
        assertEquals(List.of(1L, 2L), BinlogArchive.deletable(archive, Optional.of(GtidState.parse("0-1-25"))).stream()
                .map(ArchivedSegment::number).toList());
        assertEquals(List.of(0L, 0L, 0L), BinlogArchive.deletable(archive, Optional.of(GtidState.parse("0-2-40"))).stream()
                .map(ArchivedSegment::epoch).toList(), "never the file the master writes");
    }

    @Test
    void aNewMasterResumesAfterWhatWasArchivedAsFarAsItsHistoryGoes() {
        var earlier = List.of(epoch(0, "", piece(0, 1, "f.1", 0, 1000, 1, 1, 20)));
        assertEquals(GtidState.parse("0-1-20"), BinlogArchive.resumeAfter(earlier, GtidState.parse("0-1-25")));
        assertEquals(GtidState.parse("0-1-18"), BinlogArchive.resumeAfter(earlier, GtidState.parse("0-1-18")));
        assertEquals(GtidState.EMPTY, BinlogArchive.resumeAfter(List.of(), GtidState.parse("0-1-18")));
    }
}

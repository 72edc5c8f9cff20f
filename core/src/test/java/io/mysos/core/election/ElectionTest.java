package io.mysos.core.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import io.mysos.core.task.TaskId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ElectionTest {
    private static final TaskId A = TaskId.of("orders", 1);
    private static final TaskId B = TaskId.of("orders", 2);
    private static final TaskId C = TaskId.of("orders", 3);

    @Test
    void electsTheMostAdvancedMariaDbReplica() {
        var positions = Map.of(A, Position.mariadb("0-1-100"), B, Position.mariadb("0-1-120"), C, Position.mariadb("0-1-90"));
        assertEquals(Optional.of(B), Election.mostAdvanced(positions));
    }

    @Test
    void comparesMariaDbDomainByDomain() {
        var ahead = Position.mariadb("0-1-100,1-2-50");
        var behindInOneDomain = Position.mariadb("0-1-100,1-2-49");
        assertTrue(ahead.covers(behindInOneDomain));
        assertFalse(behindInOneDomain.covers(ahead));
        assertTrue(ahead.covers(Position.mariadb("0-1-100")));
        assertFalse(Position.mariadb("0-1-100").covers(ahead));
    }

    @Test
    void electsTheMySqlReplicaWhoseGtidSetCoversTheOthers() {
        var uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        var full = Position.mysql(uuid + ":1-100");
        var gap = Position.mysql(uuid + ":1-50:52-100");
        assertTrue(full.covers(gap));
        assertFalse(gap.covers(full));
        assertEquals(Optional.of(B), Election.mostAdvanced(Map.of(A, gap, B, full)));
    }

    @Test
    void mergesAdjacentGtidIntervals() {
        var uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        assertTrue(Position.mysql(uuid + ":1-5:6-10").covers(Position.mysql(uuid + ":3-8")));
        assertEquals(10, Position.mysql(uuid + ":1-5:6-10").transactions());
    }

    @Test
    void equalPositionsGoToTheLowestServerId() {
        var same = Position.mariadb("0-1-100");
        assertEquals(Optional.of(A), Election.mostAdvanced(Map.of(C, same, A, same, B, same)));
    }

    @Test
    void withDivergedHistoriesTheMostAdvancedHasMostTransactionsButIsNotElected() {
        var positions = Map.of(A, Position.mariadb("0-1-100,1-3-5"), B, Position.mariadb("0-1-101"));
        assertEquals(Optional.of(A), Election.mostAdvanced(positions));
        assertTrue(Election.decide(positions, Map.of()).orElseThrow() instanceof Election.Diverged);
    }

    @Test
    void fallsBackToBinlogFileAndOffset() {
        var later = Position.binlog("mysql-bin.000003", 120);
        var earlier = Position.binlog("mysql-bin.000002", 99999);
        assertTrue(later.covers(earlier));
        assertEquals(Optional.of(B), Election.mostAdvanced(Map.of(A, earlier, B, later)));
    }

    @Test
    void positionsOfDifferentKindsDoNotCoverEachOther() {
        assertFalse(Position.mariadb("0-1-1").covers(Position.binlog("mysql-bin.000001", 4)));
    }

    @Test
    void amongEqualPositionsTheOneThatAppliedMostWinsOverALowerServerId() {
        var positions = Map.of(A, Position.mariadb("0-1-100"), B, Position.mariadb("0-1-100"));
        var applied = Map.of(A, Position.mariadb("0-1-40"), B, Position.mariadb("0-1-100"));
        assertEquals(Optional.of(B), Election.mostAdvanced(positions, applied));
    }

    @Test
    void noCandidatesElectNobody() {
        assertEquals(Optional.empty(), Election.mostAdvanced(Map.of()));
    }

    @Test
    void anEmptyPositionIsBehindEverything() {
        assertTrue(Position.mariadb("0-1-1").covers(Position.mariadb("")));
        assertEquals(Optional.of(B), Election.mostAdvanced(Map.of(A, Position.mariadb(""), B, Position.mariadb("0-1-1"))));
    }

    @Test
    void textRoundTrips() {
        assertEquals("mariadb:0-1-100,1-2-5", Position.parse("mariadb:0-1-100,1-2-5").toString());
        assertEquals(Position.mariadb("0-1-100"), Position.parse("mariadb:0-1-100"));
    }

    @Test
    void rejectsWhatIsNotAPosition() {
        assertThrows(InvalidInputException.class, () -> Position.parse("0-1-100"));
        assertThrows(InvalidInputException.class, () -> Position.parse("mariadb:0-1"));
        assertThrows(InvalidInputException.class, () -> Position.parse("mysql:uuid:5-1"));
        assertThrows(InvalidInputException.class, () -> Position.parse("binlog:nofile"));
        assertThrows(InvalidInputException.class, () -> Position.parse(null));
    }

    @Test
    void aUnionHasEverythingOfBoth() {
        assertEquals(Position.mariadb("0-2-15,1-3-4"), Position.mariadb("0-1-10,1-3-4").union(Position.mariadb("0-2-15")));
        assertEquals(Position.mariadb("0-1-10"), Position.mariadb("").union(Position.mariadb("0-1-10")));
        var uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        var union = Position.mysql(uuid + ":1-5").union(Position.mysql(uuid + ":6-9"));
        assertTrue(union.covers(Position.mysql(uuid + ":1-9")));
        assertEquals(9, union.transactions());
    }

    @Test
    void theSameSequenceNumberFromAnotherServerIsAForkNotTheSameTransaction() {
        var mine = Position.mariadb("0-1-10");
        var forked = Position.mariadb("0-3-10");
        assertFalse(mine.covers(forked));
        assertFalse(forked.covers(mine));
        assertEquals(java.util.List.of("0-3-10"), mine.lacking(forked));
        assertTrue(Position.mariadb("0-3-11").covers(forked), "a later sequence number of the domain covers it");
        assertTrue(mine.covers(Position.mariadb("0-1-10")));
    }

    @Test
    void lackingNamesEveryDomainOrGtidIntervalThatIsMissing() {
        assertEquals(java.util.List.of("1-2-5"), Position.mariadb("0-1-10,1-2-4").lacking(Position.mariadb("0-1-9,1-2-5")));
        assertEquals(java.util.List.of(), Position.mariadb("0-1-10").lacking(Position.mariadb("0-1-9")));
        var uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        assertEquals(java.util.List.of(uuid + ":101-102"),
                Position.mysql(uuid + ":1-100").lacking(Position.mysql(uuid + ":1-100:101-102")));
    }

    @Test
    void decideElectsTheCandidateThatCoversEveryOther() {
        var positions = Map.of(A, Position.mariadb("0-1-10"), B, Position.mariadb("0-1-12"));
        assertEquals(Optional.of(new Election.Elected(B)), Election.decide(positions, Map.of()));
    }

    @Test
    void decideReportsDivergedHistoriesWithWhatTheMostAdvancedLacks() {
        var positions = Map.of(A, Position.mariadb("0-1-20"), B, Position.mariadb("0-1-12,7-2-1"), C, Position.mariadb("0-1-3"));
        assertEquals(Optional.of(new Election.Diverged(A, Map.of(B, java.util.List.of("7-2-1")))), Election.decide(positions, Map.of()));
    }

    @Test
    void decideWithoutPositionsDecidesNothing() {
        assertEquals(Optional.empty(), Election.decide(Map.of(), Map.of()));
    }
}

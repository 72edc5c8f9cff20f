package io.mysos.core.audit;

import static io.mysos.core.audit.Histories.T1;
import static io.mysos.core.audit.Histories.T2;
import static io.mysos.core.audit.Histories.T3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.audit.FailoverRecord.Candidate;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.task.TaskState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailoverRecordsTest {

    @Test
    void theFirstMasterIsNoFailover() {
        assertEquals(List.of(), FailoverRecords.of(Histories.running().events()));
    }

    @Test
    void recordsAFailoverWithItsCandidatesWinnerAndDuration() {
        var h = Histories.failedOver();
        var records = FailoverRecords.of(h.events());

        assertEquals(1, records.size());
        var r = records.get(0);
        assertEquals(1, r.epoch());
        assertEquals(false, r.planned());
        assertEquals(Histories.T0.plusSeconds(10), r.detectedAt(), "MasterLost's own time");
        assertEquals("FAILED: mysqld exited", r.cause());
        assertEquals(Optional.of(T1), r.failedMaster());
        assertEquals(List.of(new Candidate(T2, Optional.of("mariadb:0-1-100")), new Candidate(T3, Optional.of("mariadb:0-1-98"))),
                r.candidates());
        assertEquals(Optional.of(T2), r.winner());
        assertEquals("its position covers every other candidate's", r.why());
        assertEquals(Optional.of(1200L), r.durationMillis());
        assertEquals(Optional.of(r.detectedAt().plusMillis(1200)), r.endedAt());
        assertEquals("completed", r.outcome());
        assertEquals(Optional.of(true), r.writesSurvived());
        assertEquals(List.of(), r.leftBehind());
        assertEquals(List.of(10L, 11L, 12L, 13L), r.steps().stream().map(FailoverRecord.Step::seq).toList());
    }

    @Test
    void aForcedPromotionOverDivergedHistoriesLostWritesAndLeavesTheOverruledBehind() {
        var h = Histories.running();
        h.add(new ClusterEvent.MasterLost(0, T1, "LOST", h.now()));
        h.add(new ClusterEvent.ElectionStarted(1, Optional.of(T1), List.of(T2, T3), "LOST", false, h.now()));
        var positions = Map.of(T2.value(), "mariadb:0-2-100", T3.value(), "mariadb:0-3-100");
        h.add(new ClusterEvent.HistoriesDiverged(1, positions, T2, Map.of(T3.value(), List.of("0-3-100")), h.now()));

        var waiting = FailoverRecords.of(h.events()).get(0);
        assertEquals("waiting for an operator", waiting.outcome());
        assertEquals(Optional.empty(), waiting.winner());

        h.add(new ClusterEvent.MasterElected(1, T2, positions, Map.of(T3.value(), List.of("0-3-100"))));
        h.add(new ClusterEvent.FailoverCompleted(1, Optional.of(T1), T2, 60_000, "LOST"));
        var forced = FailoverRecords.of(h.events()).get(0);
        assertEquals("completed", forced.outcome());
        assertEquals(Optional.of(false), forced.writesSurvived());
        assertEquals(List.of(T3), forced.leftBehind());
        assertTrue(forced.why().startsWith("forced by an operator"), forced.why());
    }

    @Test
    void aCandidateThatNeverAnsweredIsLeftBehindAndALostReplicaIsCounted() {
        var h = Histories.running();
        h.add(new ClusterEvent.MasterLost(0, T1, "FAILED", h.now()));
        h.add(new ClusterEvent.ElectionStarted(1, Optional.of(T1), List.of(T2, T3, Histories.T4), "FAILED", false, h.now()));
        h.add(new ClusterEvent.ReplicaLost(Histories.T4, "LOST", h.now()));
        h.add(new ClusterEvent.MasterElected(1, T2, Map.of(T2.value(), "mariadb:0-1-100")));

        var r = FailoverRecords.of(h.events()).get(0);
        assertEquals(List.of(Histories.T4), r.replicasLost());
        assertEquals(List.of(T3), r.leftBehind());
        assertEquals("in progress", r.outcome());
        assertEquals(Optional.empty(), r.durationMillis());
    }

    @Test
    void aSwitchoverIsAPlannedRecordWithoutALostMaster() {
        var h = Histories.running();
        h.add(new ClusterEvent.ElectionStarted(1, Optional.of(T1), List.of(T3), ClusterEvent.PLANNED, true, h.now()));
        h.add(new ClusterEvent.MasterElected(1, T3, Map.of(T1.value(), "mariadb:0-1-50", T3.value(), "mariadb:0-1-50")));
        h.add(new ClusterEvent.FailoverCompleted(1, Optional.of(T1), T3, 300, ClusterEvent.PLANNED));
        h.add(new ClusterEvent.TaskStateChanged(T2, TaskState.RUNNING, "again", h.now()));

        var r = FailoverRecords.of(h.events()).get(0);
        assertTrue(r.planned());
        assertEquals(ClusterEvent.PLANNED, r.cause());
        assertEquals(Optional.of(T3), r.winner());
        assertEquals(Optional.of(true), r.writesSurvived());
        assertEquals(Optional.of(300L), r.durationMillis());
    }
}

package io.mysos.core.failover;

import static io.mysos.core.failover.Lives.NOW;
import static io.mysos.core.failover.Lives.T1;
import static io.mysos.core.failover.Lives.T2;
import static io.mysos.core.failover.Lives.T3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.election.Position;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ElectionRoundTest {
    /** A three-node cluster whose master T1 just failed: an election for epoch 1 among T2 and T3. */
    private static ClusterLife electing() {
        var life = Lives.running(3);
        return Lives.apply(life, Failover.onStatus(life, Observed.initial(), new TaskStatus(T1, TaskState.FAILED, ""), NOW));
    }

    private static ExecutorReport.PositionReported at(TaskId task, String gtids) {
        return new ExecutorReport.PositionReported(task, 1, Position.mariadb(gtids), Position.mariadb(gtids));
    }

    @Test
    void waitsForEveryRunningCandidateThenElectsTheOneWithEveryTransaction() {
        var life = electing();
        var first = ElectionRound.onPosition(life, Observed.initial(), at(T2, "0-1-10"), NOW);
        assertTrue(first.events().isEmpty());
        var second = ElectionRound.onPosition(life, first.observed(), at(T3, "0-1-12"), NOW);
        assertEquals(List.of(new ClusterEvent.MasterElected(1, T3, Map.of(T2.value(), "mariadb:0-1-10", T3.value(), "mariadb:0-1-12"))),
                second.events());
        assertEquals(List.of(new Action.Send(T3, new ExecutorCommand.Promote(1))), second.actions());
    }

    @Test
    void divergedHistoriesAreRecordedAndNobodyIsPromoted() {
        var life = electing();
        var first = ElectionRound.onPosition(life, Observed.initial(), at(T2, "0-1-10"), NOW);
        var second = ElectionRound.onPosition(life, first.observed(), at(T3, "0-3-10"), NOW);
        var diverged = assertInstanceOf(ClusterEvent.HistoriesDiverged.class, second.events().get(0));
        assertEquals(T2, diverged.mostAdvanced());
        assertEquals(Map.of(T3.value(), List.of("0-3-10")), diverged.lacking());
        assertTrue(second.actions().isEmpty());
        var after = Lives.apply(life, second);
        assertTrue(after.election().orElseThrow().diverged().isPresent(), "the election stays open, waiting for an operator");
        assertTrue(ElectionRound.queries(after, second.observed()).isEmpty(), "nobody is asked again");
        assertTrue(ElectionRound.onDeadline(after, second.observed(), 1, NOW).events().isEmpty(), "the deadline promotes nobody");
    }

    @Test
    void aForcedPromotionRecordsWhatTheOthersHeldBeyondTheTarget() {
        var life = electing();
        var observed = ElectionRound.onPosition(life, Observed.initial(), at(T2, "0-1-10"), NOW).observed();
        var diverged = ElectionRound.onPosition(life, observed, at(T3, "0-3-10"), NOW);
        var forced = assertInstanceOf(ElectionRound.Forced.class, ElectionRound.force(Lives.apply(life, diverged), diverged.observed(), T3.value()));
        assertEquals(List.of(new ClusterEvent.MasterElected(1, T3, Map.of(T2.value(), "mariadb:0-1-10", T3.value(), "mariadb:0-3-10"),
                Map.of(T2.value(), List.of("0-1-10")))), forced.decision().events());
        assertEquals(List.of(new Action.Send(T3, new ExecutorCommand.Promote(1))), forced.decision().actions());
    }

    @Test
    void aForcedPromotionOfSomethingThatIsNotARunningReplicaIsRefused() {
        assertInstanceOf(ElectionRound.Refused.class, ElectionRound.force(electing(), Observed.initial(), T1.value()));
        assertInstanceOf(ElectionRound.Refused.class, ElectionRound.force(Lives.running(3), Observed.initial(), T2.value()),
                "no election, nothing to force");
    }

    @Test
    void aReplicaStillStartingIsWaitedForUntilTheDeadline() {
        var life = Lives.running(3).apply(new ClusterEvent.TaskStateChanged(T3, TaskState.STARTING, ""));
        var electing = Lives.apply(life, Failover.onStatus(life, Observed.initial(), new TaskStatus(T1, TaskState.FAILED, ""), NOW));
        var answered = ElectionRound.onPosition(electing, Observed.initial(), at(T2, "0-1-10"), NOW);
        assertTrue(answered.events().isEmpty(), "T3 may hold more");
        var deadline = ElectionRound.onDeadline(electing, answered.observed(), 1, NOW);
        assertEquals(List.of(new ClusterEvent.MasterElected(1, T2, Map.of(T2.value(), "mariadb:0-1-10"))), deadline.events());
    }

    @Test
    void aReplicaThatHasNeverRunIsNotWaitedFor() {
        var staging = TaskId.of("orders", 4);
        var life = Lives.running(3).apply(new ClusterEvent.ClusterResized(3, 4, List.of()))
                .apply(new ClusterEvent.ReplicaAdded(staging, "agent-1", "10.0.0.4", 31004, io.mysos.core.resources.Resources.DEFAULT_INSTANCE));
        var electing = Lives.apply(life, Failover.onStatus(life, Observed.initial(), new TaskStatus(T1, TaskState.FAILED, ""), NOW));
        var first = ElectionRound.onPosition(electing, Observed.initial(), at(T2, "0-1-10"), NOW);
        var second = ElectionRound.onPosition(electing, first.observed(), at(T3, "0-1-9"), NOW);
        assertEquals(T2, ((ClusterEvent.MasterElected) second.events().get(0)).taskId());
    }

    @Test
    void theDeadlineWithoutAnswersStallsAndPromotesNobody() {
        var decision = ElectionRound.onDeadline(electing(), Observed.initial(), 1, NOW);
        assertTrue(decision.events().isEmpty());
        assertTrue(decision.observed().electionStalled());
    }

    @Test
    void positionsOfAnotherEpochOrFromStrangersAreIgnored() {
        var life = electing();
        var stale = new ExecutorReport.PositionReported(T2, 0, Position.mariadb("0-1-99"), Position.mariadb("0-1-99"));
        assertEquals(Observed.initial(), ElectionRound.onPosition(life, Observed.initial(), stale, NOW).observed());
        assertEquals(Observed.initial(), ElectionRound.onPosition(life, Observed.initial(), at(T1, "0-1-99"), NOW).observed());
    }

    @Test
    void aPlannedSwitchoverElectsItsTargetOnceItHasTheRetiringMastersLastWrite() {
        var life = Lives.running(3);
        var plan = assertInstanceOf(Switchover.Accepted.class,
                Switchover.plan(life, Lives.confirmed(life), java.util.Optional.of(T2.value()), false, NOW));
        var switching = Lives.apply(life, plan.decision());
        var master = new ExecutorReport.PositionReported(T1, 1, Position.mariadb("0-1-20"), Position.mariadb("0-1-20"));
        var observed = ElectionRound.onPosition(switching, plan.decision().observed(), master, NOW).observed();
        assertTrue(ElectionRound.onPosition(switching, observed, at(T2, "0-1-18"), NOW).events().isEmpty());
        var caughtUp = ElectionRound.onPosition(switching, observed, at(T2, "0-1-20"), NOW);
        assertEquals(T2, ((ClusterEvent.MasterElected) caughtUp.events().get(0)).taskId());
        var timedOut = ElectionRound.onDeadline(switching, observed, 1, NOW);
        assertEquals(T1, ((ClusterEvent.MasterElected) timedOut.events().get(0)).taskId(), "the retiring master keeps the role");
    }
}

package io.mysos.core.audit;

import static io.mysos.core.audit.Histories.T1;
import static io.mysos.core.audit.Histories.T2;
import static io.mysos.core.audit.Histories.T3;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryCheckTest {

    @Test
    void aHealthyHistoryKeepsEveryInvariant() {
        assertEquals(List.of(), HistoryCheck.check(Histories.failedOver().events()));
    }

    @Test
    void twoMastersInOneEpochBreakTheRule() {
        var h = Histories.running().add(new ClusterEvent.MasterElected(0, T2, Map.of()));
        assertEquals(List.of(new HistoryCheck.Violation(9, "one master per epoch", "epoch 0 elected orders-2 after orders-1")
                        .rule()),
                HistoryCheck.check(h.events()).stream().map(HistoryCheck.Violation::rule).toList());
        assertEquals(9, HistoryCheck.check(h.events()).get(0).seq());
    }

    @Test
    void anEpochGoingBackBreaksTheRule() {
        var h = Histories.failedOver().add(new ClusterEvent.MasterElected(0, T3, Map.of()));
        assertEquals(List.of("one master per epoch", "epochs only grow"),
                HistoryCheck.check(h.events()).stream().map(HistoryCheck.Violation::rule).toList());
    }

    @Test
    void aTaskIdUsedTwiceBreaksTheRuleEvenAcrossLives() {
        var h = Histories.running()
                .add(new ClusterEvent.ClusterDeletionRequested(Histories.T0))
                .add(new ClusterEvent.TaskStateChanged(T1, TaskState.KILLED, ""))
                .add(new ClusterEvent.TaskStateChanged(T2, TaskState.KILLED, ""))
                .add(new ClusterEvent.TaskStateChanged(T3, TaskState.KILLED, ""))
                .add(new ClusterEvent.ClusterTerminated(Histories.T0))
                .add(Histories.created())
                .add(new ClusterEvent.ReplicaAdded(T3, "agent-1", "127.0.0.1", 31003, Resources.DEFAULT_INSTANCE));
        var violations = HistoryCheck.check(h.events());
        assertEquals(1, violations.size(), violations.toString());
        assertEquals("no task id reused", violations.get(0).rule());
        assertEquals(15, violations.get(0).seq());
    }

    @Test
    void aLifeThatTerminatesWithATaskStillRunningBreaksTheRule() {
        var h = Histories.running().add(new ClusterEvent.ClusterTerminated(Histories.T0));
        var violations = HistoryCheck.check(h.events());
        assertEquals(3, violations.size(), violations.toString());
        assertEquals("every launched task ends or is alive", violations.get(0).rule());
    }

    @Test
    void anEndedTaskThatRunsAgainBreaksTheRule() {
        var h = Histories.running()
                .add(new ClusterEvent.TaskStateChanged(T3, TaskState.FAILED, ""))
                .add(new ClusterEvent.TaskStateChanged(T3, TaskState.RUNNING, ""));
        assertEquals(List.of("an ended task stays ended"),
                HistoryCheck.check(h.events()).stream().map(HistoryCheck.Violation::rule).toList());
    }
}

package io.mysos.core.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.cluster.Lag;
import io.mysos.core.task.TaskState;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EndpointRoutingTest {
    private static final RoutingView.Member MASTER = member("mysos-orders-1", 31001, TaskState.RUNNING, true);
    private static final RoutingView.Member R2 = member("mysos-orders-2", 31002, TaskState.RUNNING, true);
    private static final RoutingView.Member R3 = member("mysos-orders-3", 31003, TaskState.RUNNING, true);

    private static RoutingView.Member member(String task, int port, TaskState state, boolean confirmed) {
        return new RoutingView.Member(task, "127.0.0.1", port, state, confirmed, Optional.empty(), false);
    }

    private static Targets route(RoutingView view) {
        return EndpointRouting.targets(view, ReadOnlyLimits.DEFAULT);
    }

    private static List<String> readOnlyTasks(Targets t) {
        return t.readOnly().stream().map(Target::taskId).toList();
    }

    @Test
    void readWriteTargetsTheConfirmedMasterOfTheCurrentEpoch() {
        var t = route(new RoutingView(3, false, Optional.of(MASTER), List.of(R2, R3)));
        assertEquals(Optional.of(new Target("mysos-orders-1", "127.0.0.1", 31001, 3)), t.readWrite());
        assertEquals("127.0.0.1:31001", t.readWrite().get().address());
        assertEquals(List.of("mysos-orders-2", "mysos-orders-3"), readOnlyTasks(t));
    }

    @Test
    void readWriteIsFencedWhileAFailoverOrSwitchoverRuns() {
        var t = route(new RoutingView(3, true, Optional.of(MASTER), List.of(R2, R3)));
        assertTrue(t.fenced());
        assertEquals(3, t.epoch());
    }

    @Test
    void anElectedMasterNotYetWritableTakesNoConnections() {
        var elected = member("mysos-orders-2", 31002, TaskState.RUNNING, false);
        var t = route(new RoutingView(4, false, Optional.of(elected), List.of(R3)));
        assertTrue(t.fenced());
        assertEquals(List.of("mysos-orders-3"), readOnlyTasks(t));
    }

    @Test
    void aMasterThatIsNotRunningTakesNoConnections() {
        var lost = member("mysos-orders-1", 31001, TaskState.LOST, true);
        var t = route(new RoutingView(3, false, Optional.of(lost), List.of()));
        assertTrue(t.fenced());
        assertEquals(List.of(), t.readOnly());
    }

    @Test
    void readOnlyFallsBackToTheMasterWhenNoReplicaRuns() {
        var starting = member("mysos-orders-2", 31002, TaskState.STARTING, false);
        var t = route(new RoutingView(0, false, Optional.of(MASTER), List.of(starting)));
        assertEquals(List.of("mysos-orders-1"), readOnlyTasks(t));
    }

    @Test
    void readsNeverGoToTheMasterWhileAReplicaRuns() {
        var reparenting = member("mysos-orders-2", 31002, TaskState.RUNNING, false);
        var t = route(new RoutingView(4, false, Optional.of(MASTER), List.of(reparenting)));
        assertEquals(List.of(), t.readOnly());
    }

    @Test
    void readOnlyHasNoMasterWhileFenced() {
        var t = route(new RoutingView(0, true, Optional.of(MASTER), List.of()));
        assertEquals(List.of(), t.readOnly());
    }

    @Test
    void replicasThatLagNotReplicatingOrBackingUpLeaveTheReadOnlySet() {
        var lagging = new RoutingView.Member("mysos-orders-2", "h", 31002, TaskState.RUNNING, true,
                Optional.of(Lag.of(500, Optional.of(30L))), false);
        var unconfirmed = member("mysos-orders-3", 31003, TaskState.RUNNING, false);
        var backingUp = new RoutingView.Member("mysos-orders-4", "h", 31004, TaskState.RUNNING, true, Optional.empty(), true);
        var inSync = new RoutingView.Member("mysos-orders-5", "h", 31005, TaskState.RUNNING, true,
                Optional.of(Lag.inSync()), false);
        var t = route(new RoutingView(1, false, Optional.of(MASTER), List.of(lagging, unconfirmed, backingUp, inSync)));
        assertEquals(List.of("mysos-orders-5"), readOnlyTasks(t));
    }

    @Test
    void theLagLimitIsConfigurable() {
        var behind = new RoutingView.Member("mysos-orders-2", "h", 31002, TaskState.RUNNING, true,
                Optional.of(new Lag(15, Optional.of(3L), false)), false);
        var view = new RoutingView(1, false, Optional.of(MASTER), List.of(behind));
        assertEquals(List.of("mysos-orders-2"), readOnlyTasks(EndpointRouting.targets(view, new ReadOnlyLimits(20, 5))));
        assertEquals(List.of(), readOnlyTasks(EndpointRouting.targets(view, new ReadOnlyLimits(10, 5))));
        assertEquals(List.of(), readOnlyTasks(EndpointRouting.targets(view, new ReadOnlyLimits(20, 2))));
    }

    @Test
    void aReplicaWithoutASecondsEstimateTakesNoReads() {
        var stopped = new RoutingView.Member("mysos-orders-2", "h", 31002, TaskState.RUNNING, true,
                Optional.of(new Lag(0, Optional.empty(), false)), false);
        var t = route(new RoutingView(1, false, Optional.of(MASTER), List.of(stopped)));
        assertEquals(List.of(), readOnlyTasks(t));
    }

    @Test
    void anOlderEpochNeverSupersedesANewerOne() {
        var newer = route(new RoutingView(5, false, Optional.of(R2), List.of()));
        var older = route(new RoutingView(4, false, Optional.of(MASTER), List.of()));
        assertFalse(EndpointRouting.supersedes(older, newer));
        assertTrue(EndpointRouting.supersedes(newer, older));
        assertTrue(EndpointRouting.supersedes(Targets.none(5), newer));
    }
}

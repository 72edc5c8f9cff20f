package io.mysos.core.failover;

import static io.mysos.core.failover.Lives.NOW;
import static io.mysos.core.failover.Lives.T1;
import static io.mysos.core.failover.Lives.T2;
import static io.mysos.core.failover.Lives.T3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.protocol.ExecutorCommand;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SwitchoverTest {
    @Test
    void withoutATargetTheLowestServerIdTakesOverAfterAnElection() {
        var life = Lives.running(3);
        var plan = assertInstanceOf(Switchover.Accepted.class, Switchover.plan(life, Lives.confirmed(life), Optional.empty(), false, NOW));
        assertEquals(List.of(new ClusterEvent.ElectionStarted(1, Optional.of(T1), List.of(T2), ClusterEvent.PLANNED, true, NOW)),
                plan.decision().events());
        assertEquals(List.of(new Action.Send(T2, new ExecutorCommand.QueryPosition(1)), new Action.Send(T1, new ExecutorCommand.QueryPosition(1))),
                plan.decision().actions());
    }

    @Test
    void refusesWithoutAWritableMasterOrWithATargetThatIsNotAReplica() {
        var life = Lives.running(3);
        assertInstanceOf(Switchover.Conflict.class, Switchover.plan(life, Observed.initial(), Optional.empty(), false, NOW));
        assertInstanceOf(Switchover.Invalid.class, Switchover.plan(life, Lives.confirmed(life), Optional.of(T1.value()), false, NOW));
    }

    @Test
    void duringAFailoverOnlyAForcedPromotionWithATargetIsAccepted() {
        var life = Lives.running(3);
        var electing = Lives.apply(life, Failover.onStatus(life, Observed.initial(),
                new io.mysos.core.protocol.TaskStatus(T1, io.mysos.core.task.TaskState.FAILED, ""), NOW));
        var conflict = assertInstanceOf(Switchover.Conflict.class, Switchover.plan(electing, Observed.initial(), Optional.of(T3.value()), false, NOW));
        assertTrue(conflict.reason().contains("already in progress"), conflict.reason());
        var forced = assertInstanceOf(Switchover.Accepted.class, Switchover.plan(electing, Observed.initial(), Optional.of(T3.value()), true, NOW));
        assertEquals(T3, ((ClusterEvent.MasterElected) forced.decision().events().get(0)).taskId());
    }
}

package io.mysos.core.failover;

import static io.mysos.core.failover.Lives.NOW;
import static io.mysos.core.failover.Lives.T1;
import static io.mysos.core.failover.Lives.T2;
import static io.mysos.core.failover.Lives.T3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.election.Position;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.task.TaskState;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResizingTest {
    @Test
    void growingOnlyRecordsTheNewSize() {
        var plan = assertInstanceOf(Resizing.Resized.class, Resizing.plan(Lives.running(3), Observed.initial(), 5));
        assertEquals(List.of(new ClusterEvent.ClusterResized(3, 5, List.of())), plan.decision().events());
    }

    @Test
    void shrinkingAsksTheReplicasThenLetsTheMostLaggingGo() {
        var life = Lives.running(3);
        var asking = assertInstanceOf(Resizing.Asking.class, Resizing.plan(life, Observed.initial(), 2));
        assertEquals(List.of(new Action.Send(T2, new ExecutorCommand.QueryPosition(0)),
                new Action.Send(T3, new ExecutorCommand.QueryPosition(0))), asking.decision().actions());
        var observed = asking.decision().observed();
        observed = observed.withShrink(observed.shrink().map(s -> s.answered(T2, Position.mariadb("0-1-9"))
                .answered(T3, Position.mariadb("0-1-5"))));
        var done = assertInstanceOf(Resizing.Resized.class, Resizing.finish(life, observed));
        assertEquals(List.of(new ClusterEvent.ClusterResized(3, 2, List.of(T3))), done.decision().events());
        assertEquals(List.of(new Action.Kill(T3)), done.decision().actions());
        assertEquals(java.util.Optional.empty(), done.decision().observed().shrink());
    }

    @Test
    void shrinkingDuringAFailoverIsRefused() {
        var life = Lives.running(3);
        var electing = Lives.apply(life, Failover.onStatus(life, Observed.initial(), new TaskStatus(T1, TaskState.FAILED, ""), NOW));
        assertInstanceOf(Resizing.Refused.class, Resizing.plan(electing, Observed.initial(), 2));
        assertInstanceOf(Resizing.Resized.class, Resizing.plan(electing, Observed.initial(), 4), "growing is fine");
        assertInstanceOf(Resizing.Unchanged.class, Resizing.plan(life, Observed.initial(), 3));
    }
}

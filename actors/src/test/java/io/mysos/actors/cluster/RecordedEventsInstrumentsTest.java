package io.mysos.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.actors.Instruments;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.task.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A cluster actor tells the installed {@link Instruments} each journal write's events and how long it took. */
class RecordedEventsInstrumentsTest {
    private record Write(String cluster, List<ClusterEvent> events, Duration took) {}

    private final ClusterSimulation sim = new ClusterSimulation();
    private final List<Write> writes = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void tearDown() {
        sim.close();
    }

    @Test
    void aFailoverIsToldOnceWithTheWriteThatRecordedIt() {
        Instruments.use(sim.kit.system(), new Instruments() {
            @Override
            public void offersReceived(int count) {}

            @Override
            public void offersDeclined(int count) {}

            @Override
            public void offersUsed(int count) {}

            @Override
            public void eventsRecorded(String cluster, List<ClusterEvent> events, Duration write) {
                writes.add(new Write(cluster, events, write));
            }
        });
        var t = sim.runningCluster(3);
        sim.status(t.get(0), TaskState.FAILED, "mysqld exited with signal 9");
        sim.position(t.get(1), 1, "0-1-10");
        sim.position(t.get(2), 1, "0-1-12");
        // The loss is handled before the clock moves, or the failover would seem to start 800 ms late.
        sim.settle();
        sim.passes(Duration.ofMillis(800));
        sim.promoted(t.get(2), 1);
        // Asked after the failover's write: the actor answers once it has handled that write.
        assertEquals(1, sim.view().epoch());

        var failovers = writes.stream().flatMap(w -> w.events().stream())
                .filter(ClusterEvent.FailoverCompleted.class::isInstance).toList();
        assertEquals(List.of(new ClusterEvent.FailoverCompleted(1, Optional.of(t.get(0)), t.get(2), 800,
                "FAILED: mysqld exited with signal 9")), failovers);
        assertTrue(writes.stream().allMatch(w -> w.cluster().equals(ClusterSimulation.NAME) && !w.took().isNegative()
                && !w.events().isEmpty()), writes.toString());
        assertTrue(writes.stream().anyMatch(w -> w.events().stream().anyMatch(ClusterEvent.MasterLost.class::isInstance)));
    }
}

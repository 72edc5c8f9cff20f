package io.mysos.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.endpoint.EndpointRouting;
import io.mysos.core.endpoint.ReadOnlyLimits;
import io.mysos.core.endpoint.Target;
import io.mysos.core.endpoint.Targets;
import io.mysos.core.task.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a cluster's endpoints route to through a failover, from the view its actor publishes (the
 * same view the API and {@code mysos router} follow), on manual time.
 */
class EndpointViewSimulationTest {
    private ClusterSimulation sim;

    @BeforeEach
    void setUp() {
        sim = new ClusterSimulation();
    }

    @AfterEach
    void tearDown() {
        sim.close();
    }

    private Targets targets() {
        return EndpointRouting.targets(sim.view().routing(), ReadOnlyLimits.DEFAULT);
    }

    private static List<String> tasks(List<Target> targets) {
        return targets.stream().map(Target::taskId).toList();
    }

    @Test
    void theReadWriteEndpointIsFencedFromMasterLostUntilTheNewMasterIsWritable() {
        var t = sim.runningCluster(3);
        var healthy = targets();
        assertEquals(Optional.of(t.get(0).value()), healthy.readWrite().map(Target::taskId));
        assertEquals(List.of(t.get(1).value(), t.get(2).value()), tasks(healthy.readOnly()));

        sim.status(t.get(0), TaskState.FAILED, "mysqld exited with signal 9");
        sim.settle();
        var lost = targets();
        assertTrue(lost.fenced(), "no connection to any instance while the master is lost");
        assertEquals(List.of(), lost.readOnly(), "replicas not yet following a master take no reads, nor does any master");

        sim.position(t.get(1), 1, "0-1-10");
        sim.position(t.get(2), 1, "0-1-12");
        sim.settle();
        var elected = targets();
        assertEquals(1, elected.epoch());
        assertTrue(elected.fenced(), "elected but not yet writable: still fenced");

        sim.passes(Duration.ofMillis(300));
        sim.promoted(t.get(2), 1);
        sim.settle();
        var writable = targets();
        assertEquals(Optional.of(new Target(t.get(2).value(), ClusterSimulation.host(t.get(2)), ClusterSimulation.port(t.get(2)), 1)),
                writable.readWrite());
        assertEquals(List.of(), writable.readOnly(), "a replica runs, so reads wait for it rather than go to the master");

        sim.reparented(t.get(1), 1, t.get(2));
        sim.settle();
        assertEquals(List.of(t.get(1).value()), tasks(targets().readOnly()));
    }
}

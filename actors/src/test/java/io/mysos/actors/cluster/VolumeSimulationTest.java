package io.mysos.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.actors.offer.OfferRouter;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.offer.Demand;
import io.mysos.core.offer.Placement;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A cluster's persistent volumes under Mesos, on manual time: recorded with each instance, reused
 * when an instance ends, given up when its agent stays away, and acknowledged updates only after
 * they are recorded.
 */
class VolumeSimulationTest {
    private final ClusterSimulation sim = new ClusterSimulation();

    @AfterEach
    void close() {
        sim.close();
    }

    /** A placement on a Mesos offer of {@code agent-<n>} (host {@code db<n>}); the reply. */
    private OfferRouter.PlaceResult placeOn(int agent, Optional<String> reuse) {
        var probe = sim.kit.<OfferRouter.PlaceResult>createTestProbe();
        var placement = new Placement(ClusterSimulation.NAME, "offer-" + agent, "agent-" + agent, "db" + agent, 31000,
                Resources.DEFAULT_INSTANCE, reuse, true);
        sim.cluster.tell(new ClusterActor.FromRouter(new OfferRouter.Place(placement, probe.ref())));
        return probe.receiveMessage();
    }

    private TaskId placedOn(int agent, Optional<String> reuse) {
        return assertInstanceOf(OfferRouter.Accepted.class, placeOn(agent, reuse)).task().taskId();
    }

    private List<ClusterEvent> volumeEvents() {
        return sim.journal.persistedInStorage(sim.pid()).stream().map(ClusterEvent.class::cast)
                .filter(e -> e.getClass().getSimpleName().startsWith("Volume")).toList();
    }

    private Demand lastDemand() {
        sim.settle();
        var told = ClusterSimulation.takeQueued(sim.router).stream().filter(OfferRouter.UpdateDemand.class::isInstance)
                .map(m -> ((OfferRouter.UpdateDemand) m).demand()).toList();
        return told.get(told.size() - 1);
    }

    private List<ResourceSide.HoldVolumes> holds() {
        sim.settle();
        return ClusterSimulation.takeQueued(sim.resources).stream().filter(ResourceSide.HoldVolumes.class::isInstance)
                .map(ResourceSide.HoldVolumes.class::cast).toList();
    }

    /** Two instances, one per agent, each on a volume of its own, running; the master (task 1) promoted. */
    private List<TaskId> twoNodesOnVolumes() {
        sim.create(2);
        var one = placedOn(1, Optional.empty());
        var two = placedOn(2, Optional.empty());
        sim.status(one, TaskState.RUNNING);
        sim.status(two, TaskState.RUNNING);
        sim.awaitView(v -> v.master().isPresent());
        sim.settle();
        sim.drain();
        return List.of(one, two);
    }

    @Test
    void anInstanceOnAMesosOfferRecordsItsVolumeInTheSameWriteBeforeItsLaunch() {
        sim.create(1);
        var task = placedOn(1, Optional.empty());
        var events = sim.journal.persistedInStorage(sim.pid());
        assertEquals(List.of(new ClusterEvent.ReplicaAdded(task, "agent-1", "db1", 31000, Resources.DEFAULT_INSTANCE),
                new ClusterEvent.VolumeCreated("mysos-orders-1", task, "agent-1", "db1")), events.subList(events.size() - 2, events.size()));
        var holds = holds();
        assertEquals(new ResourceSide.HoldVolumes("orders", List.of("mysos-orders-1")), holds.get(holds.size() - 1));
    }

    @Test
    void aFailedReplicaIsRelaunchedOnItsOwnVolume() {
        var tasks = twoNodesOnVolumes();
        sim.status(tasks.get(1), TaskState.FAILED, "mysqld died");
        var demand = lastDemand();
        assertEquals(1, demand.instances());
        assertEquals(List.of("mysos-orders-2"), demand.reusable());

        var relaunched = placedOn(2, Optional.of("mysos-orders-2"));
        assertEquals(TaskId.of("orders", 3), relaunched);
        assertEquals(new ClusterEvent.VolumeReused("mysos-orders-2", relaunched), volumeEvents().get(volumeEvents().size() - 1));
        assertEquals(List.of(), lastDemand().reusable());
    }

    @Test
    void aVolumeWhoseAgentStaysAwayIsGivenUpAndTheReplacementGoesElsewhere() {
        var tasks = twoNodesOnVolumes();
        sim.status(tasks.get(1), TaskState.LOST, "agent agent-2 was lost");
        sim.settle();
        sim.passes(Duration.ofMinutes(10).minusSeconds(1));
        assertEquals(List.of("mysos-orders-2"), lastDemand().reusable(), "still waiting for agent-2");
        assertEquals(2, volumeEvents().size());

        sim.passes(Duration.ofSeconds(1));
        sim.settle();
        var released = assertInstanceOf(ClusterEvent.VolumeReleased.class, volumeEvents().get(volumeEvents().size() - 1));
        assertEquals("mysos-orders-2", released.volumeId());
        assertEquals("agent agent-2 (db2) did not offer it back within 10 min", released.cause());
        assertEquals(List.of(), lastDemand().reusable());
        var holds = holds();
        assertEquals(new ResourceSide.HoldVolumes("orders", List.of("mysos-orders-1")), holds.get(holds.size() - 1));

        // A match made on the old demand no longer takes the volume; a new agent gets a new one.
        assertInstanceOf(OfferRouter.Rejected.class, placeOn(2, Optional.of("mysos-orders-2")));
        var replacement = placedOn(3, Optional.empty());
        assertEquals(new ClusterEvent.VolumeCreated("mysos-orders-3", replacement, "agent-3", "db3"),
                volumeEvents().get(volumeEvents().size() - 1));
    }

    @Test
    void anUpdateIsAcknowledgedOnlyOnceRecorded() {
        var tasks = twoNodesOnVolumes();
        sim.cluster.tell(new ClusterActor.StatusUpdate(new TaskStatus(tasks.get(1), TaskState.FAILED, "mysqld died")));
        sim.cluster.tell(new ClusterActor.Relay(sim.resources.ref(), new ResourceSide.Acknowledge("ack-7")));
        sim.settle();
        assertTrue(ClusterSimulation.takeQueued(sim.resources).contains(new ResourceSide.Acknowledge("ack-7")));
        assertTrue(sim.journal.persistedInStorage(sim.pid()).stream().anyMatch(e -> e instanceof ClusterEvent.TaskStateChanged changed
                && changed.taskId().equals(tasks.get(1)) && changed.state() == TaskState.FAILED), "recorded before the acknowledgement");
    }
}

package io.mysos.actors.cluster;

import akka.actor.typed.ActorRef;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.cluster.Volumes;
import io.mysos.core.failover.Decision;
import io.mysos.core.offer.Placement;
import io.mysos.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The volume events a cluster actor records along with its other decisions (the decisions are
 * {@link Volumes}'), and the acknowledgement of status updates once recorded.
 */
final class ClusterVolumeEvents {
    private ClusterVolumeEvents() {}

    /** A placement taken: the instance, and the volume it creates or reuses, in one write before the launch. */
    static List<ClusterEvent> placed(TaskId taskId, Placement p) {
        var events = new ArrayList<ClusterEvent>();
        events.add(new ClusterEvent.ReplicaAdded(taskId, p.agentId(), p.host(), p.port(), p.resources()));
        p.volumeFor(taskId).ifPresent(volume -> events.add(volume.create()
                ? new ClusterEvent.VolumeCreated(volume.id(), taskId, p.agentId(), p.host())
                : new ClusterEvent.VolumeReused(volume.id(), taskId)));
        return events;
    }

    /** The converge tick's decision, plus the volumes given up by now. */
    static Decision withReleases(ClusterLife life, Decision decision, Instant now, Duration agentGoneAfter) {
        var released = Volumes.toRelease(life, now, agentGoneAfter);
        if (released.isEmpty()) {
            return decision;
        }
        var events = new ArrayList<>(decision.events());
        events.addAll(released);
        return new Decision(events, decision.actions(), decision.observed());
    }

    /** A relaunch on a volume only while the cluster still waits for it (not given up meanwhile). */
    static boolean canTake(ClusterLife life, Placement p) {
        return p.reuse().map(id -> Volumes.reusable(life).stream().anyMatch(v -> v.id().equals(id))).orElse(true);
    }

    /**
     * The acknowledgement of a status update goes out once its cluster has written the update's
     * events: relayed behind the update (a persisting actor handles its next command only then). An
     * update for no cluster has nothing to write.
     */
    static void acknowledgeOnceRecorded(ResourceSide.TaskStatusReceived received,
                                        Optional<ActorRef<ClusterActor.Command>> cluster,
                                        ActorRef<ResourceSide.Command> resources) {
        received.ack().map(ResourceSide.Acknowledge::new).ifPresent(ack -> cluster.ifPresentOrElse(
                c -> c.tell(new ClusterProtocol.Relay(resources, ack)), () -> resources.tell(ack)));
    }
}

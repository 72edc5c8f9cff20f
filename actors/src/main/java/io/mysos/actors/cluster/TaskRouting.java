package io.mysos.actors.cluster;

import akka.actor.typed.ActorRef;
import io.mysos.actors.resource.ResourceSide;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * Where the registry sends what the resource side reports of tasks: to the actor of the task's
 * cluster. A status update is acknowledged once that actor has recorded it (or at once if no cluster
 * has the task), and a live task that no registered cluster has is killed.
 */
final class TaskRouting {
    private TaskRouting() {}

    static void route(ResourceSide.TaskEvent event, Function<String, Optional<ActorRef<ClusterActor.Command>>> clusterActor,
                      ActorRef<ResourceSide.Command> resources, Logger log) {
        if (event instanceof ResourceSide.TaskStatusReceived received) {
            var status = received.status();
            var child = clusterActor.apply(status.taskId().cluster());
            child.ifPresent(c -> c.tell(new ClusterActor.StatusUpdate(status)));
            ClusterVolumeEvents.acknowledgeOnceRecorded(received, child, resources);
            if (child.isEmpty() && !status.state().isTerminal()) {
                log.warn("Killing task {}: no cluster {} is registered", status.taskId(), status.taskId().cluster());
                resources.tell(new ResourceSide.Kill(status.taskId()));
            }
        } else if (event instanceof ResourceSide.ExecutorMessageReceived received) {
            clusterActor.apply(received.report().taskId().cluster())
                    .ifPresent(c -> c.tell(new ClusterActor.ReportReceived(received.report())));
        }
    }
}

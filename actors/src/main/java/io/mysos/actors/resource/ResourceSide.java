package io.mysos.actors.resource;

import akka.actor.typed.ActorRef;
import io.mysos.actors.JsonSerializable;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.task.TaskId;
import java.util.List;

/**
 * The protocol every source of resources speaks: the Mesos gateway in production, the local agent
 * on one machine. It offers resources to the {@link OfferRouter}, launches and kills tasks, carries
 * scheduler commands to executors, and sends task status updates to the {@link ClusterRegistry}.
 */
public final class ResourceSide {
    private ResourceSide() {}

    public interface Command extends JsonSerializable {}

    /** Wires the resource side to the actors it reports to; sent once at start. */
    public record Attach(ActorRef<OfferRouter.Command> router, ActorRef<ClusterRegistry.Command> registry) implements Command {}

    /** Launch these tasks with the resources of one offer (all in one accept). */
    public record Launch(String offerId, List<TaskData> tasks) implements Command {}

    /** Give these offers back unused. */
    public record Decline(List<String> offerIds) implements Command {}

    /** Kill a task; the kill is confirmed by a KILLED status update. */
    public record Kill(TaskId taskId) implements Command {}

    /** Carry a scheduler command to the executor of a task. */
    public record Send(TaskId taskId, ExecutorCommand command) implements Command {}

    /**
     * The tasks a cluster believes it has, after the scheduler (re)started: report each one's real
     * state, re-adopting or restarting what can be, and LOST for what cannot.
     */
    public record Reconcile(List<TaskData> tasks) implements Command {}

    /** Offers are wanted again (a demand appeared). */
    public enum Revive implements Command { INSTANCE }

    /** No demand: stop sending offers. */
    public enum Suppress implements Command { INSTANCE }
}

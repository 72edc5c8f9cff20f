package io.mysos.actors.resource;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.mysos.actors.JsonSerializable;
import io.mysos.core.offer.Offer;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.task.TaskId;
import java.util.List;

/**
 * The protocol every source of resources speaks: the Mesos gateway in production, the local agent
 * on one machine. Inbound ({@link Command}): launch and kill tasks, carry scheduler commands to
 * executors, revive or suppress offers. Outbound ({@link Event}): offers and the connection go to
 * whoever subscribed to {@link OfferEvent}s (the offer router), task status updates and executor
 * messages to whoever subscribed to {@link TaskEvent}s (the cluster registry). The resource side
 * knows no other actor's types: its consumers adapt these events into their own protocols.
 */
public final class ResourceSide {
    private ResourceSide() {}

    public interface Command extends JsonSerializable {}

    /** Send offers and connection changes here from now on (the latest subscriber wins; resubscribing is harmless). */
    public record SubscribeOffers(ActorRef<OfferEvent> subscriber) implements Command {}

    /** Send task status updates and executor messages here from now on (the latest subscriber wins). */
    public record SubscribeTasks(ActorRef<TaskEvent> subscriber) implements Command {}

    /**
     * Launch these tasks with the resources of one offer (all in one accept). {@code volumes}: the
     * persistent volume each task keeps its data on, created with it or reused (none locally).
     */
    public record Launch(String offerId, List<TaskData> tasks, List<TaskVolume> volumes) implements Command {
        public Launch {
            volumes = volumes == null ? List.of() : List.copyOf(volumes);
        }

        public Launch(String offerId, List<TaskData> tasks) {
            this(offerId, tasks, List.of());
        }
    }

    /** Task {@code taskId} keeps its data on persistent volume {@code volumeId}: {@code create} it (on reserved resources), or reuse it. */
    public record TaskVolume(TaskId taskId, String volumeId, boolean create) {}

    /** The persistent volumes {@code cluster} holds now (every one it holds: the others of its volumes may be destroyed). */
    public record HoldVolumes(String cluster, List<String> volumeIds) implements Command {
        public HoldVolumes {
            volumeIds = List.copyOf(volumeIds);
        }
    }

    /** The clusters that exist (the registry's list): volumes of any other cluster may be destroyed. */
    public record ClustersKnown(List<String> names) implements Command {
        public ClustersKnown {
            names = List.copyOf(names);
        }
    }

    /** The status update that carried {@code token} is recorded: acknowledge it to the resources. */
    public record Acknowledge(String token) implements Command {}

    /** Give these offers back unused. */
    public record Decline(List<String> offerIds) implements Command {}

    /** Kill a task; the kill is confirmed by a KILLED status update. */
    public record Kill(TaskId taskId) implements Command {}

    /**
     * This task ended and will not come back (a replica replaced, a master failed over, a replica
     * let go, a cluster deleted): free what it holds. Locally its mysqld and sandbox are removed;
     * under Mesos it will mean destroying its persistent volume. Idempotent; a task still running
     * is stopped first.
     */
    public record Release(TaskId taskId) implements Command {}

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

    // ---------------------------------------------------------------- outbound

    /** What a resource side reports. */
    public sealed interface Event extends JsonSerializable {}

    /** About offers and the connection to the resources: for the offer router. */
    public sealed interface OfferEvent extends Event {}

    /** Connected or reconnected: offers may follow; any offer sent before a {@link Disconnected} is void. */
    public enum Connected implements OfferEvent { INSTANCE }

    /** The connection to the resources is lost; offers sent so far are void. */
    public enum Disconnected implements OfferEvent { INSTANCE }

    public record OffersReceived(List<Offer> offers) implements OfferEvent {
        public OffersReceived {
            offers = List.copyOf(offers);
        }
    }

    public record OfferRescinded(String offerId) implements OfferEvent {}

    /** About tasks: for the cluster registry, which routes them to the clusters. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
    @JsonSubTypes({@JsonSubTypes.Type(value = TaskStatusReceived.class, name = "status"),
            @JsonSubTypes.Type(value = ExecutorMessageReceived.class, name = "executor-message")})
    public sealed interface TaskEvent extends Event {}

    /**
     * {@code ack}: the update is acknowledged (and not sent again) once the cluster has recorded it:
     * send {@link Acknowledge} with this token after that (empty: nothing to acknowledge).
     */
    public record TaskStatusReceived(TaskStatus status, java.util.Optional<String> ack) implements TaskEvent {
        public TaskStatusReceived {
            ack = ack == null ? java.util.Optional.empty() : ack;
        }

        public TaskStatusReceived(TaskStatus status) {
            this(status, java.util.Optional.empty());
        }
    }

    /** A message from the executor of a task (a position, a promotion done, ...). */
    public record ExecutorMessageReceived(ExecutorReport report) implements TaskEvent {}
}

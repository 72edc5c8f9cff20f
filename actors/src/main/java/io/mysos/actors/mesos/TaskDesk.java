package io.mysos.actors.mesos;

import akka.actor.typed.ActorRef;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * The gateway's side of the tasks: what Mesos says of them goes to the task subscriber (the cluster
 * registry), each update acknowledged only once its cluster has recorded it ({@link PendingAcks});
 * the tasks an agent or executor failure takes are reported lost. Runs inside the gateway actor.
 */
final class TaskDesk {
    private final KnownTasks tasks = new KnownTasks();
    private final PendingAcks acks = new PendingAcks();
    private final Consumer<Protos.TaskStatus> acknowledge;
    private final org.slf4j.Logger log;
    private Optional<ActorRef<ResourceSide.TaskEvent>> subscriber = Optional.empty();

    TaskDesk(Consumer<Protos.TaskStatus> acknowledge, org.slf4j.Logger log) {
        this.acknowledge = acknowledge;
        this.log = log;
    }

    KnownTasks tasks() {
        return tasks;
    }

    void subscribe(ActorRef<ResourceSide.TaskEvent> newSubscriber) {
        subscriber = Optional.of(newSubscriber);
    }

    /** To the clusters, acknowledged once recorded ({@link ResourceSide.Acknowledge}); without a subscriber Mesos keeps it. */
    void update(Protos.TaskStatus status, Consumer<TaskId> heardOf) {
        var translated = MesosStatuses.toStatus(status);
        if (translated.isEmpty()) {
            log.warn("Ignoring an update for task {}, which is not a Mysos task", status.getTaskId().getValue());
            acks.await(status).flatMap(acks::recorded).ifPresent(acknowledge);
            return;
        }
        if (subscriber.isEmpty()) {
            return;
        }
        tasks.observed(translated.get(), status);
        heardOf.accept(translated.get().taskId());
        subscriber.get().tell(new ResourceSide.TaskStatusReceived(translated.get(), acks.await(status)));
    }

    /** The cluster recorded the update: acknowledge it, unless the subscription it came on is gone (Mesos sends it again). */
    void recorded(String token, boolean subscribed) {
        acks.recorded(token).filter(status -> subscribed).ifPresent(acknowledge);
    }

    void message(Event.Message message) {
        try {
            var report = MesosJson.report(message.getData().toByteArray());
            subscriber.ifPresent(s -> s.tell(new ResourceSide.ExecutorMessageReceived(report)));
        } catch (RuntimeException e) {
            log.warn("Ignoring a message from executor {}: {}", message.getExecutorId().getValue(), e.getMessage());
        }
    }

    /** An agent is lost: so are its tasks. An executor ended: so did its task (Mesos says so in updates too, when it can). */
    void failure(Event.Failure failure) {
        log.warn("Mesos reports a failure: {}", MesosEvents.describe(failure));
        var lost = failure.hasExecutorId()
                ? MesosTasks.taskOf(failure.getExecutorId()).filter(tasks::isLive).stream().toList()
                : tasks.liveOn(failure.getAgentId());
        var why = failure.hasExecutorId() ? "its executor ended (status " + failure.getStatus() + ")"
                : "agent " + failure.getAgentId().getValue() + " was lost";
        for (var task : lost) {
            tasks.lost(task);
            report(task, why);
        }
    }

    void lost(List<TaskData> launched, String why) {
        launched.forEach(t -> report(t.taskId(), why));
    }

    /** The subscription is gone: updates not yet acknowledged come again on the next one. */
    void disconnected() {
        acks.clear();
    }

    private void report(TaskId task, String why) {
        subscriber.ifPresent(s -> s.tell(new ResourceSide.TaskStatusReceived(new TaskStatus(task, TaskState.LOST, why))));
    }
}

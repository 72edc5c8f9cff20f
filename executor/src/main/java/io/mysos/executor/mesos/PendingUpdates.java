package io.mysos.executor.mesos;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.executor.Protos.Call;

/**
 * What the agent has not acknowledged yet: status updates (by uuid, in the order they were made, so
 * a task's updates reach the agent in order) and launched tasks none of whose updates is
 * acknowledged. Both go into every SUBSCRIBE, so an agent that restarted learns what it missed; the
 * agent drops an update whose uuid it already has, so sending one twice is safe. Not thread-safe:
 * the executor guards it.
 */
final class PendingUpdates {
    private record Pending(Call.Update update, Instant lastSent) {}

    private final Map<ByteString, Pending> updates = new LinkedHashMap<>();
    private final Map<TaskID, TaskInfo> tasks = new LinkedHashMap<>();

    /** A task the agent handed over: unacknowledged until one of its updates is. */
    void launched(TaskInfo task) {
        tasks.putIfAbsent(task.getTaskId(), task);
    }

    /** An update about to be sent at {@code now}; kept until the agent acknowledges its uuid. */
    void sent(Call.Update update, Instant now) {
        updates.put(update.getStatus().getUuid(), new Pending(update, now));
    }

    /** The agent acknowledged {@code uuid}: returns the update it was, or empty for one not (or no longer) pending. */
    Optional<Call.Update> acknowledge(TaskID task, ByteString uuid) {
        var pending = updates.get(uuid);
        if (pending == null || !pending.update().getStatus().getTaskId().equals(task)) {
            return Optional.empty();
        }
        updates.remove(uuid);
        tasks.remove(task);
        return Optional.of(pending.update());
    }

    /** The updates still unacknowledged, oldest first: for a SUBSCRIBE. */
    List<Call.Update> updates() {
        return updates.values().stream().map(Pending::update).toList();
    }

    /** The tasks none of whose updates is acknowledged yet: for a SUBSCRIBE. */
    List<TaskInfo> tasks() {
        return List.copyOf(tasks.values());
    }

    /**
     * The updates last sent more than {@code interval} before {@code now}, oldest first, counted as
     * sent again at {@code now}: an update whose call failed, or whose acknowledgement was lost.
     */
    List<Call.Update> due(Instant now, Duration interval) {
        var due = new ArrayList<Call.Update>();
        for (var entry : updates.entrySet()) {
            if (!entry.getValue().lastSent().plus(interval).isAfter(now)) {
                due.add(entry.getValue().update());
                entry.setValue(new Pending(entry.getValue().update(), now));
            }
        }
        return due;
    }

    boolean isEmpty() {
        return updates.isEmpty() && tasks.isEmpty();
    }
}

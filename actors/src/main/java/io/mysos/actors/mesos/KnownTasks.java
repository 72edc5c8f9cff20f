package io.mysos.actors.mesos;

import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.task.TaskId;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos;

/**
 * What the gateway knows of the tasks: the agent each was launched on or last reported from (kills
 * and messages name it), and which ones are believed not terminal (reconciled after every subscription).
 */
final class KnownTasks {
    private final Map<TaskId, Protos.AgentID> agents = new HashMap<>();
    private final Set<TaskId> live = new LinkedHashSet<>();

    void launched(TaskId task, Protos.AgentID agent) {
        agents.put(task, agent);
        live.add(task);
    }

    /** Tasks a cluster believes it has (after a restart): their agents are learnt from the reconciliation. */
    void believed(List<TaskId> tasks) {
        live.addAll(tasks);
    }

    void observed(TaskStatus status, Protos.TaskStatus raw) {
        if (raw.hasAgentId()) {
            agents.put(status.taskId(), raw.getAgentId());
        }
        if (status.state().isTerminal()) {
            live.remove(status.taskId());
        } else {
            live.add(status.taskId());
        }
    }

    /** Reported lost by the gateway itself (its agent or executor is gone). */
    void lost(TaskId task) {
        live.remove(task);
    }

    List<TaskId> liveOn(Protos.AgentID agent) {
        return live.stream().filter(t -> agent.equals(agents.get(t))).toList();
    }

    Optional<Protos.AgentID> agent(TaskId task) {
        return Optional.ofNullable(agents.get(task));
    }

    boolean isLive(TaskId task) {
        return live.contains(task);
    }

    List<TaskId> live() {
        return List.copyOf(live);
    }
}

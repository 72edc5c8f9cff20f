package io.mysos.core.failover;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterEvent.ClusterTerminated;
import io.mysos.core.cluster.ClusterEvent.TaskStateChanged;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.protocol.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What a task status update means for a cluster being deleted: every instance is killed; the life ends with the last one. */
public final class Deletion {
    private Deletion() {}

    public static Decision onStatus(ClusterLife life, Observed observed, TaskStatus status, Instant now) {
        var id = status.taskId();
        var known = life.instance(id);
        boolean terminal = status.state().isTerminal();
        if (known.isEmpty() || known.get().state().isTerminal()
                || (known.get().state() == status.state() && known.get().message().equals(status.message()))) {
            return terminal ? Decision.nothing(observed) : Decision.act(List.of(new Action.Kill(id)), observed);
        }
        var events = new ArrayList<ClusterEvent>();
        events.add(new TaskStateChanged(id, status.state(), status.message(), now));
        if (terminal && life.live().stream().allMatch(i -> i.taskId().equals(id))) {
            events.addAll(io.mysos.core.cluster.Volumes.releaseAll(life, "cluster deleted", now));
            events.add(new ClusterTerminated(now));
        }
        var next = terminal ? observed.forget(id) : observed.unconfirm(id);
        var actions = !terminal ? List.<Action>of(new Action.Kill(id))
                : events.stream().anyMatch(ClusterTerminated.class::isInstance) ? releases(life) : List.<Action>of();
        return new Decision(events, actions, next);
    }

    /** Deletion was requested: every live instance is killed; without any, the life ends at once. */
    public static Decision start(ClusterLife life, Observed observed, Instant now) {
        List<ClusterEvent> events = new ArrayList<>(List.of(new ClusterEvent.ClusterDeletionRequested(now)));
        if (life.live().isEmpty()) {
            events.addAll(io.mysos.core.cluster.Volumes.releaseAll(life, "cluster deleted", now));
            events.add(new ClusterTerminated(now));
        }
        return new Decision(events, life.live().isEmpty() ? releases(life) : kills(life), observed);
    }

    /** At the end of a deleted cluster's life: every instance it still knows is freed, so nothing of it is left behind. */
    static List<Action> releases(ClusterLife life) {
        return life.instances().stream().map(i -> (Action) new Action.Release(i.taskId())).toList();
    }

    /** The kills a deletion sends (at its start, and again on every converge tick until the instances are gone). */
    public static List<Action> kills(ClusterLife life) {
        return life.live().stream().map(i -> (Action) new Action.Kill(i.taskId())).toList();
    }
}

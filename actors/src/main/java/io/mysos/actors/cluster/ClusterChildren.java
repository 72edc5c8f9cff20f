package io.mysos.actors.cluster;

import akka.actor.typed.ActorRef;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The registry's cluster actors, by cluster name: the one running for each name, those told to stop
 * whose termination has not been seen yet (their names are not free), what each running one shows
 * of its cluster, and how often each stopped on its own (not kept across restarts of the registry).
 */
final class ClusterChildren {
    /** What a terminated cluster actor was. */
    enum Ended { STOPPED_AS_TOLD, STOPPED_ON_ITS_OWN, UNKNOWN }

    private final Function<String, ActorRef<ClusterActor.Command>> spawner;
    private final Map<String, ActorRef<ClusterActor.Command>> running = new HashMap<>();
    private final Map<String, ActorRef<ClusterActor.Command>> stopping = new HashMap<>();
    private final Map<String, ClusterView> views = new HashMap<>();
    private final Map<String, Integer> respawns = new HashMap<>();

    /** {@code spawner} starts (and watches) the actor of a name. */
    ClusterChildren(Function<String, ActorRef<ClusterActor.Command>> spawner) {
        this.spawner = spawner;
    }

    Optional<ActorRef<ClusterActor.Command>> running(String name) {
        return Optional.ofNullable(running.get(name));
    }

    boolean stopping(String name) {
        return stopping.containsKey(name);
    }

    /** Whether the running actor of {@code name} shows its cluster being deleted: the name is about to be free. */
    boolean deleting(String name) {
        var view = views.get(name);
        return running.containsKey(name) && view != null && view.status() == io.mysos.core.cluster.ClusterStatus.DELETING;
    }

    /** Starts the actor of {@code name}; the caller made sure no earlier one of the name is still stopping. */
    ActorRef<ClusterActor.Command> spawn(String name) {
        var child = spawner.apply(name);
        running.put(name, child);
        return child;
    }

    /** The cluster of {@code name} is gone: its actor (if any) is to be stopped, and its name is busy until it has. */
    Optional<ActorRef<ClusterActor.Command>> stop(String name) {
        var child = Optional.ofNullable(running.remove(name));
        views.remove(name);
        respawns.remove(name);
        child.ifPresent(c -> stopping.put(name, c));
        return child;
    }

    Ended terminated(String name, ActorRef<ClusterActor.Command> child) {
        if (stopping.get(name) == child) {
            stopping.remove(name);
            return Ended.STOPPED_AS_TOLD;
        }
        if (running.get(name) == child) {
            running.remove(name);
            views.remove(name);
            return Ended.STOPPED_ON_ITS_OWN;
        }
        return Ended.UNKNOWN;
    }

    /** Counted apart from creates, so an actor that keeps failing waits longer each time. */
    int respawned(String name) {
        return respawns.merge(name, 1, Integer::sum);
    }

    void viewChanged(String name, Optional<ClusterView> view) {
        if (running.containsKey(name)) {
            view.ifPresentOrElse(v -> views.put(name, v), () -> views.remove(name));
        }
    }

    List<ClusterView> views() {
        return views.values().stream().sorted(Comparator.comparing(ClusterView::name)).toList();
    }
}

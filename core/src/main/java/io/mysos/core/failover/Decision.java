package io.mysos.core.failover;

import io.mysos.core.cluster.ClusterEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What a decision returns: the events to record, then the actions to take and the bookkeeping to
 * keep once they are recorded. The actor persists {@code events} first; {@code actions} and
 * {@code observed} hold only after that.
 */
public record Decision(List<ClusterEvent> events, List<Action> actions, Observed observed) {
    public Decision {
        events = List.copyOf(events);
        actions = List.copyOf(actions);
    }

    public static Decision nothing(Observed observed) {
        return new Decision(List.of(), List.of(), observed);
    }

    public static Decision act(List<Action> actions, Observed observed) {
        return new Decision(List.of(), actions, observed);
    }

    /** This decision, then {@code next} (which was decided on the state after this one's events). */
    public Decision then(Decision next) {
        var allEvents = new ArrayList<>(events);
        allEvents.addAll(next.events);
        var allActions = new ArrayList<>(actions);
        allActions.addAll(next.actions);
        return new Decision(allEvents, allActions, next.observed);
    }

    public boolean records(Class<? extends ClusterEvent> type) {
        return events.stream().anyMatch(type::isInstance);
    }
}

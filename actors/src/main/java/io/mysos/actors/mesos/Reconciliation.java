package io.mysos.actors.mesos;

import io.mysos.core.task.TaskId;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Explicit reconciliation as Mesos documents it: ask about every task not yet heard of, and ask
 * again about those still silent after a pause that doubles each round up to a cap, until every
 * one has had a status update. Immutable: each step returns the next state.
 */
record Reconciliation(Set<TaskId> pending, Duration nextPause, Duration firstPause, Duration maxPause) {
    Reconciliation {
        pending = Set.copyOf(pending);
    }

    static Reconciliation idle(Duration firstPause, Duration maxPause) {
        return new Reconciliation(Set.of(), firstPause, firstPause, maxPause);
    }

    /** A new round about these tasks (on top of those still pending), starting at the first pause. */
    Reconciliation start(List<TaskId> tasks) {
        var all = new LinkedHashSet<>(pending);
        all.addAll(tasks);
        return new Reconciliation(all, firstPause, firstPause, maxPause);
    }

    /** A status update answers for its task. */
    Reconciliation heardOf(TaskId task) {
        if (!pending.contains(task)) {
            return this;
        }
        var rest = new LinkedHashSet<>(pending);
        rest.remove(task);
        return new Reconciliation(rest, nextPause, firstPause, maxPause);
    }

    /** The pause ran out: ask again about {@link #pending}, then wait twice as long (up to the cap). */
    Reconciliation askedAgain() {
        var doubled = nextPause.multipliedBy(2);
        return new Reconciliation(pending, doubled.compareTo(maxPause) > 0 ? maxPause : doubled, firstPause, maxPause);
    }

    boolean done() {
        return pending.isEmpty();
    }
}

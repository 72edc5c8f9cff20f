package io.mysos.actors.audit;

import io.mysos.actors.cluster.ClusterState;
import io.mysos.core.audit.HistoryCheck;
import io.mysos.core.audit.RecordedEvent;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.task.TaskId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Everything recorded under one cluster name, all its lives (a name deleted and created again keeps
 * its persistence id, {@code cluster|<name>}: each {@code ClusterCreated} starts a new life, its
 * incarnation, numbered from 1). The state at any moment is rebuilt by the cluster actor's own event
 * handler ({@link ClusterState#apply}).
 */
public record ClusterHistory(String cluster, List<RecordedEvent> events) {
    public ClusterHistory {
        events = List.copyOf(events);
    }

    /** One life of the name: its events from {@code ClusterCreated} to {@code ClusterTerminated} (if it ended). */
    public record Life(int incarnation, List<RecordedEvent> events) {}

    /** The cluster as rebuilt: {@code phase} is {@code none} (never created, or ended), {@code active} or {@code deleting}. */
    public record StateSummary(String cluster, String phase, int incarnation, long lastSeq, long epoch, Optional<TaskId> master,
                               int numNodes, List<Member> members) {}

    /** An instance of the rebuilt cluster. */
    public record Member(TaskId taskId, String host, int port, String state, boolean removed) {}

    /** The rebuilt state, or the first event that did not apply and why. */
    public record Replay(ClusterState state, StateSummary summary, Optional<Failure> failure) {}

    public record Failure(long seq, String type, String reason) {}

    public List<Life> lives() {
        var lives = new ArrayList<Life>();
        List<RecordedEvent> current = null;
        for (var recorded : events) {
            if (recorded.event() instanceof ClusterEvent.ClusterCreated) {
                current = new ArrayList<>();
                lives.add(new Life(lives.size() + 1, current));
            }
            if (current != null) {
                current.add(recorded);
            }
        }
        return lives.stream().map(l -> new Life(l.incarnation(), List.copyOf(l.events()))).toList();
    }

    /** The given life, or the newest one. */
    public Optional<Life> life(Optional<Integer> incarnation) {
        var lives = lives();
        if (incarnation.isEmpty()) {
            return lives.isEmpty() ? Optional.empty() : Optional.of(lives.get(lives.size() - 1));
        }
        return lives.stream().filter(l -> l.incarnation() == incarnation.get()).findFirst();
    }

    /** Replays every event. */
    public Replay replay() {
        return replay(e -> true);
    }

    /** The cluster as it was at {@code at}: every event the journal had written by then, replayed. */
    public Replay at(Instant at) {
        return replay(e -> !e.timestamp().isAfter(at));
    }

    /** The invariants of the whole history (see {@link HistoryCheck}). */
    public List<HistoryCheck.Violation> violations() {
        return HistoryCheck.check(events);
    }

    private Replay replay(Predicate<RecordedEvent> upTo) {
        ClusterState state = ClusterState.empty();
        int incarnation = 0;
        long lastSeq = 0;
        for (var recorded : events) {
            if (!upTo.test(recorded)) {
                break;
            }
            try {
                state = state.apply(recorded.event());
            } catch (RuntimeException e) {
                var failure = new Failure(recorded.seq(), recorded.type(), e.getMessage() == null ? e.toString() : e.getMessage());
                return new Replay(state, summary(state, incarnation, lastSeq), Optional.of(failure));
            }
            if (recorded.event() instanceof ClusterEvent.ClusterCreated) {
                incarnation++;
            }
            lastSeq = recorded.seq();
        }
        return new Replay(state, summary(state, incarnation, lastSeq), Optional.empty());
    }

    private StateSummary summary(ClusterState state, int incarnation, long lastSeq) {
        String phase = state instanceof ClusterState.Active ? "active" : state instanceof ClusterState.Deleting ? "deleting" : "none";
        var life = state.current();
        return new StateSummary(cluster, phase, incarnation, lastSeq, life.map(ClusterLife::epoch).orElse(0L),
                life.flatMap(ClusterLife::master), life.map(l -> l.spec().numNodes()).orElse(0),
                life.map(l -> l.instances().stream()
                        .map(i -> new Member(i.taskId(), i.host(), i.port(), i.state().name(), i.removed())).toList())
                        .orElse(List.of()));
    }
}

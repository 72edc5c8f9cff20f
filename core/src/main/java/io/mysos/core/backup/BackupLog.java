package io.mysos.core.backup;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterEvent.BackupCompleted;
import io.mysos.core.cluster.ClusterEvent.BackupDeleted;
import io.mysos.core.cluster.ClusterEvent.BackupFailed;
import io.mysos.core.cluster.ClusterEvent.BackupRequested;
import io.mysos.core.cluster.ClusterEvent.BackupScheduleChanged;
import io.mysos.core.cluster.ClusterEvent.BackupStarted;
import io.mysos.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A cluster name's backups as their events built them, and its schedule. It outlives a cluster's life:
 * deleting a cluster keeps its backups, and a later cluster of the name continues the ids.
 * {@link #apply} is the event handler.
 */
public record BackupLog(List<Entry> entries, BackupPolicy policy, long count) {
    /** Entries kept for the API (the journal keeps all). */
    static final int KEPT = 200;

    public enum State { REQUESTED, RUNNING, COMPLETED, FAILED, DELETED }

    /** One backup. {@code location}, {@code bytes} and {@code position} are known once it completed. */
    public record Entry(String id, State state, String cause, Instant requestedAt, Optional<TaskId> source,
                        Optional<Instant> finishedAt, long bytes, String position, String location, String reason) {
        public boolean inFlight() {
            return state == State.REQUESTED || state == State.RUNNING;
        }

        Entry with(State newState) {
            return new Entry(id, newState, cause, requestedAt, source, finishedAt, bytes, position, location, reason);
        }
    }

    public BackupLog {
        entries = entries == null ? List.of() : List.copyOf(entries);
        policy = policy == null ? BackupPolicy.NONE : policy;
    }

    public static BackupLog empty() {
        return new BackupLog(List.of(), BackupPolicy.NONE, 0);
    }

    public BackupLog apply(ClusterEvent.BackupEvent event) {
        if (event instanceof BackupRequested e) {
            var added = new ArrayList<>(entries);
            added.add(new Entry(e.id(), State.REQUESTED, e.cause(), e.at(), Optional.empty(), Optional.empty(), 0, "", "", ""));
            var kept = added.subList(Math.max(0, added.size() - KEPT), added.size());
            return new BackupLog(kept, policy, count + 1);
        }
        if (event instanceof BackupStarted e) {
            return change(e.id(), b -> new Entry(b.id(), State.RUNNING, b.cause(), b.requestedAt(), Optional.of(e.source()),
                    Optional.empty(), 0, "", "", ""));
        }
        if (event instanceof BackupCompleted e) {
            return change(e.id(), b -> new Entry(b.id(), State.COMPLETED, b.cause(), b.requestedAt(), b.source(), Optional.of(e.at()),
                    e.bytes(), e.position(), e.location(), ""));
        }
        if (event instanceof BackupFailed e) {
            return change(e.id(), b -> new Entry(b.id(), State.FAILED, b.cause(), b.requestedAt(), b.source(), Optional.of(e.at()),
                    0, "", "", e.reason()));
        }
        if (event instanceof BackupDeleted e) {
            return change(e.id(), b -> b.with(State.DELETED));
        }
        var schedule = (BackupScheduleChanged) event;
        return new BackupLog(entries, new BackupPolicy(Duration.ofSeconds(schedule.intervalSeconds()), schedule.keep()), count);
    }

    public Optional<Entry> entry(String id) {
        return entries.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    public Optional<Entry> inFlight() {
        return entries.stream().filter(Entry::inFlight).findFirst();
    }

    /** Complete backups, oldest first. */
    public List<Entry> completed() {
        return entries.stream().filter(e -> e.state() == State.COMPLETED).toList();
    }

    public Optional<Entry> latestCompleted() {
        var done = completed();
        return done.isEmpty() ? Optional.empty() : Optional.of(done.get(done.size() - 1));
    }

    /** The newest backup that failed, if any. */
    public Optional<Entry> latestFailed() {
        var failed = entries.stream().filter(e -> e.state() == State.FAILED).toList();
        return failed.isEmpty() ? Optional.empty() : Optional.of(failed.get(failed.size() - 1));
    }

    /** When the last backup was asked for (any outcome), for the schedule. */
    public Optional<Instant> lastRequestedAt() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(entries.size() - 1).requestedAt());
    }

    private BackupLog change(String id, UnaryOperator<Entry> change) {
        return new BackupLog(entries.stream().map(e -> e.id().equals(id) ? change.apply(e) : e).toList(), policy, count);
    }
}

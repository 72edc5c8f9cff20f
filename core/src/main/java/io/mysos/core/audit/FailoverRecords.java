package io.mysos.core.audit;

import io.mysos.core.audit.FailoverRecord.Candidate;
import io.mysos.core.audit.FailoverRecord.Step;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.election.Position;
import io.mysos.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the failovers and switchovers out of one cluster life's events: each one opens with
 * {@code MasterLost} (or {@code ElectionStarted} for a switchover) and closes with
 * {@code FailoverCompleted}, or stays open (waiting for an operator, or still running). The first
 * master of epoch 0 is an election without a failover and yields no record.
 */
public final class FailoverRecords {
    private FailoverRecords() {}

    public static List<FailoverRecord> of(List<RecordedEvent> events) {
        var records = new ArrayList<FailoverRecord>();
        Draft draft = null;
        for (var recorded : events) {
            var event = recorded.event();
            var at = recorded.happenedAt();
            if (event instanceof ClusterEvent.MasterLost lost) {
                if (draft != null) {
                    records.add(draft.close("abandoned", Optional.of("the new master was lost too")));
                }
                draft = new Draft(lost.epoch() + 1, false, at, lost.cause(), Optional.of(lost.taskId()));
                draft.step(recorded, "master " + lost.taskId() + " of epoch " + lost.epoch() + " lost", "fenced (its task is killed)",
                        Optional.of(lost.cause()));
            } else if (event instanceof ClusterEvent.ElectionStarted started) {
                if (draft == null) {
                    draft = new Draft(started.epoch(), started.planned(), at, started.cause(), started.previousMaster());
                }
                draft.epoch = started.epoch();
                draft.planned = started.planned();
                draft.candidates = new ArrayList<>(started.candidates());
                draft.step(recorded, "election for epoch " + started.epoch() + " started" + (started.planned() ? " (switchover)" : ""),
                        "asking " + started.candidates(), Optional.empty());
            } else if (draft != null && event instanceof ClusterEvent.ReplicaLost lost) {
                draft.lost.add(lost.taskId());
                draft.step(recorded, "replica " + lost.taskId() + " lost", "left out of the election", Optional.of(lost.cause()));
            } else if (draft != null && event instanceof ClusterEvent.HistoriesDiverged diverged) {
                draft.positions = diverged.positions();
                draft.diverged = true;
                draft.step(recorded, "positions compared", "no candidate has every transaction; waiting for an operator",
                        Optional.of(diverged.mostAdvanced() + " lacks " + diverged.lacking()));
            } else if (draft != null && event instanceof ClusterEvent.MasterElected elected) {
                draft.elected(recorded, elected);
            } else if (draft != null && event instanceof ClusterEvent.FailoverCompleted completed) {
                draft.step(recorded, completed.newMaster() + " writable", "failover completed", Optional.empty());
                draft.completed(completed.millis());
                records.add(draft.close("completed", Optional.empty()));
                draft = null;
            } else if (draft != null && (event instanceof ClusterEvent.ClusterDeletionRequested
                    || event instanceof ClusterEvent.ClusterTerminated)) {
                draft.step(recorded, "cluster deletion", "failover abandoned", Optional.empty());
                records.add(draft.close("abandoned", Optional.empty()));
                draft = null;
            }
        }
        if (draft != null) {
            records.add(draft.close(draft.diverged ? "waiting for an operator" : "in progress", Optional.empty()));
        }
        return records;
    }

    /** Whether the winner's position covers every reported position, with nothing overruled; empty when nothing was compared. */
    static Optional<Boolean> writesSurvived(Optional<TaskId> winner, Map<String, String> positions, Map<String, List<String>> overruled) {
        if (winner.isEmpty() || positions.isEmpty()) {
            return Optional.empty();
        }
        if (!overruled.isEmpty()) {
            return Optional.of(false);
        }
        var mine = positions.get(winner.get().value());
        if (mine == null) {
            return Optional.empty();
        }
        try {
            var winning = Position.parse(mine);
            return Optional.of(positions.values().stream().allMatch(p -> winning.covers(Position.parse(p))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A failover being read: changed as its events come, then closed into a record. */
    private static final class Draft {
        long epoch;
        boolean planned;
        final Instant detectedAt;
        final String cause;
        final Optional<TaskId> failedMaster;
        List<TaskId> candidates = new ArrayList<>();
        Map<String, String> positions = Map.of();
        Map<String, List<String>> overruled = Map.of();
        Optional<TaskId> winner = Optional.empty();
        String why = "";
        final List<TaskId> lost = new ArrayList<>();
        final List<Step> steps = new ArrayList<>();
        Optional<Instant> endedAt = Optional.empty();
        Optional<Long> millis = Optional.empty();
        boolean diverged;

        Draft(long epoch, boolean planned, Instant detectedAt, String cause, Optional<TaskId> failedMaster) {
            this.epoch = epoch;
            this.planned = planned;
            this.detectedAt = detectedAt;
            this.cause = cause;
            this.failedMaster = failedMaster;
        }

        void step(RecordedEvent recorded, String step, String outcome, Optional<String> error) {
            steps.add(new Step(recorded.seq(), recorded.happenedAt(), step, outcome, error));
        }

        void elected(RecordedEvent recorded, ClusterEvent.MasterElected elected) {
            epoch = elected.epoch();
            positions = elected.positions();
            overruled = elected.overruled();
            winner = Optional.of(elected.taskId());
            for (var id : elected.positions().keySet()) {
                if (candidates.stream().noneMatch(c -> c.value().equals(id))) {
                    candidates.add(new TaskId(id));
                }
            }
            if (!overruled.isEmpty()) {
                why = "forced by an operator over diverged histories, discarding " + overruled;
            } else if (planned) {
                why = "the switchover's target, caught up with the retiring master";
            } else if (positions.size() <= 1) {
                why = "the only candidate that reported a position";
            } else {
                why = "its position covers every other candidate's";
            }
            step(recorded, elected.taskId() + " elected master of epoch " + elected.epoch(), "promoting; the others reparent",
                    Optional.empty());
        }

        void completed(long durationMillis) {
            millis = Optional.of(durationMillis);
            endedAt = Optional.of(detectedAt.plus(Duration.ofMillis(durationMillis)));
        }

        FailoverRecord close(String outcome, Optional<String> error) {
            error.ifPresent(e -> steps.add(new Step(steps.isEmpty() ? 0 : steps.get(steps.size() - 1).seq(),
                    steps.isEmpty() ? detectedAt : steps.get(steps.size() - 1).at(), "failover ended", outcome, error)));
            var reported = candidates.stream()
                    .map(id -> new Candidate(id, Optional.ofNullable(positions.get(id.value()))))
                    .toList();
            var behind = new LinkedHashSet<TaskId>();
            if (winner.isPresent()) {
                reported.stream().filter(c -> c.position().isEmpty() && !lost.contains(c.taskId()))
                        .forEach(c -> behind.add(c.taskId()));
            }
            overruled.keySet().forEach(id -> behind.add(new TaskId(id)));
            return new FailoverRecord(epoch, planned, detectedAt, cause, failedMaster, reported, winner, why, lost,
                    List.copyOf(behind), detectedAt, endedAt, millis, outcome, writesSurvived(winner, positions, overruled),
                    steps);
        }
    }
}

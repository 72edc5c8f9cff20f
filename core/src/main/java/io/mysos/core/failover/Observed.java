package io.mysos.core.failover;

import io.mysos.core.cluster.Lag;
import io.mysos.core.cluster.ShrinkRound;
import io.mysos.core.election.Position;
import io.mysos.core.task.TaskId;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a cluster's scheduler learned since it started and does not journal (a restart asks
 * again; every command is idempotent): which instances confirmed their role in this epoch, when
 * each STAGING instance was last launched or asked about, the positions reported in the open
 * election, whether the election passed its deadline with nobody to elect, a shrink waiting for
 * positions, why the router cannot place the cluster's demand, and how far each replica said it
 * is behind its master ({@code lags}, from the executors' health checks). Immutable: decisions return a
 * new one, which the actor keeps once the events it depends on are recorded.
 *
 * @param answers positions reported in the open election (how far each candidate can get)
 * @param applied how far each answering candidate has applied (breaks ties between equal positions)
 */
public record Observed(Set<TaskId> confirmed, Map<TaskId, Instant> staged, Map<TaskId, Position> answers,
                       Map<TaskId, Position> applied, boolean electionStalled, Optional<ShrinkRound> shrink,
                       Optional<String> shortfall, Map<TaskId, Lag> lags, Optional<ArchiveFailing> archiveFailing) {
    public Observed {
        confirmed = Set.copyOf(confirmed);
        staged = Map.copyOf(staged);
        answers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(answers));
        applied = Map.copyOf(applied);
        lags = Map.copyOf(lags);
        archiveFailing = archiveFailing == null ? Optional.empty() : archiveFailing;
    }

    /** The master's binary log archive fails since {@code since}, for {@code reason} (its executor said so). */
    public record ArchiveFailing(TaskId master, String reason, Instant since) {}

    public static Observed initial() {
        return new Observed(Set.of(), Map.of(), Map.of(), Map.of(), false, Optional.empty(), Optional.empty(), Map.of(), Optional.empty());
    }

    public boolean isConfirmed(TaskId task) {
        return confirmed.contains(task);
    }

    public Observed confirm(TaskId task) {
        var more = new HashSet<>(confirmed);
        more.add(task);
        return new Observed(more, staged, answers, applied, electionStalled, shrink, shortfall, lags, archiveFailing);
    }

    public Observed unconfirm(TaskId task) {
        var fewer = new HashSet<>(confirmed);
        fewer.remove(task);
        return new Observed(fewer, staged, answers, applied, electionStalled, shrink, shortfall, lags, archiveFailing);
    }

    public Observed stagedAt(TaskId task, Instant at) {
        var more = new HashMap<>(staged);
        more.put(task, at);
        return new Observed(confirmed, more, answers, applied, electionStalled, shrink, shortfall, lags, archiveFailing);
    }

    public Observed answered(TaskId task, Position position, Position appliedPosition) {
        var moreAnswers = new LinkedHashMap<>(answers);
        moreAnswers.put(task, position);
        var moreApplied = new HashMap<>(applied);
        moreApplied.put(task, appliedPosition);
        return new Observed(confirmed, staged, moreAnswers, moreApplied, electionStalled, shrink, shortfall, lags, archiveFailing);
    }

    /** A task ended: its answer no longer counts. */
    public Observed forget(TaskId task) {
        var fewerAnswers = new LinkedHashMap<>(answers);
        fewerAnswers.remove(task);
        var fewerApplied = new HashMap<>(applied);
        fewerApplied.remove(task);
        var fewerConfirmed = new HashSet<>(confirmed);
        fewerConfirmed.remove(task);
        var fewerLags = new HashMap<>(lags);
        fewerLags.remove(task);
        return new Observed(fewerConfirmed, staged, fewerAnswers, fewerApplied, electionStalled, shrink, shortfall, fewerLags, archiveFailing);
    }

    /** A new epoch begins (an election opened, or a master was elected): every role is to be confirmed again. */
    public Observed newRound() {
        return new Observed(Set.of(), staged, Map.of(), Map.of(), false, shrink, shortfall, lags, Optional.empty());
    }

    public Observed stalled() {
        return new Observed(confirmed, staged, answers, applied, true, shrink, shortfall, lags, archiveFailing);
    }

    public Observed withShrink(Optional<ShrinkRound> round) {
        return new Observed(confirmed, staged, answers, applied, electionStalled, round, shortfall, lags, archiveFailing);
    }

    public Observed withShortfall(Optional<String> reason) {
        return new Observed(confirmed, staged, answers, applied, electionStalled, shrink, reason, lags, archiveFailing);
    }

    /** How far {@code task} (a replica) last said it is behind its master. */
    public Optional<Lag> lag(TaskId task) {
        return Optional.ofNullable(lags.get(task));
    }

    /** Whether {@code task} last said it is catching up with its master. */
    public boolean isCatchingUp(TaskId task) {
        return lag(task).map(Lag::catchingUp).orElse(false);
    }

    public Observed withLag(TaskId task, Lag lag) {
        var more = new HashMap<>(lags);
        more.put(task, lag);
        return new Observed(confirmed, staged, answers, applied, electionStalled, shrink, shortfall, more, archiveFailing);
    }

    public Observed withArchiveFailing(Optional<ArchiveFailing> failing) {
        return new Observed(confirmed, staged, answers, applied, electionStalled, shrink, shortfall, lags, failing);
    }

    /** The cluster's life ended: nothing observed of it counts any more. */
    public Observed ended() {
        return new Observed(Set.of(), staged, Map.of(), Map.of(), false, Optional.empty(), Optional.empty(), Map.of(), Optional.empty());
    }
}

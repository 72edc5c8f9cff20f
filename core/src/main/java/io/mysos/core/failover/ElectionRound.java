package io.mysos.core.failover;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterEvent.HistoriesDiverged;
import io.mysos.core.cluster.ClusterEvent.MasterElected;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.cluster.ClusterLife.OpenElection;
import io.mysos.core.election.Election;
import io.mysos.core.election.Position;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.task.TaskId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One election, from its positions to its outcome: who is asked, when the round is ready, who
 * wins, and what happens at the deadline. Every replica that runs while the election is open is a
 * candidate (also one that started running after the election opened). The winner must have every
 * transaction any candidate has; when histories diverged nobody is promoted until an operator
 * forces one ({@link #force}).
 */
public final class ElectionRound {
    private ElectionRound() {}

    /** How an operator's forced promotion ends. */
    public sealed interface Forcing {}

    /** Promoted: record and carry out {@code decision}. */
    public record Forced(Decision decision) implements Forcing {}

    /** Refused, with a reason a person can act on. */
    public record Refused(String reason) implements Forcing {}

    /** Who is asked for a position: every running replica; in a planned switchover the target and the retiring master. */
    public static List<TaskId> asked(ClusterLife life, OpenElection election) {
        if (election.planned()) {
            var asked = new ArrayList<>(election.candidates());
            election.retiringMaster().ifPresent(asked::add);
            return asked;
        }
        return life.candidates();
    }

    /** Queries to those asked who have not answered (the target of a switchover is asked until it caught up). */
    public static List<Action> queries(ClusterLife life, Observed observed) {
        var election = life.election();
        if (election.isEmpty() || election.get().diverged().isPresent()) {
            return List.of();
        }
        var e = election.get();
        return asked(life, e).stream()
                .filter(task -> !observed.answers().containsKey(task) || (e.planned() && !e.retiringMaster().get().equals(task)))
                .map(task -> (Action) new Action.Send(task, new ExecutorCommand.QueryPosition(e.epoch())))
                .toList();
    }

    /** A position arrived: kept if it answers the open election, which may then be decided. */
    public static Decision onPosition(ClusterLife life, Observed observed, ExecutorReport.PositionReported reported, Instant now) {
        var election = life.election().filter(e -> e.epoch() == reported.epoch());
        if (election.isEmpty() || !asked(life, election.get()).contains(reported.taskId()) || !life.liveInstance(reported.taskId())) {
            return Decision.nothing(observed);
        }
        return settle(life, observed.answered(reported.taskId(), reported.position(), reported.applied()), now);
    }

    /**
     * Decides the open election once it has what it needs: every running candidate answered and no
     * other replica is still starting (a switchover: the target reached the retiring master's last
     * position).
     */
    public static Decision settle(ClusterLife life, Observed observed, Instant now) {
        var election = life.election();
        if (election.isEmpty() || election.get().diverged().isPresent()) {
            return Decision.nothing(observed);
        }
        var e = election.get();
        if (e.planned()) {
            var last = Optional.ofNullable(observed.answers().get(e.retiringMaster().get()));
            var target = e.candidates().get(0);
            var reached = Optional.ofNullable(observed.answers().get(target));
            boolean caughtUp = last.isPresent() && reached.isPresent() && reached.get().covers(last.get());
            return caughtUp ? elect(life, observed, new MasterElected(e.epoch(), target, positions(observed.answers())))
                    : Decision.nothing(observed);
        }
        var candidates = asked(life, e);
        if (candidates.isEmpty() || !observed.answers().keySet().containsAll(candidates) || !starting(life, e).isEmpty()) {
            return Decision.nothing(observed);
        }
        return decide(life, observed, e, now);
    }

    /**
     * Replicas whose mysqld is starting (e.g. restarting on its data directory after a scheduler
     * restart): one of them may hold the most transactions, so the election waits for them until
     * its deadline. A STAGING instance has never run, so it holds nothing to wait for.
     */
    public static List<TaskId> starting(ClusterLife life, OpenElection election) {
        return life.instances().stream()
                .filter(i -> i.state() == io.mysos.core.task.TaskState.STARTING && !i.removed() && !life.isMaster(i.taskId())
                        && !election.previousMaster().equals(Optional.of(i.taskId())))
                .map(io.mysos.core.cluster.Instance::taskId)
                .toList();
    }

    /**
     * The election's deadline: a switchover whose target did not catch up leaves the master where
     * it was (it has every write); a failover decides among those that answered, or, with nobody
     * to elect, keeps asking: an instance without a position is never promoted.
     */
    public static Decision onDeadline(ClusterLife life, Observed observed, long epoch, Instant now) {
        var election = life.election().filter(e -> e.epoch() == epoch && e.diverged().isEmpty());
        if (election.isEmpty()) {
            return Decision.nothing(observed);
        }
        var e = election.get();
        if (e.planned()) {
            return elect(life, observed, new MasterElected(e.epoch(), e.retiringMaster().get(), positions(observed.answers())));
        }
        var answered = observed.answers().keySet().stream().anyMatch(life::liveInstance);
        return answered ? decide(life, observed, e, now) : Decision.nothing(observed.stalled());
    }

    /**
     * An operator promotes {@code target} although histories diverged (or nobody answered): the
     * event records what every other instance held that the target lacks, so the loss is on record.
     */
    public static Forcing force(ClusterLife life, Observed observed, String target) {
        var election = life.election().filter(e -> !e.planned());
        if (election.isEmpty()) {
            return new Refused("no failover of cluster '" + life.spec().name() + "' waits for a forced promotion");
        }
        var e = election.get();
        var chosen = asked(life, e).stream().filter(t -> t.value().equals(target)).findFirst();
        if (chosen.isEmpty()) {
            return new Refused("target '" + target + "' is not a running replica of cluster '" + life.spec().name() + "'");
        }
        var answers = live(life, observed.answers());
        var own = Optional.ofNullable(answers.get(chosen.get()));
        var overruled = new LinkedHashMap<String, List<String>>();
        answers.forEach((task, position) -> {
            var lacking = own.map(p -> p.lacking(position)).orElse(List.of(position.toString()));
            if (!task.equals(chosen.get()) && !lacking.isEmpty()) {
                overruled.put(task.value(), lacking);
            }
        });
        var elected = new MasterElected(e.epoch(), chosen.get(), positions(answers), overruled);
        return new Forced(elect(life, observed, elected));
    }

    private static Decision decide(ClusterLife life, Observed observed, OpenElection e, Instant now) {
        var answers = live(life, observed.answers());
        var applied = observed.applied();
        var outcome = Election.decide(answers, applied);
        if (outcome.isEmpty()) {
            return Decision.nothing(observed);
        }
        if (outcome.get() instanceof Election.Diverged diverged) {
            var lacking = new LinkedHashMap<String, List<String>>();
            diverged.lacking().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparingLong(TaskId::serverId)))
                    .forEach(entry -> lacking.put(entry.getKey().value(), entry.getValue()));
            var event = new HistoriesDiverged(e.epoch(), positions(answers), diverged.mostAdvanced(), lacking, now);
            return new Decision(List.of(event), List.of(), observed);
        }
        var winner = ((Election.Elected) outcome.get()).winner();
        return elect(life, observed, new MasterElected(e.epoch(), winner, positions(answers)));
    }

    /** A master is elected: it is promoted; the others follow once it confirmed (see {@link Roles}). */
    private static Decision elect(ClusterLife life, Observed observed, MasterElected elected) {
        var after = life.apply(elected);
        var next = observed.newRound();
        return new Decision(List.<ClusterEvent>of(elected), Roles.driveAll(after, next), next);
    }

    private static Map<TaskId, Position> live(ClusterLife life, Map<TaskId, Position> answers) {
        return answers.entrySet().stream().filter(a -> life.liveInstance(a.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    private static Map<String, String> positions(Map<TaskId, Position> answers) {
        var positions = new LinkedHashMap<String, String>();
        answers.forEach((task, position) -> positions.put(task.value(), position.toString()));
        return positions;
    }
}

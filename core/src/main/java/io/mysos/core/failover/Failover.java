package io.mysos.core.failover;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterEvent.ElectionStarted;
import io.mysos.core.cluster.ClusterEvent.MasterElected;
import io.mysos.core.cluster.ClusterEvent.MasterLost;
import io.mysos.core.cluster.ClusterEvent.ReplicaLost;
import io.mysos.core.cluster.ClusterEvent.TaskStateChanged;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.cluster.Instance;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a failover is decided: what one task status update means for a running cluster (in the
 * manner of orchestrator's and VTOrc's analysis, then recovery). The first instance running in
 * epoch 0 becomes master; a master that ends is fenced and an election opens for the next epoch
 * ({@link ElectionRound} carries it on); a replica that ends is replaced; an instance that runs
 * while an election is open is asked for its position; and an instance back from the dead is
 * killed.
 */
public final class Failover {
    private Failover() {}

    /** What {@code status} means for {@code life}: the events to record, then the actions to take. */
    public static Decision onStatus(ClusterLife life, Observed observed, TaskStatus status, Instant now) {
        var id = status.taskId();
        var known = life.instance(id);
        if (known.isEmpty() || known.get().state().isTerminal()) {
            // Unknown, or given up for lost and back (e.g. an old master): fence it.
            return status.state().isTerminal() ? Decision.nothing(observed) : Decision.act(List.of(new Action.Kill(id)), observed);
        }
        var instance = known.get();
        if (instance.state() == status.state() && instance.message().equals(status.message())) {
            // Nothing new to record (e.g. an instance re-adopted after a restart), but it may still need its role.
            return Decision.act(Roles.drive(life, observed, List.of(instance)), observed);
        }
        var events = new ArrayList<ClusterEvent>();
        events.add(new TaskStateChanged(id, status.state(), status.message(), now));
        var next = status.state() == TaskState.RUNNING ? observed : observed.unconfirm(id);
        if (status.state().isTerminal()) {
            next = next.forget(id);
            events.addAll(ended(life, instance, cause(status), now));
        } else if (status.state() == TaskState.RUNNING && life.master().isEmpty() && life.epoch() == 0 && life.election().isEmpty()) {
            events.add(new MasterElected(0, id, Map.of()));
        }
        var after = life;
        for (var event : events) {
            after = after.apply(event);
        }
        if (events.stream().anyMatch(ElectionStarted.class::isInstance)) {
            var round = next.newRound();
            var actions = new ArrayList<Action>();
            events.stream().filter(MasterLost.class::isInstance)
                    .forEach(lost -> actions.add(new Action.Kill(((MasterLost) lost).taskId())));
            actions.addAll(ElectionRound.queries(after, round));
            return new Decision(events, actions, round);
        }
        // A replica recorded lost, or one let go by a shrink, will not come back: what it holds is freed.
        var releases = status.state().isTerminal() && !life.isMaster(id) ? List.<Action>of(new Action.Release(id)) : List.<Action>of();
        var recorded = new Decision(events, releases, next);
        if (after.election().isPresent()) {
            var election = after.election().get();
            var asks = status.state() == TaskState.RUNNING && !election.planned() && election.diverged().isEmpty()
                    ? List.<Action>of(new Action.Send(id, new ExecutorCommand.QueryPosition(election.epoch())))
                    : List.<Action>of();
            // A candidate that ends may be the last one the election was waiting for.
            return recorded.then(Decision.act(asks, next)).then(ElectionRound.settle(after, next, now));
        }
        if (status.state() != TaskState.RUNNING) {
            return recorded;
        }
        var actions = after.isMaster(id)
                // A (re)started master: promote it, and point every running replica at it.
                ? Roles.driveAll(after, next)
                : Roles.drive(after, next, after.instance(id).stream().toList());
        return new Decision(events, actions, next);
    }

    /** A status of a task when there is no cluster: whatever it is, it should not run. */
    public static Decision onStatusOfAStranger(Observed observed, TaskStatus status) {
        return status.state().isTerminal() ? Decision.nothing(observed)
                : Decision.act(List.of(new Action.Kill(status.taskId())), observed);
    }

    /** The events of an instance ending without being asked to. */
    static List<ClusterEvent> ended(ClusterLife life, Instance instance, String cause, Instant now) {
        if (life.isMaster(instance.taskId())) {
            return masterLost(life, instance.taskId(), cause, now);
        }
        if (instance.removed()) {
            return List.of();
        }
        return replicaLost(life, instance, cause, now);
    }

    /**
     * The master is gone: it is fenced (its task killed, whatever state it was reported in) and an
     * election for the next epoch opens among the replicas that run now (those that run later
     * are asked too). A master that dies while handing over turns the switchover into a failover.
     */
    static List<ClusterEvent> masterLost(ClusterLife life, TaskId master, String cause, Instant now) {
        var candidates = life.candidates();
        return List.of(new MasterLost(life.epoch(), master, cause, now),
                new ElectionStarted(life.epoch() + 1, Optional.of(master), candidates, cause, false, now));
    }

    /**
     * A replica ended without being asked to: it is recorded lost (with its time, which the
     * replacement back-off counts, so a restart of Mysos does not forget a crash loop), and the
     * cluster's demand asks for a replacement ({@link ClusterLife#needed}) once the back-off allows.
     */
    public static List<ClusterEvent> replicaLost(ClusterLife life, Instance replica, String cause, Instant now) {
        return List.of(new ReplicaLost(replica.taskId(), cause, now));
    }

    /**
     * After a restart: the instances that should run are reconciled (they may run, or never have
     * been launched), and what the ended ones still hold is freed again (a release may have been
     * lost with the scheduler), except a lost master's while its failover runs.
     */
    public static List<Action> onRecovery(ClusterLife life) {
        var actions = new ArrayList<Action>();
        if (!life.live().isEmpty()) {
            actions.add(new Action.Reconcile(life.live().stream().map(life::taskData).toList()));
        }
        var kept = new java.util.HashSet<TaskId>();
        life.election().flatMap(ClusterLife.OpenElection::previousMaster).ifPresent(kept::add);
        life.failover().flatMap(ClusterLife.PendingFailover::oldMaster).ifPresent(kept::add);
        life.instances().stream()
                .filter(i -> i.state().isTerminal() && !kept.contains(i.taskId()))
                .forEach(i -> actions.add(new Action.Release(i.taskId())));
        return actions;
    }

    private static String cause(TaskStatus status) {
        return status.state() + (status.message().isEmpty() ? "" : ": " + status.message());
    }
}

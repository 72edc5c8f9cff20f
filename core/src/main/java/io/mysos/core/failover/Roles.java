package io.mysos.core.failover;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterEvent.FailoverCompleted;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.cluster.Instance;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which command each instance needs for its role in the current epoch (the master promoted, the
 * replicas pointed at it), what the periodic converge loop re-sends, and what the executors'
 * confirmations change. Commands are idempotent and epoch-fenced, so re-sending is always safe.
 */
public final class Roles {
    private Roles() {}

    /**
     * The command for {@code instance}'s role, unless it already confirmed it. Replicas are pointed
     * at the master only once it confirmed it is writable: a new master applies what it received
     * before it takes writes, and a replica asking for a transaction not yet in the master's binary
     * log would stop replicating for good. Nothing during an election: the election asks instead.
     */
    public static Optional<Action> command(ClusterLife life, Observed observed, Instance instance) {
        if (observed.isConfirmed(instance.taskId()) || !instance.running() || life.election().isPresent() || instance.removed()) {
            return Optional.empty();
        }
        if (life.isMaster(instance.taskId())) {
            return Optional.of(new Action.Send(instance.taskId(), new ExecutorCommand.Promote(life.epoch())));
        }
        return life.masterInstance()
                .filter(m -> m.running() && observed.isConfirmed(m.taskId()))
                .map(m -> new Action.Send(instance.taskId(), new ExecutorCommand.Reparent(life.epoch(), m.host(), m.port())));
    }

    /** The commands every given instance needs. */
    public static List<Action> drive(ClusterLife life, Observed observed, List<Instance> instances) {
        return instances.stream().flatMap(i -> command(life, observed, i).stream()).toList();
    }

    /** After a master was (re)elected or (re)started: the master's promotion, and every running replica's reparent. */
    public static List<Action> driveAll(ClusterLife life, Observed observed) {
        return drive(life, observed, life.instances().stream().filter(Instance::running).toList());
    }

    /**
     * The periodic nudge, so lost messages heal: every unconfirmed role again, a kill for every
     * replica let go that still runs, and a reconcile for instances still STAGING long after their
     * launch (the offer's answer may have been lost; the resource side reports them LOST if it does
     * not run them).
     */
    public static Decision converge(ClusterLife life, Observed observed, Instant now, Duration stagingTimeout) {
        var actions = new ArrayList<Action>(drive(life, observed, life.instances()));
        life.instances().stream().filter(i -> i.removed() && i.live()).forEach(i -> actions.add(new Action.Kill(i.taskId())));
        var stuck = life.instances().stream()
                .filter(i -> i.state() == TaskState.STAGING)
                .filter(i -> !observed.staged().getOrDefault(i.taskId(), Instant.MIN).plus(stagingTimeout).isAfter(now))
                .toList();
        var next = observed;
        for (var instance : stuck) {
            next = next.stagedAt(instance.taskId(), now);
        }
        if (!stuck.isEmpty()) {
            actions.add(new Action.Reconcile(stuck.stream().map(life::taskData).toList()));
        }
        return Decision.act(actions, next);
    }

    /**
     * The master confirmed it is writable: its replicas follow it now (not a converge tick later),
     * and a failover waiting for this confirmation is complete.
     */
    public static Decision onPromoted(ClusterLife life, Observed observed, ExecutorReport.Promoted promoted, Instant now) {
        if (!life.isMaster(promoted.taskId()) || promoted.epoch() != life.epoch()) {
            return Decision.nothing(observed);
        }
        var next = observed.confirm(promoted.taskId());
        var actions = new ArrayList<Action>(observed.isConfirmed(promoted.taskId()) ? List.<Action>of()
                : drive(life, next, life.instances().stream().filter(i -> !life.isMaster(i.taskId())).toList()));
        var completed = life.failover().filter(f -> f.epoch() == promoted.epoch())
                .map(f -> new FailoverCompleted(f.epoch(), f.oldMaster(), promoted.taskId(),
                        Duration.between(f.startedAt(), now).toMillis(), f.cause()));
        if (completed.isPresent()) {
            // The old master's sandbox was kept while the failover ran; now it, and any instance
            // lost before (an earlier winner that died before its promotion), will not be needed again.
            life.instances().stream().filter(i -> i.state().isTerminal()).forEach(i -> actions.add(new Action.Release(i.taskId())));
        }
        return new Decision(completed.<ClusterEvent>map(e -> e).stream().toList(), actions, next);
    }

    /** A replica confirmed it replicates from the current master (a report naming an older master confirms nothing). */
    public static Observed onReparented(ClusterLife life, Observed observed, ExecutorReport.Reparented reparented) {
        if (reparented.epoch() != life.epoch()) {
            return observed;
        }
        boolean current = life.masterInstance()
                .filter(m -> m.host().equals(reparented.masterHost()) && m.port() == reparented.masterPort())
                .isPresent();
        return current ? observed.confirm(reparented.taskId()) : observed;
    }

    /**
     * A replica's health check said how far behind its master it is. Only a live replica's report
     * for the current epoch counts: one from before its last reparent measures another master.
     */
    public static Observed onReplicationLag(ClusterLife life, Observed observed, ExecutorReport.ReplicationLag report) {
        boolean replica = life.liveInstance(report.taskId()) && !life.isMaster(report.taskId());
        return replica && report.epoch() == life.epoch() ? observed.withLag(report.taskId(), report.lag()) : observed;
    }

    /** A command failed: the role is unconfirmed, and the converge loop sends it again. */
    public static Observed onCommandFailed(ClusterLife life, Observed observed, ExecutorReport.CommandFailed failed) {
        return failed.epoch() == life.epoch() ? observed.unconfirm(failed.taskId()) : observed;
    }
}

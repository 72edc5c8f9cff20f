package io.mysos.actors.mesos;

import akka.actor.typed.javadsl.TimerScheduler;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.task.TaskId;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * The gateway's calls that go out at a measured pace: RECONCILE rounds, repeated with a growing
 * pause for the tasks still silent ({@link Reconciliation}), and REVIVE, at most once per interval
 * ({@link ReviveLimit}). Runs inside the gateway actor, on its timers.
 */
final class CallPacing {
    /** The gateway's timers fire these; it hands them back to {@link #onTick} while subscribed. */
    enum Tick implements ResourceSide.Command { RECONCILE, REVIVE, IMPLICIT }

    private final TimerScheduler<ResourceSide.Command> timers;
    private final Consumer<Call> send;
    private Reconciliation reconciliation;
    private ReviveLimit reviveLimit;
    private final java.time.Duration implicitInterval;

    CallPacing(TimerScheduler<ResourceSide.Command> timers, Consumer<Call> send, MesosSettings settings) {
        this.timers = timers;
        this.send = send;
        this.reconciliation = Reconciliation.idle(settings.reconcileFirstPause(), settings.reconcileMaxPause());
        this.reviveLimit = ReviveLimit.of(settings.reviveInterval());
        this.implicitInterval = settings.implicitReconcileInterval();
    }

    /** From now on, implicit reconciliation (the master reports every task it knows of the framework) every interval. */
    void reconcileImplicitly() {
        timers.startTimerWithFixedDelay(Tick.IMPLICIT, implicitInterval);
    }

    /** Asks about these tasks now, and again about those still silent after the reconciliation's pause. */
    void reconcile(Protos.FrameworkID framework, List<TaskId> ids, KnownTasks tasks) {
        reconciliation = reconciliation.start(ids);
        askAbout(framework, ids, tasks);
        timers.startSingleTimer(Tick.RECONCILE, reconciliation.nextPause());
    }

    /** Whether tasks of an explicit reconciliation have not answered yet. */
    boolean reconciling() {
        return !reconciliation.done();
    }

    void heardOf(TaskId task) {
        reconciliation = reconciliation.heardOf(task);
    }

    /** REVIVE now, or once when the rate limit allows, however many revives are asked for meanwhile. */
    void revive(Protos.FrameworkID framework) {
        var now = Instant.now();
        var wait = reviveLimit.waitAt(now);
        if (wait.isZero()) {
            reviveLimit = reviveLimit.revivedAt(now);
            send.accept(MesosCalls.revive(framework));
        } else if (!timers.isTimerActive(Tick.REVIVE)) {
            timers.startSingleTimer(Tick.REVIVE, wait);
        }
    }

    void onTick(Tick tick, Protos.FrameworkID framework, KnownTasks tasks, boolean wantOffers) {
        if (tick == Tick.REVIVE && wantOffers) {
            revive(framework);
        }
        if (tick == Tick.IMPLICIT) {
            send.accept(MesosCalls.reconcileAll(framework));
        }
        if (tick == Tick.RECONCILE && !reconciliation.done()) {
            askAbout(framework, List.copyOf(reconciliation.pending()), tasks);
            reconciliation = reconciliation.askedAgain();
            timers.startSingleTimer(Tick.RECONCILE, reconciliation.nextPause());
        }
    }

    /** The subscription is gone: nothing goes out until the next one starts anew. */
    void stop() {
        timers.cancel(Tick.RECONCILE);
        timers.cancel(Tick.REVIVE);
        timers.cancel(Tick.IMPLICIT);
    }

    private void askAbout(Protos.FrameworkID framework, List<TaskId> ids, KnownTasks tasks) {
        send.accept(MesosCalls.reconcile(framework,
                ids.stream().map(id -> MesosCalls.reconcileTask(MesosTasks.taskId(id), tasks.agent(id))).toList()));
    }
}

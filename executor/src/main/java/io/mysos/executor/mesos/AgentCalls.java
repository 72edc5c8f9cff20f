package io.mysos.executor.mesos;

import io.mysos.core.task.TaskState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the executor says to its agent: status updates, kept until acknowledged and sent again
 * (every {@code resendInterval} while subscribed, and in the next SUBSCRIBE), and messages for the
 * scheduler, sent once. Calls go out one at a time in order, on a thread of their own, so neither a
 * runner nor the event loop waits for the agent.
 */
final class AgentCalls implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentCalls.class);
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final Agent agent;
    private final Calls calls;
    private final Clock clock;
    private final Duration resendInterval;
    private final ScheduledExecutorService outbox = Executors.newSingleThreadScheduledExecutor(runnable -> {
        var thread = new Thread(runnable, "mysos-executor-calls");
        thread.setDaemon(true);
        return thread;
    });
    // Guarded by this.
    private final PendingUpdates pending = new PendingUpdates();
    private boolean subscribed;

    AgentCalls(Agent agent, Calls calls, Clock clock, Duration resendInterval) {
        this.agent = agent;
        this.calls = calls;
        this.clock = clock;
        this.resendInterval = resendInterval;
        long every = Math.max(1, resendInterval.toMillis());
        outbox.scheduleWithFixedDelay(this::resendDue, every, every, TimeUnit.MILLISECONDS);
    }

    /** SUBSCRIBE with every task and update the agent has not acknowledged. */
    synchronized Call subscribeCall() {
        return calls.subscribe(pending.tasks(), pending.updates());
    }

    /** Whether calls can go out now: between the SUBSCRIBED event and the end of its stream. */
    synchronized void subscribed(boolean now) {
        subscribed = now;
    }

    synchronized void launched(TaskInfo task) {
        pending.launched(task);
    }

    /** A new status update for {@code task}, sent now when subscribed, and kept until acknowledged. */
    void update(TaskID task, TaskState state, String message) {
        var update = calls.update(task, state, message, clock.instant());
        synchronized (this) {
            pending.sent(update, clock.instant());
        }
        send(calls.updateCall(update), "update " + state + " of " + task.getValue());
    }

    /** A message for the scheduler; Mesos delivers it at most once, and the scheduler asks again when it must. */
    void message(byte[] data, String what) {
        send(calls.message(data), what);
    }

    /** Returns true when nothing is left unacknowledged. */
    synchronized boolean acknowledged(Event.Acknowledged ack) {
        if (pending.acknowledge(ack.getTaskId(), ack.getUuid()).isEmpty()) {
            log.debug("Acknowledgement of an update not pending for task {}", ack.getTaskId().getValue());
        }
        return pending.isEmpty();
    }

    private void send(Call call, String what) {
        try {
            outbox.execute(() -> {
                if (!isSubscribed()) {
                    log.debug("Not subscribed: {} waits for the next subscription", what);
                    return;
                }
                try {
                    agent.send(call);
                } catch (IOException e) {
                    log.warn("Could not send {}: {}", what, e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            log.warn("The executor stopped: {} not sent", what);
        }
    }

    private void resendDue() {
        List<Call.Update> due;
        synchronized (this) {
            if (!subscribed) {
                return;
            }
            due = pending.due(clock.instant(), resendInterval);
        }
        for (var update : due) {
            var status = update.getStatus();
            try {
                log.info("Sending update {} of {} again: not acknowledged yet", status.getState(), status.getTaskId().getValue());
                agent.send(calls.updateCall(update));
            } catch (IOException e) {
                log.warn("Could not send update {} of {} again: {}", status.getState(), status.getTaskId().getValue(),
                        e.getMessage());
            }
        }
    }

    private synchronized boolean isSubscribed() {
        return subscribed;
    }

    /** Sends what is queued (within a bound), then stops. */
    @Override
    public void close() {
        outbox.shutdown();
        try {
            if (!outbox.awaitTermination(DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("Calls still queued after {}; dropping them", DRAIN);
                outbox.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outbox.shutdownNow();
        }
    }
}

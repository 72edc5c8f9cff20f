package io.mysos.executor.mesos;

import io.mysos.core.InvalidInputException;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.task.TaskState;
import io.mysos.executor.mysql.MySqlInstallation;
import io.mysos.executor.task.StatusListener;
import io.mysos.executor.task.TaskRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.executor.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Mysos executor under a Mesos agent: subscribes to the agent's executor API, runs each launched
 * task's instance with the same {@link TaskRunner} as local mode, and turns what the runner reports
 * into status updates (kept and re-sent until acknowledged) and framework messages. Events are
 * handled on the thread that calls {@link #run}; runners report on their own threads.
 */
public final class MesosExecutor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MesosExecutor.class);
    /** How long an update may go unacknowledged before it is sent again on the same connection. */
    static final Duration RESEND_INTERVAL = Duration.ofSeconds(10);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);

    /** Makes the runner for a launched task; local mode's factory has the same shape. */
    @FunctionalInterface
    public interface Runners {
        TaskRunner create(TaskData data, Path sandbox, StatusListener listener);

        static Runners of(MySqlInstallation mysql, SchedulerKey key) {
            return (data, sandbox, listener) -> new TaskRunner(data, sandbox, mysql, key, listener);
        }

        /** With a backup store: tasks restore backups named in their data and take the backups asked for. */
        static Runners of(MySqlInstallation mysql, SchedulerKey key, java.util.Optional<io.mysos.executor.backup.InstanceBackups> backups) {
            return (data, sandbox, listener) -> new TaskRunner(data, sandbox, mysql, key, listener, TaskRunner.Timeouts.DEFAULT,
                    io.mysos.executor.isolation.Isolation.NONE, backups);
        }
    }

    /** How {@link #run} ended: the exit code a supervisor sees, and why. */
    public record Outcome(int exitCode, String reason) {}

    private final ExecutorEnvironment env;
    private final Agent agent;
    private final Runners runners;
    private final AgentCalls calls;
    private final Clock clock;
    // Guarded by this.
    private final Map<TaskID, TaskRunner> tasks = new LinkedHashMap<>();
    private final Set<TaskID> ended = new HashSet<>();
    private final Map<TaskID, CompletableFuture<Void>> endings = new LinkedHashMap<>();
    private boolean subscribed;
    /** Why the executor's work is over, once it is. */
    private Optional<String> over = Optional.empty();
    private Agent.Events events;

    public static MesosExecutor create(ExecutorEnvironment env, Runners runners) {
        return new MesosExecutor(env, new HttpAgent(env), runners, Clock.systemUTC(), RESEND_INTERVAL);
    }

    MesosExecutor(ExecutorEnvironment env, Agent agent, Runners runners, Clock clock, Duration resendInterval) {
        this.env = env;
        this.agent = agent;
        this.runners = runners;
        this.calls = new AgentCalls(agent, new Calls(env.frameworkId(), env.executorId()), clock, resendInterval);
        this.clock = clock;
    }

    /**
     * Subscribes and handles events until the executor's work is over: every task ended and its last
     * update acknowledged, a SHUTDOWN, or an agent gone for longer than it may be (then the instances
     * are stopped cleanly, their data kept, and the outcome is a failure).
     */
    public Outcome run() {
        var backoff = FIRST_BACKOFF;
        var disconnectedAt = clock.instant();
        try {
            while (!isDone()) {
                try (var stream = agent.subscribe(calls.subscribeCall())) {
                    synchronized (this) {
                        events = stream;
                    }
                    backoff = FIRST_BACKOFF;
                    var ended = handleEvents(stream);
                    if (ended.isPresent()) {
                        return ended.get();
                    }
                    log.warn("The agent at {} closed the event stream", env.executorApi());
                } catch (IOException | RuntimeException e) {
                    if (isDone()) {
                        break;
                    }
                    log.warn("No event stream from the agent at {}: {}", env.executorApi(), e.toString());
                }
                boolean wasSubscribed;
                synchronized (this) {
                    wasSubscribed = subscribed;
                    subscribed = false;
                    events = null;
                }
                calls.subscribed(false);
                if (wasSubscribed) {
                    if (!env.checkpoint()) {
                        return giveUp("lost the agent, and without checkpointing a restarted agent does not take executors back");
                    }
                    disconnectedAt = clock.instant();
                }
                if (Duration.between(disconnectedAt, clock.instant()).compareTo(env.recoveryTimeout()) > 0) {
                    return giveUp("no agent for longer than MESOS_RECOVERY_TIMEOUT (" + env.recoveryTimeout() + ")");
                }
                if (!sleep(backoff)) {
                    return giveUp("interrupted while waiting to subscribe again");
                }
                backoff = min(backoff.multipliedBy(2), env.subscriptionBackoffMax());
            }
            return new Outcome(0, overBecause());
        } finally {
            calls.close();
        }
    }

    /** Handles one subscription's events until the executor's work is over, or (empty) until the stream ends. */
    private Optional<Outcome> handleEvents(Agent.Events stream) throws IOException {
        while (true) {
            var next = stream.next();
            if (next.isEmpty()) {
                return Optional.empty();
            }
            handle(next.get());
            if (isDone()) {
                return Optional.of(new Outcome(0, overBecause()));
            }
        }
    }

    void handle(Event event) {
        switch (event.getType()) {
            case SUBSCRIBED -> subscribed(event.getSubscribed());
            case LAUNCH -> launch(event.getLaunch().getTask());
            case KILL -> kill(event.getKill().getTaskId());
            case ACKNOWLEDGED -> acknowledged(event.getAcknowledged());
            case MESSAGE -> message(event.getMessage().getData().toByteArray());
            case SHUTDOWN -> shutdown();
            case ERROR -> log.error("The agent reports an error: {}", event.getError().getMessage());
            default -> log.debug("Ignoring an event of type {}", event.getType());
        }
    }

    private void subscribed(Event.Subscribed subscribed) {
        synchronized (this) {
            this.subscribed = true;
        }
        calls.subscribed(true);
        log.info("Subscribed to agent {} ({}) as executor {} of framework {}", subscribed.getAgentInfo().getId().getValue(),
                subscribed.getAgentInfo().getHostname(), env.executorId(), env.frameworkId());
    }

    private void launch(TaskInfo task) {
        var id = task.getTaskId();
        synchronized (this) {
            if (tasks.containsKey(id) || ended.contains(id)) {
                log.info("Task {} was launched before; ignoring the repeat", id.getValue());
                return;
            }
        }
        calls.launched(task);
        TaskRunner runner;
        try {
            var data = ProtocolJson.taskData(task.getData().toByteArray());
            if (data.taskId() == null || !data.taskId().toString().equals(id.getValue())) {
                throw new InvalidInputException("task " + id.getValue() + " carries the task data of " + data.taskId());
            }
            runner = runners.create(data, TaskSandbox.of(env.directory(), task), listenerFor(id));
        } catch (RuntimeException e) {
            // Bad task data, a key that does not open its passwords, a bad volume: nothing was started.
            log.error("Cannot run task {}: {}", id.getValue(), e.getMessage());
            update(id, TaskState.FAILED, "cannot run this task: " + e.getMessage());
            return;
        }
        synchronized (this) {
            tasks.put(id, runner);
        }
        log.info("Launching task {} in {}", id.getValue(), TaskSandbox.of(env.directory(), task));
        runner.launch();
    }

    private void kill(TaskID id) {
        TaskRunner runner;
        synchronized (this) {
            runner = tasks.get(id);
            if (runner == null && ended.contains(id)) {
                return;
            }
        }
        if (runner == null) {
            update(id, TaskState.LOST, "this executor does not run task " + id.getValue());
            return;
        }
        log.info("Killing task {}", id.getValue());
        runner.kill();
    }

    private void acknowledged(Event.Acknowledged ack) {
        boolean settled = calls.acknowledged(ack);
        synchronized (this) {
            if (!settled || !tasks.isEmpty() || ended.isEmpty()) {
                return;
            }
            over = Optional.of("every task ended and the agent acknowledged every update");
        }
        log.info("Every task of executor {} ended and the agent has every update", env.executorId());
    }

    private void message(byte[] data) {
        io.mysos.core.protocol.ExecutorCommand command;
        try {
            command = ProtocolJson.command(data);
        } catch (InvalidInputException e) {
            log.warn("Ignoring a framework message: {}", e.getMessage());
            return;
        }
        ArrayList<TaskRunner> running;
        synchronized (this) {
            running = new ArrayList<>(tasks.values());
        }
        if (running.isEmpty()) {
            log.warn("Ignoring {}: no task runs here", command);
        }
        // One instance per executor: the command is for it.
        running.forEach(runner -> runner.handle(command));
    }

    /** The agent asks the executor to end: every instance stops cleanly and reports KILLED, within the grace period. */
    private void shutdown() {
        ArrayList<TaskRunner> running;
        ArrayList<CompletableFuture<Void>> waits = new ArrayList<>();
        synchronized (this) {
            running = new ArrayList<>(tasks.values());
            tasks.keySet().forEach(id -> waits.add(endings.computeIfAbsent(id, k -> new CompletableFuture<>())));
        }
        log.info("The agent shuts executor {} down: stopping {} task(s)", env.executorId(), running.size());
        running.forEach(TaskRunner::kill);
        try {
            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new))
                    .get(env.shutdownGracePeriod().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("Not every task ended within the shutdown grace period ({})", env.shutdownGracePeriod());
        }
        synchronized (this) {
            over = Optional.of("the agent shut the executor down");
        }
    }

    private StatusListener listenerFor(TaskID id) {
        return new StatusListener() {
            @Override
            public void onStatus(TaskStatus status) {
                update(id, status.state(), status.message());
            }

            @Override
            public void onReport(ExecutorReport report) {
                calls.message(ProtocolJson.write(report), "report " + report.getClass().getSimpleName());
            }
        };
    }

    private void update(TaskID id, TaskState state, String message) {
        boolean terminal = state.isTerminal();
        if (terminal) {
            synchronized (this) {
                tasks.remove(id);
                ended.add(id);
            }
        }
        // Queued before a SHUTDOWN waiting for this end may go on: it then closes the outbox, which
        // drains what is queued; the other way round the last update could be refused.
        calls.update(id, state, message);
        if (terminal) {
            synchronized (this) {
                endings.computeIfAbsent(id, k -> new CompletableFuture<>()).complete(null);
            }
        }
    }

    /** Stops every instance cleanly (data kept for a relaunch on the same volume) and reports nothing. */
    private Outcome giveUp(String reason) {
        log.error("Executor {} stops: {}", env.executorId(), reason);
        stopInstances();
        return new Outcome(1, reason);
    }

    /** For the JVM's shutdown (the agent's SIGTERM): stops every instance cleanly and ends {@link #run}. */
    @Override
    public void close() {
        Agent.Events stream;
        synchronized (this) {
            if (over.isEmpty()) {
                over = Optional.of("stopped");
            }
            stream = events;
        }
        stopInstances();
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                log.debug("Closing the event stream: {}", e.toString());
            }
        }
    }

    private void stopInstances() {
        ArrayList<TaskRunner> running;
        synchronized (this) {
            running = new ArrayList<>(tasks.values());
            tasks.clear();
        }
        var stops = running.stream().map(TaskRunner::shutdown).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(stops).get(TaskRunner.Timeouts.DEFAULT.stopGrace().plusSeconds(10).toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.error("Not every mysqld stopped: {}", e.toString());
        }
    }

    private synchronized String overBecause() {
        return over.orElse("stopped");
    }

    private synchronized boolean isDone() {
        return over.isPresent();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Waits about {@code backoff}; false when interrupted. */
    private static boolean sleep(Duration backoff) {
        // Jitter, so the executors of a restarted agent do not all come back at the same instant.
        long millis = ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2, backoff.toMillis() + 1);
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

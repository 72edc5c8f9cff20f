package io.mysos.actors.local;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.offer.Offer;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.resources.PortRange;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import io.mysos.executor.mysql.SandboxLayout;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The resource side of local mode: offers this machine's cpus, memory, disk and ports to the
 * offer router, one offer at a time, and runs each launched instance in-process as a
 * {@link LocalTask} with its own mysqld and sandbox under the instances directory.
 */
public final class LocalAgent extends AbstractBehavior<ResourceSide.Command> {

    /** Makes the task that runs one instance; its status updates go to the listener it is given. */
    @FunctionalInterface
    public interface TaskFactory {
        LocalTask create(TaskData task, Path sandbox, Listener listener);
    }

    /** Where a local task reports; thread-safe (it only sends messages to the agent). */
    public interface Listener {
        void onStatus(TaskStatus status);

        void onReport(ExecutorReport report);
    }

    /** How many free ports one offer lists: plenty for the instances one offer can hold. */
    static final int PORTS_PER_OFFER = 32;
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

    private record FromTask(TaskStatus status) implements ResourceSide.Command {}

    private record FromTaskReport(ExecutorReport report) implements ResourceSide.Command {}

    private enum OfferTick implements ResourceSide.Command { INSTANCE }

    /** An instance this agent runs and what it holds. */
    private record Running(TaskData task, LocalTask runner) {}

    private final LocalAgentSettings settings;
    private final TaskFactory factory;
    private final TimerScheduler<ResourceSide.Command> timers;
    private final Map<TaskId, Running> running = new HashMap<>();
    private Optional<ActorRef<OfferRouter.Command>> router = Optional.empty();
    private Optional<ActorRef<ClusterRegistry.Command>> registry = Optional.empty();
    private Optional<String> outstandingOffer = Optional.empty();
    private boolean revived;
    private long offerSeq;

    public static Behavior<ResourceSide.Command> create(LocalAgentSettings settings, TaskFactory factory) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> new LocalAgent(context, timers, settings, factory)));
    }

    private LocalAgent(ActorContext<ResourceSide.Command> context, TimerScheduler<ResourceSide.Command> timers,
                       LocalAgentSettings settings, TaskFactory factory) {
        super(context);
        this.timers = timers;
        this.settings = settings;
        this.factory = factory;
    }

    @Override
    public Receive<ResourceSide.Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(ResourceSide.Attach.class, this::onAttach)
                .onMessageEquals(ResourceSide.Revive.INSTANCE, this::onRevive)
                .onMessageEquals(ResourceSide.Suppress.INSTANCE, this::onSuppress)
                .onMessageEquals(OfferTick.INSTANCE, this::onOfferTick)
                .onMessage(ResourceSide.Launch.class, this::onLaunch)
                .onMessage(ResourceSide.Decline.class, this::onDecline)
                .onMessage(ResourceSide.Kill.class, this::onKill)
                .onMessage(ResourceSide.Send.class, this::onSend)
                .onMessage(ResourceSide.Reconcile.class, this::onReconcile)
                .onMessage(FromTask.class, this::onTaskStatus)
                .onMessage(FromTaskReport.class, this::onTaskReport)
                .onSignal(PostStop.class, signal -> onStop())
                .build();
    }

    private Behavior<ResourceSide.Command> onAttach(ResourceSide.Attach msg) {
        router = Optional.of(msg.router());
        registry = Optional.of(msg.registry());
        msg.router().tell(new OfferRouter.ResourcesConnected(getContext().getSelf()));
        return this;
    }

    private Behavior<ResourceSide.Command> onRevive() {
        revived = true;
        offerIfIdle();
        return this;
    }

    private Behavior<ResourceSide.Command> onSuppress() {
        revived = false;
        return this;
    }

    private Behavior<ResourceSide.Command> onOfferTick() {
        offerIfIdle();
        return this;
    }

    private Behavior<ResourceSide.Command> onLaunch(ResourceSide.Launch msg) {
        if (!outstandingOffer.equals(Optional.of(msg.offerId()))) {
            msg.tasks().forEach(t -> tellStatus(new TaskStatus(t.taskId(), TaskState.LOST,
                    "offer " + msg.offerId() + " is no longer valid")));
            return this;
        }
        outstandingOffer = Optional.empty();
        for (var task : msg.tasks()) {
            start(task).ifPresent(LocalTask::launch);
        }
        offerIfIdle();
        return this;
    }

    private Behavior<ResourceSide.Command> onDecline(ResourceSide.Decline msg) {
        if (outstandingOffer.isPresent() && msg.offerIds().contains(outstandingOffer.get())) {
            outstandingOffer = Optional.empty();
            timers.startSingleTimer(OfferTick.INSTANCE, settings.offerDelay());
        }
        return this;
    }

    private Behavior<ResourceSide.Command> onKill(ResourceSide.Kill msg) {
        var task = running.get(msg.taskId());
        if (task != null) {
            task.runner().kill();
        } else {
            tellStatus(new TaskStatus(msg.taskId(), TaskState.KILLED, "not running on agent " + settings.agentId()));
        }
        return this;
    }

    private Behavior<ResourceSide.Command> onSend(ResourceSide.Send msg) {
        var task = running.get(msg.taskId());
        if (task != null) {
            task.runner().handle(msg.command());
        } else {
            getContext().getLog().info("Dropping {} for task {}: it does not run here", msg.command(), msg.taskId());
        }
        return this;
    }

    private Behavior<ResourceSide.Command> onReconcile(ResourceSide.Reconcile msg) {
        for (var task : msg.tasks()) {
            if (!running.containsKey(task.taskId())) {
                start(task).ifPresent(LocalTask::recover);
            }
        }
        return this;
    }

    private Behavior<ResourceSide.Command> onTaskStatus(FromTask msg) {
        var status = msg.status();
        if (status.state().isTerminal() && running.remove(status.taskId()) != null) {
            if (status.state() == TaskState.KILLED) {
                removeSandbox(status.taskId());
            }
            offerIfIdle();
        }
        tellStatus(status);
        return this;
    }

    private Behavior<ResourceSide.Command> onTaskReport(FromTaskReport msg) {
        registry.ifPresent(r -> r.tell(new ClusterRegistry.ReportReceived(msg.report())));
        return this;
    }

    /** Stops every mysqld cleanly (their data stays for the next start), waiting a bounded time for them. */
    private Behavior<ResourceSide.Command> onStop() {
        getContext().getLog().info("Local agent stopping: shutting down {} instance(s)", running.size());
        var stopping = running.values().stream().map(r -> r.runner().shutdown()).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(stopping).get(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            getContext().getLog().warn("Not every mysqld stopped cleanly within {}: {}", SHUTDOWN_WAIT, e.toString());
        }
        return this;
    }

    private Optional<LocalTask> start(TaskData task) {
        var self = getContext().getSelf();
        var listener = new Listener() {
            @Override
            public void onStatus(TaskStatus status) {
                self.tell(new FromTask(status));
            }

            @Override
            public void onReport(ExecutorReport report) {
                self.tell(new FromTaskReport(report));
            }
        };
        try {
            var runner = factory.create(task, sandbox(task.taskId()), listener);
            running.put(task.taskId(), new Running(task, runner));
            return Optional.of(runner);
        } catch (RuntimeException e) {
            // E.g. a sealed password that does not open with this key: the task cannot run here.
            getContext().getLog().error("Cannot run task {}", task.taskId(), e);
            tellStatus(new TaskStatus(task.taskId(), TaskState.FAILED, "cannot run on agent " + settings.agentId() + ": " + e.getMessage()));
            return Optional.empty();
        }
    }

    private Path sandbox(TaskId taskId) {
        return settings.instancesDir().resolve(taskId.value());
    }

    private void removeSandbox(TaskId taskId) {
        var dir = sandbox(taskId);
        CompletableFuture.runAsync(() -> {
            try {
                SandboxLayout.deleteTree(dir);
            } catch (IOException e) {
                // A sandbox that could not be removed only costs disk; the instance is gone either way.
            }
        });
    }

    private void tellStatus(TaskStatus status) {
        registry.ifPresent(r -> r.tell(new ClusterRegistry.StatusUpdate(status)));
    }

    /** Offers what is free, when offers are wanted and none is out. */
    private void offerIfIdle() {
        if (!revived || outstandingOffer.isPresent() || router.isEmpty()) {
            return;
        }
        var id = settings.agentId() + "-offer-" + (++offerSeq);
        outstandingOffer = Optional.of(id);
        var offer = new Offer(id, settings.agentId(), settings.host(), free(), freePorts());
        router.get().tell(new OfferRouter.OffersReceived(List.of(offer)));
    }

    private Resources free() {
        var used = running.values().stream().map(r -> r.task().resources()).reduce(Resources.NONE, Resources::plus);
        return settings.resources().minus(used);
    }

    /** Up to {@value #PORTS_PER_OFFER} ports of the ranges that no instance holds and nothing else listens on. */
    private List<PortRange> freePorts() {
        var taken = running.values().stream().map(r -> r.task().port()).toList();
        var ports = new ArrayList<PortRange>();
        for (var range : settings.ports()) {
            for (int port = range.begin(); port <= range.end() && ports.size() < PORTS_PER_OFFER; port++) {
                if (!taken.contains(port) && canBind(port)) {
                    ports.add(new PortRange(port, port));
                }
            }
        }
        return ports;
    }

    private boolean canBind(int port) {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(settings.host()), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

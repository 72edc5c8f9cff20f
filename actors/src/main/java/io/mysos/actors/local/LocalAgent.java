package io.mysos.actors.local;

import akka.Done;
import akka.actor.Cancellable;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.offer.Offer;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.resources.PortRange;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskState;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The resource side of local mode: offers this machine's cpus, memory, disk and ports to the
 * offer router, one offer at a time, and runs each launched instance in-process as a
 * {@link LocalTask} with its own mysqld and sandbox under the instances directory.
 *
 * <p>Nothing here blocks the actor's thread: probing ports, deleting sandboxes and waiting for
 * instances to stop run on Akka's blocking-io dispatcher or in the tasks' own threads, and come
 * back as messages. When the actor system shuts down (coordinated shutdown, before it terminates)
 * every mysqld is stopped cleanly and the shutdown waits for them, up to a minute.
 *
 * <p>The instances it runs are kept in {@link LocalInstances}; {@link PortProbe} finds the free ports it offers.
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

    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

    /** Stop every instance cleanly (their data stays); answered once they are down. Sent by the coordinated shutdown. */
    public record StopInstances(ActorRef<Done> replyTo) implements ResourceSide.Command {}

    private record InstancesStopped(ActorRef<Done> replyTo, Optional<String> failure) implements ResourceSide.Command {}

    /** The ports that were free when probed, for the offer being prepared. */
    private record PortsProbed(List<PortRange> ports) implements ResourceSide.Command {}

    private record FromTask(TaskStatus status) implements ResourceSide.Command {}

    private record FromTaskReport(ExecutorReport report) implements ResourceSide.Command {}

    private enum OfferTick implements ResourceSide.Command { INSTANCE }

    private final LocalAgentSettings settings;
    private final TaskFactory factory;
    private final TimerScheduler<ResourceSide.Command> timers;
    private final LocalInstances instances;
    private final Executor blocking;
    private final Cancellable shutdownTask;
    private Optional<ActorRef<ResourceSide.OfferEvent>> offers = Optional.empty();
    private Optional<ActorRef<ResourceSide.TaskEvent>> taskEvents = Optional.empty();
    private Optional<String> outstandingOffer = Optional.empty();
    /** Ports are being probed for the next offer. */
    private boolean probing;
    private boolean revived;
    /** The instances were stopped for the shutdown: nothing is offered or started any more. */
    private boolean stopped;
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
        this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
        this.instances = new LocalInstances(settings.instancesDir(), blocking);
        var self = context.getSelf();
        var system = context.getSystem();
        this.shutdownTask = CoordinatedShutdown.get(system).addCancellableTask(
                CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "stop-local-instances",
                () -> AskPattern.ask(self, StopInstances::new, SHUTDOWN_WAIT.plusSeconds(5), system.scheduler()));
    }

    @Override
    public Receive<ResourceSide.Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(ResourceSide.SubscribeOffers.class, this::onSubscribeOffers)
                .onMessage(ResourceSide.SubscribeTasks.class, this::onSubscribeTasks)
                .onMessage(PortsProbed.class, this::onPortsProbed)
                .onMessage(StopInstances.class, this::onStopInstances)
                .onMessage(InstancesStopped.class, this::onInstancesStopped)
                .onMessageEquals(ResourceSide.Revive.INSTANCE, this::onRevive)
                .onMessageEquals(ResourceSide.Suppress.INSTANCE, this::onSuppress)
                .onMessageEquals(OfferTick.INSTANCE, this::onOfferTick)
                .onMessage(ResourceSide.Launch.class, this::onLaunch)
                .onMessage(ResourceSide.Decline.class, this::onDecline)
                .onMessage(ResourceSide.Kill.class, this::onKill)
                .onMessage(ResourceSide.Send.class, this::onSend)
                .onMessage(ResourceSide.Release.class, this::onRelease)
                .onMessage(ResourceSide.Reconcile.class, this::onReconcile)
                .onMessage(FromTask.class, this::onTaskStatus)
                .onMessage(FromTaskReport.class, this::onTaskReport)
                .onSignal(PostStop.class, signal -> onStop())
                .build();
    }

    private Behavior<ResourceSide.Command> onSubscribeOffers(ResourceSide.SubscribeOffers msg) {
        offers = Optional.of(msg.subscriber());
        // A new subscriber knows of no offer: the outstanding one (if any) is void for it.
        outstandingOffer = Optional.empty();
        msg.subscriber().tell(ResourceSide.Connected.INSTANCE);
        offerIfIdle();
        return this;
    }

    private Behavior<ResourceSide.Command> onSubscribeTasks(ResourceSide.SubscribeTasks msg) {
        taskEvents = Optional.of(msg.subscriber());
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
        instances.runner(msg.taskId()).ifPresentOrElse(LocalTask::kill,
                () -> tellStatus(new TaskStatus(msg.taskId(), TaskState.KILLED, "not running on agent " + settings.agentId())));
        return this;
    }

    private Behavior<ResourceSide.Command> onSend(ResourceSide.Send msg) {
        instances.runner(msg.taskId()).ifPresentOrElse(runner -> runner.handle(msg.command()),
                () -> getContext().getLog().info("Dropping {} for task {}: it does not run here", msg.command(), msg.taskId()));
        return this;
    }

    /** The task will not come back: its mysqld (should it still run) and its sandbox go, off this thread. */
    private Behavior<ResourceSide.Command> onRelease(ResourceSide.Release msg) {
        if (instances.release(msg.taskId())) {
            offerIfIdle();
        }
        return this;
    }

    private Behavior<ResourceSide.Command> onReconcile(ResourceSide.Reconcile msg) {
        for (var task : msg.tasks()) {
            if (stopped) {
                break;
            }
            if (instances.runs(task.taskId())) {
                // As a Mesos master does: the latest status again, for a scheduler that could not record it.
                instances.latest(task.taskId()).ifPresent(this::tellStatus);
            } else {
                start(task).ifPresent(LocalTask::recover);
            }
        }
        return this;
    }

    private Behavior<ResourceSide.Command> onTaskStatus(FromTask msg) {
        var status = msg.status();
        if (status.state().isTerminal() && instances.ended(status)) {
            offerIfIdle();
        }
        instances.reported(status);
        tellStatus(status);
        return this;
    }

    private Behavior<ResourceSide.Command> onTaskReport(FromTaskReport msg) {
        taskEvents.ifPresent(r -> r.tell(new ResourceSide.ExecutorMessageReceived(msg.report())));
        return this;
    }

    /** Stops every mysqld cleanly (their data stays for the next start); answers once they are down, or after a minute. */
    private Behavior<ResourceSide.Command> onStopInstances(StopInstances msg) {
        stopped = true;
        revived = false;
        outstandingOffer = Optional.empty();
        getContext().getLog().info("Local agent stopping: shutting down {} instance(s)", instances.size());
        var stopping = instances.shutdownAll();
        getContext().pipeToSelf(stopping.orTimeout(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS),
                (ok, failure) -> new InstancesStopped(msg.replyTo(), Optional.ofNullable(failure).map(Throwable::toString)));
        return this;
    }

    private Behavior<ResourceSide.Command> onInstancesStopped(InstancesStopped msg) {
        msg.failure().ifPresent(f -> getContext().getLog().warn("Not every mysqld stopped cleanly within {}: {}", SHUTDOWN_WAIT, f));
        msg.replyTo().tell(Done.getInstance());
        return this;
    }

    /** Stopped without the coordinated shutdown (e.g. by a test): the instances are still stopped, without waiting. */
    private Behavior<ResourceSide.Command> onStop() {
        shutdownTask.cancel();
        if (instances.size() > 0) {
            getContext().getLog().info("Local agent stopped: shutting down {} instance(s)", instances.size());
            instances.shutdownAll();
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
            var runner = factory.create(task, instances.sandbox(task.taskId()), listener);
            instances.add(task, runner);
            return Optional.of(runner);
        } catch (RuntimeException e) {
            // E.g. a sealed password that does not open with this key: the task cannot run here.
            getContext().getLog().error("Cannot run task {}", task.taskId(), e);
            tellStatus(new TaskStatus(task.taskId(), TaskState.FAILED, "cannot run on agent " + settings.agentId() + ": " + e.getMessage()));
            return Optional.empty();
        }
    }

    private void tellStatus(TaskStatus status) {
        taskEvents.ifPresent(r -> r.tell(new ResourceSide.TaskStatusReceived(status)));
    }

    /** Offers what is free, when offers are wanted and none is out: first the ports are probed, off this thread. */
    private void offerIfIdle() {
        if (!revived || stopped || outstandingOffer.isPresent() || probing || offers.isEmpty()) {
            return;
        }
        probing = true;
        var taken = instances.takenPorts();
        getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> PortProbe.freePorts(settings.host(), settings.ports(), taken), blocking),
                (ports, failure) -> new PortsProbed(failure == null ? ports : List.of()));
    }

    private Behavior<ResourceSide.Command> onPortsProbed(PortsProbed msg) {
        probing = false;
        if (!revived || stopped || outstandingOffer.isPresent() || offers.isEmpty()) {
            return this;
        }
        // Instances may have been started (reconciled) while the ports were probed.
        var taken = instances.takenPorts();
        var ports = msg.ports().stream().filter(r -> !taken.contains(r.begin())).toList();
        var id = settings.agentId() + "-offer-" + (++offerSeq);
        outstandingOffer = Optional.of(id);
        offers.get().tell(new ResourceSide.OffersReceived(List.of(new Offer(id, settings.agentId(), settings.host(), free(), ports))));
        return this;
    }

    private Resources free() {
        return settings.resources().minus(instances.used());
    }
}

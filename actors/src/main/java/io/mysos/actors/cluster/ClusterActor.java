package io.mysos.actors.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import io.mysos.actors.JsonSerializable;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.cluster.ClusterHealth;
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.core.cluster.ClusterStatus;
import io.mysos.core.offer.Demand;
import io.mysos.core.offer.Placement;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * One MySQL cluster, event-sourced (persistence id {@code cluster|<name>}). It records every
 * instance it is given, every task state change and every master election, asks the offer router
 * for the instances it lacks, and drives its instances towards their roles: the master writable,
 * the others replicating from it. Every effect (launch, kill, promotion) follows the event that
 * records its intent; after a restart the journal says what may be in flight.
 */
public final class ClusterActor
        extends EventSourcedBehaviorWithEnforcedReplies<ClusterActor.Command, ClusterActor.Event, ClusterActor.State> {

    /**
     * Timing of the actor's own retries: how often it re-sends what was not confirmed, and how long
     * an instance may stay STAGING (given resources, never heard of) before the resource side is
     * asked about it.
     */
    public record Settings(Duration convergeInterval, Duration stagingTimeout, Clock clock) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(1), Duration.ofSeconds(30), Clock.systemUTC());
        }
    }

    /** Who the actor talks to. */
    public record Peers(ActorRef<ClusterRegistry.Command> registry, ActorRef<OfferRouter.Command> router,
                        ActorRef<ResourceSide.Command> resources) {}

    // ---------------------------------------------------------------- protocol

    public sealed interface Command extends JsonSerializable {}

    /** Create the cluster (idempotent: the registry re-sends it after every restart). */
    public record Create(ClusterSpec spec, ClusterSecrets secrets, Instant at, ActorRef<CreateResult> replyTo) implements Command {}

    public sealed interface CreateResult extends JsonSerializable {}

    public record Created(String name) implements CreateResult {}

    /** The offer router offers resources for one instance. */
    public record Place(Placement placement, ActorRef<PlaceResult> replyTo) implements Command {}

    public sealed interface PlaceResult extends JsonSerializable {}

    /** The instance is recorded; launch it with this task data. */
    public record Accepted(Placement placement, TaskData task) implements PlaceResult {}

    public record Rejected(Placement placement, String why) implements PlaceResult {}

    public record StatusUpdate(TaskStatus status) implements Command {}

    public record ReportReceived(ExecutorReport report) implements Command {}

    public record Delete(String password, ActorRef<DeleteResult> replyTo) implements Command {}

    public sealed interface DeleteResult extends JsonSerializable {}

    public record DeletionStarted(String name) implements DeleteResult {}

    public record WrongPassword(String name) implements DeleteResult {}

    public record NotFound(String name) implements DeleteResult {}

    /** Why the router cannot place this cluster's demand, or empty once it can. */
    public record Shortfall(Optional<String> reason) implements Command {}

    public record GetView(ActorRef<Optional<ClusterView>> replyTo) implements Command {}

    private record PasswordChecked(boolean matches, ActorRef<DeleteResult> replyTo) implements Command {}

    private enum Converge implements Command { INSTANCE }

    // ---------------------------------------------------------------- events

    public sealed interface Event extends JsonSerializable {}

    public record ClusterCreated(ClusterSpec spec, ClusterSecrets secrets, Instant createdAt) implements Event {}

    /** An instance was given resources; recorded before its launch is sent. */
    public record ReplicaAdded(TaskId taskId, String agentId, String host, int port, Resources resources) implements Event {}

    public record TaskStateChanged(TaskId taskId, TaskState state, String message) implements Event {}

    /** {@code taskId} is the master from {@code epoch} on; {@code positions} are the candidates' replication positions. */
    public record MasterElected(long epoch, TaskId taskId, Map<String, String> positions) implements Event {}

    public record ClusterDeletionRequested(Instant at) implements Event {}

    public record ClusterTerminated(Instant at) implements Event {}

    // ---------------------------------------------------------------- state

    /** One instance, as far as the journal knows. */
    public record Instance(TaskId taskId, String agentId, String host, int port, Resources resources,
                           TaskState state, String message) implements JsonSerializable {
        boolean isLive() {
            return !state.isTerminal();
        }

        Instance with(TaskState newState, String newMessage) {
            return new Instance(taskId, agentId, host, port, resources, newState, newMessage);
        }
    }

    /** The cluster between its ClusterCreated and its ClusterTerminated. */
    public record Life(ClusterSpec spec, ClusterSecrets secrets, Instant createdAt, List<Instance> instances,
                       long epoch, Optional<TaskId> master, boolean deleting, boolean everAtFullStrength)
            implements JsonSerializable {
        /** Terminal instances kept for the API to show, newest last. */
        static final int KEPT_TERMINAL = 10;

        public Life {
            instances = List.copyOf(instances);
        }

        Optional<Instance> instance(TaskId id) {
            return instances.stream().filter(i -> i.taskId().equals(id)).findFirst();
        }

        List<Instance> live() {
            return instances.stream().filter(Instance::isLive).toList();
        }

        long running() {
            return instances.stream().filter(i -> i.state() == TaskState.RUNNING).count();
        }

        Optional<Instance> masterInstance() {
            return master.flatMap(this::instance);
        }

        boolean masterRunning() {
            return masterInstance().map(i -> i.state() == TaskState.RUNNING).orElse(false);
        }

        /** How many instances the cluster should still be given. */
        int needed() {
            return deleting ? 0 : Math.max(0, spec.numNodes() - live().size());
        }

        /**
         * The status the API shows. {@code confirmed} are the instances that confirmed their role
         * since this actor started (the master writable, replicas replicating from it): the journal
         * alone cannot say whether an instance still runs after a restart.
         */
        ClusterStatus status(Set<TaskId> confirmed) {
            boolean masterWritable = master.map(confirmed::contains).orElse(false) && masterRunning();
            int ready = (int) instances.stream()
                    .filter(i -> i.state() == TaskState.RUNNING && confirmed.contains(i.taskId())).count();
            return ClusterHealth.status(deleting, everAtFullStrength, masterRunning(), (int) running(), masterWritable, ready,
                    spec.numNodes());
        }

        Life withInstances(List<Instance> changed) {
            var kept = new ArrayList<Instance>();
            long terminal = changed.stream().filter(i -> !i.isLive()).count();
            for (var instance : changed) {
                if (!instance.isLive() && terminal > KEPT_TERMINAL && !master.equals(Optional.of(instance.taskId()))) {
                    terminal--;
                    continue;
                }
                kept.add(instance);
            }
            var next = new Life(spec, secrets, createdAt, kept, epoch, master, deleting, everAtFullStrength);
            return next.withFullStrengthNoted();
        }

        Life withFullStrengthNoted() {
            boolean full = everAtFullStrength || (!deleting && masterRunning() && running() >= spec.numNodes());
            return new Life(spec, secrets, createdAt, instances, epoch, master, deleting, full);
        }
    }

    /**
     * The journal's view of the cluster: its current life, if any; the last server id ever used (server
     * ids and task ids are never reused, not even by a later cluster of the same name); and when the
     * last life was created, so that a re-sent create of a cluster that has ended does not revive it.
     */
    public record State(Optional<Life> life, long lastServerId, Optional<Instant> lastCreatedAt) implements JsonSerializable {
        static State empty() {
            return new State(Optional.empty(), 0, Optional.empty());
        }

        State apply(Event event) {
            if (event instanceof ClusterCreated e) {
                return new State(Optional.of(new Life(e.spec(), e.secrets(), e.createdAt(), List.of(), 0,
                        Optional.empty(), false, false)), lastServerId, Optional.of(e.createdAt()));
            }
            if (event instanceof ClusterTerminated) {
                return new State(Optional.empty(), lastServerId, lastCreatedAt);
            }
            var current = life.orElseThrow(() -> new IllegalStateException(event + " before ClusterCreated"));
            if (event instanceof ReplicaAdded e) {
                var instances = new ArrayList<>(current.instances());
                instances.add(new Instance(e.taskId(), e.agentId(), e.host(), e.port(), e.resources(), TaskState.STAGING, ""));
                return new State(Optional.of(current.withInstances(instances)), Math.max(lastServerId, e.taskId().serverId()),
                        lastCreatedAt);
            }
            if (event instanceof TaskStateChanged e) {
                var instances = current.instances().stream()
                        .map(i -> i.taskId().equals(e.taskId()) ? i.with(e.state(), e.message()) : i)
                        .toList();
                return new State(Optional.of(current.withInstances(instances)), lastServerId, lastCreatedAt);
            }
            if (event instanceof MasterElected e) {
                var next = new Life(current.spec(), current.secrets(), current.createdAt(), current.instances(),
                        e.epoch(), Optional.of(e.taskId()), current.deleting(), current.everAtFullStrength());
                return new State(Optional.of(next.withFullStrengthNoted()), lastServerId, lastCreatedAt);
            }
            if (event instanceof ClusterDeletionRequested) {
                return new State(Optional.of(new Life(current.spec(), current.secrets(), current.createdAt(),
                        current.instances(), current.epoch(), current.master(), true, current.everAtFullStrength())), lastServerId,
                        lastCreatedAt);
            }
            throw new IllegalStateException("unknown event " + event);
        }
    }

    // ---------------------------------------------------------------- behavior

    private final String name;
    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final Peers peers;
    private final Settings settings;
    /** Not journaled: what the router last said about placing this cluster. */
    private Optional<String> shortfall = Optional.empty();
    /** Not journaled: instances that confirmed their role in the current epoch (a restart re-sends, commands are idempotent). */
    private final Set<TaskId> confirmed = new HashSet<>();
    /** Not journaled: when each STAGING instance was last launched or asked about. */
    private final Map<TaskId, Instant> staged = new HashMap<>();

    public static Behavior<Command> create(String name, Peers peers, Settings settings) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> new ClusterActor(name, context, timers, peers, settings)));
    }

    public static PersistenceId persistenceId(String name) {
        return PersistenceId.of("cluster", name);
    }

    private ClusterActor(String name, ActorContext<Command> context, TimerScheduler<Command> timers, Peers peers, Settings settings) {
        super(persistenceId(name));
        this.name = name;
        this.context = context;
        this.timers = timers;
        this.peers = peers;
        this.settings = settings;
    }

    @Override
    public State emptyState() {
        return State.empty();
    }

    @Override
    public Set<String> tagsFor(Event event) {
        return Set.of("cluster");
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(200, 2);
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::onRecovered).build();
    }

    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Create.class, this::onCreate)
                .onCommand(Place.class, this::onPlace)
                .onCommand(StatusUpdate.class, this::onStatus)
                .onCommand(ReportReceived.class, this::onReport)
                .onCommand(Delete.class, this::onDelete)
                .onCommand(PasswordChecked.class, this::onPasswordChecked)
                .onCommand(Shortfall.class, this::onShortfall)
                .onCommand(GetView.class, (state, cmd) -> Effect().reply(cmd.replyTo(), view(state)))
                .onCommand(Converge.class, this::onConverge)
                .build();
    }

    private void onRecovered(State state) {
        timers.startTimerWithFixedDelay(Converge.INSTANCE, settings.convergeInterval());
        state.life().ifPresent(life -> {
            var now = settings.clock().instant();
            life.live().forEach(i -> staged.put(i.taskId(), now));
            var tasks = life.live().stream().map(i -> taskData(life, i)).toList();
            if (!tasks.isEmpty()) {
                peers.resources().tell(new ResourceSide.Reconcile(tasks));
            }
        });
        afterChange(state);
    }

    private ReplyEffect<Event, State> onCreate(State state, Create cmd) {
        if (state.life().isPresent()) {
            return Effect().reply(cmd.replyTo(), new Created(name));
        }
        if (state.lastCreatedAt().equals(Optional.of(cmd.at()))) {
            // This life already ended; the registry missed the news before a restart.
            peers.registry().tell(new ClusterRegistry.ClusterGone(name));
            return Effect().reply(cmd.replyTo(), new Created(name));
        }
        return Effect().persist(new ClusterCreated(cmd.spec(), cmd.secrets(), cmd.at()))
                .thenRun(this::afterChange)
                .thenReply(cmd.replyTo(), s -> new Created(name));
    }

    private ReplyEffect<Event, State> onPlace(State state, Place cmd) {
        var life = state.life();
        if (life.isEmpty() || life.get().needed() <= 0) {
            return Effect().reply(cmd.replyTo(), new Rejected(cmd.placement(), "cluster " + name + " needs no instance"));
        }
        var p = cmd.placement();
        var taskId = TaskId.of(name, state.lastServerId() + 1);
        return Effect().persist(new ReplicaAdded(taskId, p.agentId(), p.host(), p.port(), p.resources()))
                .thenRun(next -> {
                    staged.put(taskId, settings.clock().instant());
                    afterChange(next);
                })
                .thenReply(cmd.replyTo(), s -> new Accepted(p, taskData(s.life().orElseThrow(),
                        s.life().orElseThrow().instance(taskId).orElseThrow())));
    }

    private ReplyEffect<Event, State> onStatus(State state, StatusUpdate cmd) {
        var status = cmd.status();
        var known = state.life().flatMap(life -> life.instance(status.taskId()));
        if (known.isEmpty()) {
            if (!status.state().isTerminal()) {
                context.getLog().warn("Killing task {} that cluster {} does not know", status.taskId(), name);
                peers.resources().tell(new ResourceSide.Kill(status.taskId()));
            }
            return Effect().noReply();
        }
        var life = state.life().orElseThrow();
        var instance = known.get();
        if (instance.state().isTerminal()) {
            return Effect().noReply();
        }
        if (instance.state() == status.state() && instance.message().equals(status.message())) {
            // Nothing new to record (e.g. an instance re-adopted after a restart), but it may still need its role.
            if (status.state() == TaskState.RUNNING && !life.deleting()) {
                drive(life, instance);
            }
            return Effect().noReply();
        }
        var events = new ArrayList<Event>();
        events.add(new TaskStateChanged(status.taskId(), status.state(), status.message()));
        if (status.state() == TaskState.RUNNING && life.master().isEmpty() && life.epoch() == 0 && !life.deleting()) {
            events.add(new MasterElected(0, status.taskId(), Map.of()));
        }
        if (life.deleting() && status.state().isTerminal()
                && life.live().stream().allMatch(i -> i.taskId().equals(status.taskId()))) {
            events.add(new ClusterTerminated(settings.clock().instant()));
        }
        if (status.state() != TaskState.RUNNING) {
            confirmed.remove(status.taskId());
        }
        return Effect().persist(events)
                .thenRun(next -> {
                    if (next.life().isEmpty()) {
                        afterTermination(next);
                    } else {
                        afterStatus(next, status);
                    }
                })
                .thenNoReply();
    }

    private void afterStatus(State state, TaskStatus status) {
        afterChange(state);
        state.life().ifPresent(life -> {
            if (life.deleting()) {
                if (!status.state().isTerminal()) {
                    peers.resources().tell(new ResourceSide.Kill(status.taskId()));
                }
                return;
            }
            if (status.state() == TaskState.RUNNING) {
                if (life.master().equals(Optional.of(status.taskId()))) {
                    // A (re)started master: promote it, and point every running replica at it.
                    life.instances().stream().filter(i -> i.state() == TaskState.RUNNING).forEach(i -> drive(life, i));
                } else {
                    life.instance(status.taskId()).ifPresent(i -> drive(life, i));
                }
            }
        });
    }

    /** Sends an instance the command for its role in the current epoch, unless it already confirmed it. */
    private void drive(Life life, Instance instance) {
        if (confirmed.contains(instance.taskId()) || instance.state() != TaskState.RUNNING) {
            return;
        }
        if (life.master().equals(Optional.of(instance.taskId()))) {
            peers.resources().tell(new ResourceSide.Send(instance.taskId(), new ExecutorCommand.Promote(life.epoch())));
        } else {
            life.masterInstance().filter(m -> m.state() == TaskState.RUNNING).ifPresent(master ->
                    peers.resources().tell(new ResourceSide.Send(instance.taskId(),
                            new ExecutorCommand.Reparent(life.epoch(), master.host(), master.port()))));
        }
    }

    private ReplyEffect<Event, State> onReport(State state, ReportReceived cmd) {
        var report = cmd.report();
        state.life().ifPresent(life -> {
            if (report.epoch() != life.epoch()) {
                return;
            }
            if (report instanceof ExecutorReport.Promoted p && life.master().equals(Optional.of(p.taskId()))) {
                confirmed.add(p.taskId());
            } else if (report instanceof ExecutorReport.Reparented r) {
                life.masterInstance()
                        .filter(m -> m.host().equals(r.masterHost()) && m.port() == r.masterPort())
                        .ifPresent(m -> confirmed.add(r.taskId()));
            } else if (report instanceof ExecutorReport.CommandFailed f) {
                context.getLog().warn("Task {} failed {} in epoch {}: {}", f.taskId(), f.command(), f.epoch(), f.reason());
                confirmed.remove(f.taskId());
            }
            publish(state);
        });
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onDelete(State state, Delete cmd) {
        if (state.life().isEmpty()) {
            return Effect().reply(cmd.replyTo(), new NotFound(name));
        }
        var hash = state.life().get().secrets().passwordHash();
        context.pipeToSelf(CompletableFuture.supplyAsync(() -> hash.matches(cmd.password())),
                (matches, failure) -> new PasswordChecked(failure == null && matches, cmd.replyTo()));
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onPasswordChecked(State state, PasswordChecked cmd) {
        if (state.life().isEmpty()) {
            return Effect().reply(cmd.replyTo(), new NotFound(name));
        }
        if (!cmd.matches()) {
            return Effect().reply(cmd.replyTo(), new WrongPassword(name));
        }
        var life = state.life().get();
        if (life.deleting()) {
            return Effect().reply(cmd.replyTo(), new DeletionStarted(name));
        }
        var now = settings.clock().instant();
        List<Event> events = life.live().isEmpty()
                ? List.of(new ClusterDeletionRequested(now), new ClusterTerminated(now))
                : List.of(new ClusterDeletionRequested(now));
        return Effect().persist(events)
                .thenRun(next -> {
                    life.live().forEach(i -> peers.resources().tell(new ResourceSide.Kill(i.taskId())));
                    if (next.life().isEmpty()) {
                        afterTermination(next);
                    } else {
                        afterChange(next);
                    }
                })
                .thenReply(cmd.replyTo(), s -> new DeletionStarted(name));
    }

    private ReplyEffect<Event, State> onShortfall(State state, Shortfall cmd) {
        if (!cmd.reason().equals(shortfall)) {
            shortfall = cmd.reason();
            publish(state);
        }
        return Effect().noReply();
    }

    /** The periodic nudge: re-sends what was not confirmed, so lost messages heal. */
    private ReplyEffect<Event, State> onConverge(State state, Converge cmd) {
        state.life().ifPresent(life -> {
            if (life.deleting()) {
                life.live().forEach(i -> peers.resources().tell(new ResourceSide.Kill(i.taskId())));
            } else {
                life.instances().forEach(i -> drive(life, i));
            }
            reconcileStuck(life);
        });
        tellDemand(state);
        return Effect().noReply();
    }

    /**
     * An instance still STAGING long after its launch may never have been launched (its offer
     * answer was lost): ask the resource side, which reports it LOST if it does not run it.
     */
    private void reconcileStuck(Life life) {
        var now = settings.clock().instant();
        var stuck = life.instances().stream()
                .filter(i -> i.state() == TaskState.STAGING)
                .filter(i -> !staged.getOrDefault(i.taskId(), Instant.MIN).plus(settings.stagingTimeout()).isAfter(now))
                .toList();
        if (!stuck.isEmpty()) {
            stuck.forEach(i -> staged.put(i.taskId(), now));
            peers.resources().tell(new ResourceSide.Reconcile(stuck.stream().map(i -> taskData(life, i)).toList()));
        }
    }

    /** After every change: tell the registry what the API should show and the router what is needed. */
    private void afterChange(State state) {
        if (state.life().isEmpty()) {
            confirmed.clear();
            shortfall = Optional.empty();
        }
        tellDemand(state);
        publish(state);
    }

    /** After the events of a life's end: the registry forgets the name. */
    private void afterTermination(State state) {
        afterChange(state);
        peers.registry().tell(new ClusterRegistry.ClusterGone(name));
    }

    private void tellDemand(State state) {
        var demand = state.life().map(life -> new Demand(name, life.needed(), life.spec().size(),
                        life.live().stream().map(Instance::host).collect(Collectors.toSet()), life.createdAt().toEpochMilli()))
                .orElse(new Demand(name, 0, Resources.NONE, Set.of(), 0));
        peers.router().tell(new OfferRouter.UpdateDemand(demand, context.getSelf()));
    }

    private void publish(State state) {
        peers.registry().tell(new ClusterRegistry.ViewChanged(name, view(state)));
    }

    private Optional<ClusterView> view(State state) {
        return state.life().map(life -> {
            var master = life.masterInstance().map(ClusterActor::instanceView);
            var replicas = life.instances().stream()
                    .filter(i -> !life.master().equals(Optional.of(i.taskId())))
                    .map(ClusterActor::instanceView)
                    .toList();
            var status = life.status(confirmed);
            return new ClusterView(name, status, life.spec().numNodes(), life.epoch(), master, replicas,
                    life.spec().size(), life.spec().user(), life.createdAt(), reason(life, status), life.spec().backupId());
        });
    }

    private Optional<String> reason(Life life, ClusterStatus status) {
        if (status == ClusterStatus.RUNNING || status == ClusterStatus.DELETING) {
            return Optional.empty();
        }
        if (life.needed() > 0 && shortfall.isPresent()) {
            return shortfall;
        }
        if (life.needed() > 0) {
            return Optional.of("waiting for resources: " + life.needed() + " x " + life.spec().size().describe());
        }
        if (!life.masterRunning() && life.master().isPresent()) {
            return Optional.of("the master " + life.master().get() + " is not running");
        }
        long ready = life.instances().stream().filter(i -> i.state() == TaskState.RUNNING && confirmed.contains(i.taskId())).count();
        return Optional.of("waiting for instances to take their roles: " + ready + " of " + life.spec().numNodes() + " ready");
    }

    private static ClusterView.InstanceView instanceView(Instance i) {
        return new ClusterView.InstanceView(i.taskId().value(), i.host(), i.port(), i.state());
    }

    private TaskData taskData(Life life, Instance instance) {
        var spec = life.spec();
        return new TaskData(instance.taskId(), name, instance.taskId().serverId(), instance.host(), instance.port(),
                instance.resources(), spec.user(), life.secrets().password(), life.secrets().adminPassword(), spec.backupId());
    }
}

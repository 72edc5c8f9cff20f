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
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.core.cluster.Shrink;
import io.mysos.core.cluster.ClusterStatus;
import io.mysos.core.election.Election;
import io.mysos.core.election.Position;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * One MySQL cluster, event-sourced (persistence id {@code cluster|<name>}). It records every
 * instance it is given, every task state change, every master lost and elected; asks the offer
 * router for the instances it lacks; and drives its instances towards their roles: one writable
 * master, the others replicating from it. When the master dies it runs an election among the
 * replicas (the most advanced wins), fences the old master and promotes the winner. Every effect
 * (launch, kill, promotion) follows the event that records its intent; after a restart the journal
 * says what may be in flight, and the actor takes it up again.
 */
public final class ClusterActor
        extends EventSourcedBehaviorWithEnforcedReplies<ClusterActor.Command, ClusterActor.Event, ClusterActor.State> {

    /**
     * Timing: how often the actor re-sends what was not confirmed; how long an instance may stay
     * STAGING before the resource side is asked about it; how often an election re-asks replicas
     * that have not reported their position, and when it elects from those that did.
     */
    public record Settings(Duration convergeInterval, Duration stagingTimeout, Duration queryInterval,
                           Duration electionTimeout, Clock clock) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMillis(200),
                    Duration.ofSeconds(5), Clock.systemUTC());
        }

        /** From the {@code mysos.cluster} section of the configuration (see the actors' reference.conf). */
        public static Settings fromConfig(com.typesafe.config.Config config) {
            var cluster = config.getConfig("mysos.cluster");
            return new Settings(cluster.getDuration("converge-interval"), cluster.getDuration("staging-timeout"),
                    cluster.getDuration("query-interval"), cluster.getDuration("election-timeout"), Clock.systemUTC());
        }
    }

    /** Who the actor talks to. */
    public record Peers(ActorRef<ClusterRegistry.Command> registry, ActorRef<OfferRouter.Command> router,
                        ActorRef<ResourceSide.Command> resources) {}

    /** The cause of a planned switchover, as {@link FailoverCompleted} records it. */
    public static final String PLANNED = "planned";

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

    /** A request that needs the cluster password. */
    public sealed interface Guarded extends Command {
        String password();

        ActorRef<Outcome> replyTo();
    }

    public record Delete(String password, ActorRef<Outcome> replyTo) implements Guarded {}

    /** Grow or shrink the cluster to {@code numNodes} instances. */
    public record Resize(int numNodes, String password, ActorRef<Outcome> replyTo) implements Guarded {}

    /** Move the master role to {@code target} (or the best replica) without losing a write. */
    public record Switchover(Optional<String> target, String password, ActorRef<Outcome> replyTo) implements Guarded {}

    /** How a guarded request ended. */
    public sealed interface Outcome extends JsonSerializable {}

    public record Done(String name, String detail) implements Outcome {}

    public record WrongPassword(String name) implements Outcome {}

    public record NotFound(String name) implements Outcome {}

    /** The request is valid but cannot be carried out now (e.g. during a failover). */
    public record Conflict(String name, String reason) implements Outcome {}

    /** The request does not make sense for this cluster (e.g. a target that is not a replica). */
    public record Invalid(String name, String reason) implements Outcome {}

    /** Why the router cannot place this cluster's demand, or empty once it can. */
    public record Shortfall(Optional<String> reason) implements Command {}

    public record GetView(ActorRef<Optional<ClusterView>> replyTo) implements Command {}

    private record Authorized(Guarded request, boolean matches) implements Command {}

    private enum Converge implements Command { INSTANCE }

    private enum QueryTick implements Command { INSTANCE }

    private record ElectionDeadline(long epoch) implements Command {}

    private enum ResizeDeadline implements Command { INSTANCE }

    // ---------------------------------------------------------------- events

    public sealed interface Event extends JsonSerializable {}

    public record ClusterCreated(ClusterSpec spec, ClusterSecrets secrets, Instant createdAt) implements Event {}

    /** An instance was given resources; recorded before its launch is sent. */
    public record ReplicaAdded(TaskId taskId, String agentId, String host, int port, Resources resources) implements Event {}

    public record TaskStateChanged(TaskId taskId, TaskState state, String message) implements Event {}

    /** A replica's task ended without being asked to; a replacement follows. */
    public record ReplicaLost(TaskId taskId, String cause) implements Event {}

    /** The master of {@code epoch} is gone; its task is fenced (killed) and an election follows. */
    public record MasterLost(long epoch, TaskId taskId, String cause, Instant at) implements Event {}

    /**
     * An election for {@code epoch} is open among {@code candidates} to replace {@code previousMaster}.
     * For a planned switchover the previous master is alive: it turns read-only, and the candidate
     * must reach its last position first.
     */
    public record ElectionStarted(long epoch, Optional<TaskId> previousMaster, List<TaskId> candidates, String cause,
                                  boolean planned, Instant at) implements Event {}

    /** {@code taskId} is the master from {@code epoch} on; {@code positions} are the candidates' replication positions. */
    public record MasterElected(long epoch, TaskId taskId, Map<String, String> positions) implements Event {}

    /** The master elected for {@code epoch} confirmed it is writable, {@code millis} after the failover began. */
    public record FailoverCompleted(long epoch, Optional<TaskId> oldMaster, TaskId newMaster, long millis, String cause)
            implements Event {}

    /** The cluster now wants {@code to} instances; {@code removed} are the replicas let go to get there. */
    public record ClusterResized(int from, int to, List<TaskId> removed) implements Event {}

    public record ClusterDeletionRequested(Instant at) implements Event {}

    public record ClusterTerminated(Instant at) implements Event {}

    // ---------------------------------------------------------------- state

    /** One instance, as far as the journal knows. {@code removed}: let go by a resize, not to be replaced. */
    public record Instance(TaskId taskId, String agentId, String host, int port, Resources resources,
                           TaskState state, String message, boolean removed) implements JsonSerializable {
        boolean isLive() {
            return !state.isTerminal();
        }

        boolean isRunning() {
            return state == TaskState.RUNNING;
        }

        Instance with(TaskState newState, String newMessage) {
            return new Instance(taskId, agentId, host, port, resources, newState, newMessage, removed);
        }

        Instance asRemoved() {
            return new Instance(taskId, agentId, host, port, resources, state, message, true);
        }
    }

    /** An open election. */
    public record ElectionState(long epoch, Optional<TaskId> previousMaster, List<TaskId> candidates, String cause,
                                boolean planned, Instant startedAt) implements JsonSerializable {
        /** The master handing over in a planned switchover (alive, read-only while the election runs). */
        Optional<TaskId> retiringMaster() {
            return planned ? previousMaster : Optional.empty();
        }
    }

    /** A master elected whose promotion is not yet confirmed: what FailoverCompleted will record. */
    public record PendingFailover(long epoch, Optional<TaskId> oldMaster, String cause, Instant startedAt)
            implements JsonSerializable {}

    /** The cluster between its ClusterCreated and its ClusterTerminated. */
    public record Life(ClusterSpec spec, ClusterSecrets secrets, Instant createdAt, List<Instance> instances,
                       long epoch, Optional<TaskId> master, boolean deleting, boolean everAtFullStrength,
                       Optional<ElectionState> election, Optional<PendingFailover> failover,
                       Optional<ClusterView.Failover> lastFailover)
            implements JsonSerializable {
        /** Terminal instances kept for the API to show, newest last. */
        static final int KEPT_TERMINAL = 10;

        public Life {
            instances = List.copyOf(instances);
        }

        static Life created(ClusterCreated e) {
            return new Life(e.spec(), e.secrets(), e.createdAt(), List.of(), 0, Optional.empty(), false, false,
                    Optional.empty(), Optional.empty(), Optional.empty());
        }

        Optional<Instance> instance(TaskId id) {
            return instances.stream().filter(i -> i.taskId().equals(id)).findFirst();
        }

        List<Instance> live() {
            return instances.stream().filter(Instance::isLive).toList();
        }

        long running() {
            return instances.stream().filter(Instance::isRunning).count();
        }

        Optional<Instance> masterInstance() {
            return master.flatMap(this::instance);
        }

        boolean masterRunning() {
            return masterInstance().map(Instance::isRunning).orElse(false);
        }

        boolean isMaster(TaskId id) {
            return master.equals(Optional.of(id));
        }

        /** Live replicas that may be elected: running, not being removed. */
        List<TaskId> candidates() {
            return instances.stream()
                    .filter(i -> i.isRunning() && !i.removed() && !isMaster(i.taskId()))
                    .map(Instance::taskId)
                    .toList();
        }

        /**
         * How many instances the cluster should still be given. None while a master is being
         * elected or promoted: starting a mysqld competes with the promotion for the machine, and
         * the replacement is launched a moment later, once the new master takes writes.
         */
        int needed() {
            long kept = instances.stream().filter(i -> i.isLive() && !i.removed()).count();
            boolean failingOver = election.isPresent() || failover.isPresent();
            return deleting || failingOver ? 0 : (int) Math.max(0, spec.numNodes() - kept);
        }

        /**
         * The status the API shows. {@code confirmed} are the instances that confirmed their role
         * since this actor started (the master writable, replicas replicating from it): the journal
         * alone cannot say whether an instance still runs after a restart.
         */
        ClusterStatus status(Set<TaskId> confirmed) {
            boolean masterWritable = master.map(confirmed::contains).orElse(false) && masterRunning() && election.isEmpty();
            int ready = (int) instances.stream().filter(i -> i.isRunning() && confirmed.contains(i.taskId())).count();
            return io.mysos.core.cluster.ClusterHealth.status(deleting, everAtFullStrength, masterRunning() && election.isEmpty(),
                    (int) running(), masterWritable, ready, spec.numNodes());
        }

        Life withInstances(List<Instance> changed) {
            var kept = new ArrayList<Instance>();
            long terminal = changed.stream().filter(i -> !i.isLive()).count();
            for (var instance : changed) {
                if (!instance.isLive() && terminal > KEPT_TERMINAL && !isMaster(instance.taskId())) {
                    terminal--;
                    continue;
                }
                kept.add(instance);
            }
            return new Life(spec, secrets, createdAt, kept, epoch, master, deleting, everAtFullStrength, election, failover, lastFailover)
                    .withFullStrengthNoted();
        }

        Life withInstance(TaskId id, java.util.function.UnaryOperator<Instance> change) {
            return withInstances(instances.stream().map(i -> i.taskId().equals(id) ? change.apply(i) : i).toList());
        }

        Life withMaster(long newEpoch, Optional<TaskId> newMaster) {
            return new Life(spec, secrets, createdAt, instances, newEpoch, newMaster, deleting, everAtFullStrength, election, failover, lastFailover)
                    .withFullStrengthNoted();
        }

        Life withElection(Optional<ElectionState> newElection) {
            return new Life(spec, secrets, createdAt, instances, epoch, master, deleting, everAtFullStrength, newElection, failover, lastFailover);
        }

        Life withFailover(Optional<PendingFailover> newFailover) {
            return new Life(spec, secrets, createdAt, instances, epoch, master, deleting, everAtFullStrength, election, newFailover, lastFailover);
        }

        Life withLastFailover(ClusterView.Failover done) {
            return new Life(spec, secrets, createdAt, instances, epoch, master, deleting, everAtFullStrength, election,
                    Optional.empty(), Optional.of(done));
        }

        Life withSpec(ClusterSpec newSpec) {
            return new Life(newSpec, secrets, createdAt, instances, epoch, master, deleting, everAtFullStrength, election, failover, lastFailover);
        }

        Life markedDeleting() {
            return new Life(spec, secrets, createdAt, instances, epoch, master, true, everAtFullStrength, election, failover, lastFailover);
        }

        Life withFullStrengthNoted() {
            boolean full = everAtFullStrength || (!deleting && masterRunning() && running() >= spec.numNodes());
            return new Life(spec, secrets, createdAt, instances, epoch, master, deleting, full, election, failover, lastFailover);
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
                return new State(Optional.of(Life.created(e)), lastServerId, Optional.of(e.createdAt()));
            }
            if (event instanceof ClusterTerminated) {
                return new State(Optional.empty(), lastServerId, lastCreatedAt);
            }
            var current = life.orElseThrow(() -> new IllegalStateException(event + " before ClusterCreated"));
            if (event instanceof ReplicaAdded e) {
                var instances = new ArrayList<>(current.instances());
                instances.add(new Instance(e.taskId(), e.agentId(), e.host(), e.port(), e.resources(), TaskState.STAGING, "", false));
                return new State(Optional.of(current.withInstances(instances)), Math.max(lastServerId, e.taskId().serverId()),
                        lastCreatedAt);
            }
            return new State(Optional.of(applyToLife(current, event)), lastServerId, lastCreatedAt);
        }

        private static Life applyToLife(Life life, Event event) {
            if (event instanceof TaskStateChanged e) {
                return life.withInstance(e.taskId(), i -> i.with(e.state(), e.message()));
            }
            if (event instanceof ReplicaLost) {
                return life;
            }
            if (event instanceof MasterLost) {
                return life.withMaster(life.epoch(), Optional.empty());
            }
            if (event instanceof ElectionStarted e) {
                return life.withElection(Optional.of(new ElectionState(e.epoch(), e.previousMaster(), e.candidates(), e.cause(),
                        e.planned(), e.at())));
            }
            if (event instanceof MasterElected e) {
                var failover = life.election()
                        .filter(el -> el.epoch() == e.epoch())
                        .map(el -> new PendingFailover(e.epoch(), el.previousMaster(), el.cause(), el.startedAt()));
                return life.withMaster(e.epoch(), Optional.of(e.taskId())).withElection(Optional.empty()).withFailover(failover);
            }
            if (event instanceof FailoverCompleted e) {
                var startedAt = life.failover().map(PendingFailover::startedAt).orElse(Instant.EPOCH);
                return life.withLastFailover(new ClusterView.Failover(e.epoch(), e.oldMaster().map(TaskId::value),
                        e.newMaster().value(), startedAt, e.millis(), e.cause()));
            }
            if (event instanceof ClusterResized e) {
                var resized = life.withSpec(life.spec().withNumNodes(e.to()));
                for (var id : e.removed()) {
                    resized = resized.withInstance(id, Instance::asRemoved);
                }
                return resized;
            }
            if (event instanceof ClusterDeletionRequested) {
                return life.markedDeleting();
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
    /** Not journaled: positions reported in the open election (a restart asks again). */
    private final Map<TaskId, Position> answers = new LinkedHashMap<>();
    /** Not journaled: how far each answering candidate has applied (breaks ties between equal positions). */
    private final Map<TaskId, Position> applied = new HashMap<>();
    /** Not journaled: the open election passed its deadline without anyone to elect. */
    private boolean electionStalled;
    /** Not journaled: a shrink waiting for the replicas' positions, to let the most lagging go. */
    private Optional<PendingShrink> pendingShrink = Optional.empty();

    /** A shrink to {@code to} nodes, asking the replicas how far they are. */
    private record PendingShrink(int to, ActorRef<Outcome> replyTo, List<TaskId> asked, Map<TaskId, Position> positions) {}

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
                .onCommand(Delete.class, this::onGuarded)
                .onCommand(Resize.class, this::onGuarded)
                .onCommand(Switchover.class, this::onGuarded)
                .onCommand(Authorized.class, this::onAuthorized)
                .onCommand(Shortfall.class, this::onShortfall)
                .onCommand(GetView.class, (state, cmd) -> Effect().reply(cmd.replyTo(), view(state)))
                .onCommand(Converge.class, this::onConverge)
                .onCommand(QueryTick.class, this::onQueryTick)
                .onCommand(ElectionDeadline.class, this::onElectionDeadline)
                .onCommand(ResizeDeadline.class, (state, cmd) -> finishShrink(state))
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
            // An election that was open when the scheduler stopped is run again for the same epoch.
            life.election().ifPresent(this::openElection);
        });
        afterChange(state);
    }

    // ---------------------------------------------------------------- creation and placement

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

    // ---------------------------------------------------------------- task status

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
            if (!status.state().isTerminal()) {
                // An instance given up for lost is back (e.g. an old master): fence it.
                context.getLog().warn("Killing task {} of cluster {}: it was {} and is back", status.taskId(), name, instance.state());
                peers.resources().tell(new ResourceSide.Kill(status.taskId()));
            }
            return Effect().noReply();
        }
        if (instance.state() == status.state() && instance.message().equals(status.message())) {
            // Nothing new to record (e.g. an instance re-adopted after a restart), but it may still need its role.
            if (status.state() == TaskState.RUNNING && !life.deleting()) {
                drive(life, instance);
            }
            return Effect().noReply();
        }
        if (status.state() != TaskState.RUNNING) {
            confirmed.remove(status.taskId());
        }
        if (status.state().isTerminal()) {
            answers.remove(status.taskId());
        }
        var events = eventsFor(life, instance, status);
        // A candidate that dies may be the last one the open election was waiting for.
        var after = state;
        for (var event : events) {
            after = after.apply(event);
        }
        var elected = after.life().flatMap(l -> l.election().filter(e -> events.stream().noneMatch(ElectionStarted.class::isInstance))
                .flatMap(e -> readyWinner(l, e).map(winner -> electedEvent(e, winner))));
        elected.ifPresent(events::add);
        return Effect().persist(events)
                .thenRun(next -> {
                    afterStatus(next, status, events);
                    elected.ifPresent(e -> afterElection(next));
                })
                .thenNoReply();
    }

    /** The events one status update means for the cluster. */
    private List<Event> eventsFor(Life life, Instance instance, TaskStatus status) {
        var now = settings.clock().instant();
        var events = new ArrayList<Event>();
        events.add(new TaskStateChanged(status.taskId(), status.state(), status.message()));
        var id = status.taskId();
        if (life.deleting()) {
            if (status.state().isTerminal() && life.live().stream().allMatch(i -> i.taskId().equals(id))) {
                events.add(new ClusterTerminated(now));
            }
            return events;
        }
        if (status.state() == TaskState.RUNNING && life.master().isEmpty() && life.epoch() == 0 && life.election().isEmpty()) {
            events.add(new MasterElected(0, id, Map.of()));
        }
        if (status.state().isTerminal()) {
            var cause = status.state() + (status.message().isEmpty() ? "" : ": " + status.message());
            if (life.isMaster(id)) {
                var candidates = life.candidates();
                events.add(new MasterLost(life.epoch(), id, cause, now));
                events.add(new ElectionStarted(life.epoch() + 1, Optional.of(id), candidates, cause, false, now));
            } else if (life.election().flatMap(ElectionState::retiringMaster).equals(Optional.of(id))) {
                // The master died while handing over: a failover after all, among every replica.
                var candidates = life.candidates().stream().filter(c -> !c.equals(id)).toList();
                events.add(new MasterLost(life.epoch(), id, cause, now));
                events.add(new ElectionStarted(life.epoch() + 1, Optional.of(id), candidates, cause, false, now));
            } else if (!instance.removed()) {
                events.add(new ReplicaLost(id, cause));
            }
        }
        return events;
    }

    private void afterStatus(State state, TaskStatus status, List<Event> events) {
        if (state.life().isEmpty()) {
            afterTermination(state);
            return;
        }
        afterChange(state);
        var life = state.life().get();
        if (life.deleting()) {
            if (!status.state().isTerminal()) {
                peers.resources().tell(new ResourceSide.Kill(status.taskId()));
            }
            return;
        }
        for (var event : events) {
            if (event instanceof MasterLost lost) {
                // Fencing: the old master's task is killed, whatever state it was reported in.
                peers.resources().tell(new ResourceSide.Kill(lost.taskId()));
            } else if (event instanceof ElectionStarted) {
                life.election().ifPresent(this::openElection);
            }
        }
        if (status.state() == TaskState.RUNNING) {
            if (life.isMaster(status.taskId())) {
                // A (re)started master: promote it, and point every running replica at it.
                life.instances().stream().filter(Instance::isRunning).forEach(i -> drive(life, i));
            } else {
                life.instance(status.taskId()).ifPresent(i -> drive(life, i));
            }
        }
    }

    /**
     * Sends an instance the command for its role in the current epoch, unless it already confirmed
     * it. Replicas are pointed at the master only once it confirmed it is writable: a new master
     * applies what it received before it takes writes, and a replica asking for a transaction not
     * yet in the master's binary log would stop replicating for good.
     */
    private void drive(Life life, Instance instance) {
        if (confirmed.contains(instance.taskId()) || !instance.isRunning() || life.election().isPresent() || instance.removed()) {
            return;
        }
        if (life.isMaster(instance.taskId())) {
            send(instance.taskId(), new ExecutorCommand.Promote(life.epoch()));
        } else {
            life.masterInstance().filter(m -> m.isRunning() && confirmed.contains(m.taskId())).ifPresent(master ->
                    send(instance.taskId(), new ExecutorCommand.Reparent(life.epoch(), master.host(), master.port())));
        }
    }

    private void send(TaskId task, ExecutorCommand command) {
        peers.resources().tell(new ResourceSide.Send(task, command));
    }

    // ---------------------------------------------------------------- executor reports

    private ReplyEffect<Event, State> onReport(State state, ReportReceived cmd) {
        if (state.life().isEmpty()) {
            return Effect().noReply();
        }
        var life = state.life().get();
        var report = cmd.report();
        if (report instanceof ExecutorReport.PositionReported reported) {
            return onPosition(state, life, reported);
        }
        if (report.epoch() != life.epoch()) {
            return Effect().noReply();
        }
        if (report instanceof ExecutorReport.Promoted p && life.isMaster(p.taskId())) {
            boolean first = confirmed.add(p.taskId());
            if (first) {
                life.instances().stream().filter(i -> !life.isMaster(i.taskId())).forEach(i -> drive(life, i));
            }
            publish(state);
            var completed = life.failover().filter(f -> f.epoch() == p.epoch());
            if (completed.isPresent()) {
                var f = completed.get();
                var millis = Duration.between(f.startedAt(), settings.clock().instant()).toMillis();
                return Effect().persist(new FailoverCompleted(f.epoch(), f.oldMaster(), p.taskId(), millis, f.cause()))
                        .thenRun(this::afterChange)
                        .thenNoReply();
            }
        } else if (report instanceof ExecutorReport.Reparented r) {
            life.masterInstance()
                    .filter(m -> m.host().equals(r.masterHost()) && m.port() == r.masterPort())
                    .ifPresent(m -> confirmed.add(r.taskId()));
            publish(state);
        } else if (report instanceof ExecutorReport.CommandFailed f) {
            context.getLog().warn("Task {} failed {} in epoch {}: {}", f.taskId(), f.command(), f.epoch(), f.reason());
            confirmed.remove(f.taskId());
            publish(state);
        }
        return Effect().noReply();
    }

    // ---------------------------------------------------------------- elections

    /** Asks every candidate (and a retiring master) for its position, and sets the election's clocks. */
    private void openElection(ElectionState election) {
        pendingShrink.ifPresent(shrink -> shrink.replyTo().tell(new Conflict(name,
                "a failover of cluster '" + name + "' began; shrink it once it has a master")));
        pendingShrink = Optional.empty();
        timers.cancel("resize");
        answers.clear();
        applied.clear();
        confirmed.clear();
        electionStalled = false;
        askPositions(election);
        timers.startTimerWithFixedDelay("query", QueryTick.INSTANCE, settings.queryInterval());
        timers.startSingleTimer("deadline", new ElectionDeadline(election.epoch()), settings.electionTimeout());
    }

    private void askPositions(ElectionState election) {
        var asked = new ArrayList<>(election.candidates());
        election.retiringMaster().ifPresent(asked::add);
        for (var task : asked) {
            if (!answers.containsKey(task) || (election.planned() && !task.equals(election.retiringMaster().get()))) {
                send(task, new ExecutorCommand.QueryPosition(election.epoch()));
            }
        }
    }

    private ReplyEffect<Event, State> onQueryTick(State state, QueryTick tick) {
        var election = state.life().flatMap(Life::election);
        if (election.isEmpty()) {
            timers.cancel("query");
            return Effect().noReply();
        }
        askPositions(election.get());
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onPosition(State state, Life life, ExecutorReport.PositionReported reported) {
        var election = life.election();
        if (election.isEmpty() && pendingShrink.isPresent() && reported.epoch() == life.epoch()) {
            var shrink = pendingShrink.get();
            if (shrink.asked().contains(reported.taskId())) {
                shrink.positions().put(reported.taskId(), reported.applied());
                if (shrink.positions().keySet().containsAll(shrink.asked())) {
                    return finishShrink(state);
                }
            }
            return Effect().noReply();
        }
        if (election.isEmpty() || election.get().epoch() != reported.epoch()) {
            return Effect().noReply();
        }
        var e = election.get();
        boolean asked = e.candidates().contains(reported.taskId()) || e.retiringMaster().equals(Optional.of(reported.taskId()));
        boolean live = life.instance(reported.taskId()).map(Instance::isLive).orElse(false);
        if (!asked || !live) {
            return Effect().noReply();
        }
        answers.put(reported.taskId(), reported.position());
        applied.put(reported.taskId(), reported.applied());
        return maybeElect(state);
    }

    /** Elects once every live candidate answered (a switchover: once the target has the retiring master's last write). */
    private ReplyEffect<Event, State> maybeElect(State state) {
        var life = state.life().orElseThrow();
        var election = life.election().orElseThrow();
        return readyWinner(life, election).map(winner -> elect(election, winner)).orElse(Effect().noReply());
    }

    /** The winner, when the open election has what it needs to decide. */
    private Optional<TaskId> readyWinner(Life life, ElectionState election) {
        if (election.planned()) {
            var last = answers.get(election.retiringMaster().get());
            var target = election.candidates().get(0);
            var reached = answers.get(target);
            return last != null && reached != null && reached.covers(last) ? Optional.of(target) : Optional.empty();
        }
        var live = election.candidates().stream()
                .filter(c -> life.instance(c).map(Instance::isLive).orElse(false))
                .toList();
        if (!live.isEmpty() && answers.keySet().containsAll(live)) {
            return Election.winner(answers, applied);
        }
        return Optional.empty();
    }

    private ReplyEffect<Event, State> onElectionDeadline(State state, ElectionDeadline deadline) {
        var election = state.life().flatMap(Life::election).filter(e -> e.epoch() == deadline.epoch());
        if (election.isEmpty()) {
            return Effect().noReply();
        }
        var life = state.life().get();
        var e = election.get();
        if (e.planned()) {
            // The target did not catch up in time: the retiring master keeps the role, it has every write.
            var retiring = e.retiringMaster().get();
            context.getLog().warn("Switchover of {} to {} timed out; {} stays master", name, e.candidates(), retiring);
            return elect(e, retiring);
        }
        var winner = Election.winner(answers.entrySet().stream()
                .filter(a -> life.instance(a.getKey()).map(Instance::isLive).orElse(false))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), applied);
        if (winner.isPresent()) {
            return elect(e, winner.get());
        }
        // Nobody to elect: never promote an instance without a position. Keep asking.
        electionStalled = true;
        publish(state);
        timers.startSingleTimer("deadline", new ElectionDeadline(e.epoch()), settings.electionTimeout());
        return Effect().noReply();
    }

    private MasterElected electedEvent(ElectionState election, TaskId winner) {
        var positions = new LinkedHashMap<String, String>();
        answers.forEach((task, position) -> positions.put(task.value(), position.toString()));
        return new MasterElected(election.epoch(), winner, positions);
    }

    private ReplyEffect<Event, State> elect(ElectionState election, TaskId winner) {
        return Effect().persist(electedEvent(election, winner)).thenRun(this::afterElection).thenNoReply();
    }

    /** A master is elected: promote it, point the others at it. */
    private void afterElection(State next) {
        timers.cancel("query");
        timers.cancel("deadline");
        electionStalled = false;
        answers.clear();
        applied.clear();
        confirmed.clear();
        var elected = next.life().orElseThrow();
        elected.instances().stream().filter(Instance::isRunning).forEach(i -> drive(elected, i));
        afterChange(next);
    }

    // ---------------------------------------------------------------- guarded requests

    private ReplyEffect<Event, State> onGuarded(State state, Guarded request) {
        if (state.life().isEmpty()) {
            return Effect().reply(request.replyTo(), new NotFound(name));
        }
        var hash = state.life().get().secrets().passwordHash();
        context.pipeToSelf(CompletableFuture.supplyAsync(() -> hash.matches(request.password())),
                (matches, failure) -> new Authorized(request, failure == null && matches));
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onAuthorized(State state, Authorized cmd) {
        var request = cmd.request();
        if (state.life().isEmpty()) {
            return Effect().reply(request.replyTo(), new NotFound(name));
        }
        if (!cmd.matches()) {
            return Effect().reply(request.replyTo(), new WrongPassword(name));
        }
        var life = state.life().get();
        if (request instanceof Delete delete) {
            return delete(life, delete);
        }
        if (life.deleting()) {
            return Effect().reply(request.replyTo(), new Conflict(name, "cluster '" + name + "' is being deleted"));
        }
        if (request instanceof Resize resize) {
            return resize(state, life, resize);
        }
        return switchover(life, (Switchover) request);
    }

    private ReplyEffect<Event, State> delete(Life life, Delete cmd) {
        if (life.deleting()) {
            return Effect().reply(cmd.replyTo(), new Done(name, "deleting"));
        }
        var now = settings.clock().instant();
        List<Event> events = life.live().isEmpty()
                ? List.of(new ClusterDeletionRequested(now), new ClusterTerminated(now))
                : List.of(new ClusterDeletionRequested(now));
        timers.cancel("query");
        timers.cancel("deadline");
        return Effect().persist(events)
                .thenRun(next -> {
                    life.live().forEach(i -> peers.resources().tell(new ResourceSide.Kill(i.taskId())));
                    if (next.life().isEmpty()) {
                        afterTermination(next);
                    } else {
                        afterChange(next);
                    }
                })
                .thenReply(cmd.replyTo(), s -> new Done(name, "deleting"));
    }

    private ReplyEffect<Event, State> resize(State state, Life life, Resize cmd) {
        int from = life.spec().numNodes();
        int to = cmd.numNodes();
        if (to == from) {
            return Effect().reply(cmd.replyTo(), new Done(name, "already " + to + " nodes"));
        }
        if (to < from && life.election().isPresent()) {
            return Effect().reply(cmd.replyTo(), new Conflict(name,
                    "a failover of cluster '" + name + "' is in progress; shrink it once it has a master"));
        }
        if (pendingShrink.isPresent()) {
            return Effect().reply(cmd.replyTo(), new Conflict(name, "cluster '" + name + "' is already being resized; try again"));
        }
        if (to < from) {
            // Ask the running replicas how far they are, so the most lagging go first.
            var asked = removable(life).stream().filter(Instance::isRunning).map(Instance::taskId).toList();
            pendingShrink = Optional.of(new PendingShrink(to, cmd.replyTo(), asked, new HashMap<>()));
            if (asked.isEmpty()) {
                return finishShrink(state);
            }
            asked.forEach(task -> send(task, new ExecutorCommand.QueryPosition(life.epoch())));
            timers.startSingleTimer("resize", ResizeDeadline.INSTANCE, settings.queryInterval().multipliedBy(5));
            return Effect().noReply();
        }
        return persistResize(life, to, List.of(), cmd.replyTo());
    }

    private ReplyEffect<Event, State> persistResize(Life life, int to, List<TaskId> removed, ActorRef<Outcome> replyTo) {
        int from = life.spec().numNodes();
        return Effect().persist(new ClusterResized(from, to, removed))
                .thenRun(next -> {
                    removed.forEach(id -> peers.resources().tell(new ResourceSide.Kill(id)));
                    afterChange(next);
                })
                .thenReply(replyTo, s -> new Done(name, "resizing from " + from + " to " + to + " nodes"));
    }

    /** Decides which replicas go, with the positions that arrived (or none), and records the resize. */
    private ReplyEffect<Event, State> finishShrink(State state) {
        timers.cancel("resize");
        var shrink = pendingShrink;
        pendingShrink = Optional.empty();
        if (shrink.isEmpty()) {
            return Effect().noReply();
        }
        var pending = shrink.get();
        var life = state.life();
        if (life.isEmpty() || life.get().deleting() || life.get().election().isPresent()) {
            return Effect().reply(pending.replyTo(), new Conflict(name, "cluster '" + name + "' changed while it was being resized; try again"));
        }
        var replicas = removable(life.get()).stream()
                .map(i -> new Shrink.Replica(i.taskId(), i.isRunning(), Optional.ofNullable(pending.positions().get(i.taskId()))))
                .toList();
        int count = life.get().spec().numNodes() - pending.to();
        return persistResize(life.get(), pending.to(), Shrink.choose(replicas, count), pending.replyTo());
    }

    /** The live replicas a shrink may let go: never the master. */
    private static List<Instance> removable(Life life) {
        return life.instances().stream()
                .filter(i -> i.isLive() && !i.removed() && !life.isMaster(i.taskId()))
                .toList();
    }

    private ReplyEffect<Event, State> switchover(Life life, Switchover cmd) {
        if (life.election().isPresent()) {
            return Effect().reply(cmd.replyTo(), new Conflict(name, "a failover of cluster '" + name + "' is already in progress"));
        }
        var master = life.masterInstance().filter(Instance::isRunning);
        if (master.isEmpty() || !confirmed.contains(master.get().taskId())) {
            return Effect().reply(cmd.replyTo(), new Conflict(name, "cluster '" + name + "' has no writable master to hand over from"));
        }
        var replicas = life.candidates().stream().filter(confirmed::contains).toList();
        Optional<TaskId> target;
        if (cmd.target().isPresent()) {
            target = replicas.stream().filter(r -> r.value().equals(cmd.target().get())).findFirst();
            if (target.isEmpty()) {
                return Effect().reply(cmd.replyTo(), new Invalid(name,
                        "target '" + cmd.target().get() + "' is not a running replica of cluster '" + name + "'"));
            }
        } else {
            target = replicas.stream().min(java.util.Comparator.comparingLong(TaskId::serverId));
            if (target.isEmpty()) {
                return Effect().reply(cmd.replyTo(), new Conflict(name, "cluster '" + name + "' has no running replica to hand over to"));
            }
        }
        var epoch = life.epoch() + 1;
        var started = new ElectionStarted(epoch, Optional.of(master.get().taskId()), List.of(target.get()), PLANNED, true,
                settings.clock().instant());
        return Effect().persist(started)
                .thenRun(next -> {
                    next.life().flatMap(Life::election).ifPresent(this::openElection);
                    afterChange(next);
                })
                .thenReply(cmd.replyTo(), s -> new Done(name, "switching over to " + target.get() + " in epoch " + epoch));
    }

    // ---------------------------------------------------------------- housekeeping

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
                life.instances().stream().filter(i -> i.removed() && i.isLive())
                        .forEach(i -> peers.resources().tell(new ResourceSide.Kill(i.taskId())));
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
            answers.clear();
        applied.clear();
            shortfall = Optional.empty();
        }
        tellDemand(state);
        publish(state);
    }

    /** After the events of a life's end: the registry forgets the name. */
    private void afterTermination(State state) {
        timers.cancel("query");
        timers.cancel("deadline");
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
                    .filter(i -> !life.isMaster(i.taskId()))
                    .map(ClusterActor::instanceView)
                    .toList();
            var status = life.status(confirmed);
            return new ClusterView(name, status, life.spec().numNodes(), life.epoch(), master, replicas,
                    life.spec().size(), life.spec().user(), life.createdAt(), reason(life, status), life.spec().backupId(),
                    life.spec().semiSync(), life.lastFailover());
        });
    }

    private Optional<String> reason(Life life, ClusterStatus status) {
        if (status == ClusterStatus.RUNNING || status == ClusterStatus.DELETING) {
            return Optional.empty();
        }
        if (life.election().isPresent()) {
            var e = life.election().get();
            if (e.planned()) {
                return Optional.of("switching the master over to " + e.candidates().get(0) + " (epoch " + e.epoch() + ")");
            }
            if (electionStalled) {
                return Optional.of("no replica to elect as master for epoch " + e.epoch() + " has answered; retrying ("
                        + e.cause() + ")");
            }
            return Optional.of("electing a new master for epoch " + e.epoch() + ": " + answers.size() + " of "
                    + e.candidates().size() + " replicas answered (" + e.cause() + ")");
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
        long ready = life.instances().stream().filter(i -> i.isRunning() && confirmed.contains(i.taskId())).count();
        return Optional.of("waiting for instances to take their roles: " + ready + " of " + life.spec().numNodes() + " ready");
    }

    private static ClusterView.InstanceView instanceView(Instance i) {
        return new ClusterView.InstanceView(i.taskId().value(), i.host(), i.port(), i.state());
    }

    private TaskData taskData(Life life, Instance instance) {
        var spec = life.spec();
        return new TaskData(instance.taskId(), name, instance.taskId().serverId(), instance.host(), instance.port(),
                instance.resources(), spec.user(), life.secrets().password(), life.secrets().adminPassword(), spec.backupId(),
                spec.semiSync());
    }
}

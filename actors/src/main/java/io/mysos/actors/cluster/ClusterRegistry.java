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
import io.mysos.actors.DeepStackExecutor;
import io.mysos.actors.JournalBackoff;
import io.mysos.actors.JsonSerializable;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.core.cluster.CreateDeadline;
import io.mysos.core.cluster.Doubling;
import io.mysos.core.password.ClusterSecrets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The list of clusters (persistence id {@code registry}): it records each name when a cluster is
 * created and when it is gone, runs one {@link ClusterActor} per cluster, routes task status updates
 * to them, and keeps the latest view of each for listing.
 *
 * <p>Supervision: a failed journal write or recovery restarts the registry with backoff (its
 * children are stopped first and started again by the recovery). It watches each cluster actor:
 * one that stops for good while its cluster is registered is started again, and a new actor of a
 * name is only started once the previous one has terminated. A create whose cluster actor did not
 * confirm in time is asked again until it does, so a registered cluster is never left uncreated.
 * A create the journal recorded only after its asker gave up is undone, so it never takes effect.
 */
public final class ClusterRegistry
        extends EventSourcedBehaviorWithEnforcedReplies<ClusterRegistry.Command, ClusterRegistry.Event, ClusterRegistry.State> {

    public static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("registry");

    // ---------------------------------------------------------------- protocol

    public sealed interface Command extends JsonSerializable {}

    /**
     * Create a cluster; {@code secrets} were made off the actor thread (hashing is slow on purpose).
     * {@code answerBy}: when the asker stops waiting. A create that arrives too late to be answered
     * by then (it waited while the registry came back from a journal failure) is dropped unrecorded,
     * so a create the API answered "did not answer in time" never takes effect later.
     */
    public record CreateCluster(ClusterSpec spec, ClusterSecrets secrets, Optional<Instant> answerBy, ActorRef<CreateResult> replyTo)
            implements Command {
        public CreateCluster(ClusterSpec spec, ClusterSecrets secrets, ActorRef<CreateResult> replyTo) {
            this(spec, secrets, Optional.empty(), replyTo);
        }
    }

    public sealed interface CreateResult extends JsonSerializable {}

    public record Created(String name) implements CreateResult {}

    public record NameTaken(String name) implements CreateResult {}

    /** The cluster is registered but its actor did not confirm in time (journal trouble). */
    public record CreateFailed(String name, String reason) implements CreateResult {}

    public record GetCluster(String name, ActorRef<Optional<ClusterView>> replyTo) implements Command {}

    public record ListClusters(ActorRef<List<ClusterView>> replyTo) implements Command {}

    /** A password-guarded request (delete, resize, switchover) for cluster {@code name}. */
    public record Guarded(String name, ClusterActor.Guarded request) implements Command {}

    /** From a cluster actor: what the API should show of it now (empty once it has ended). */
    public record ViewChanged(String name, Optional<ClusterView> view) implements Command {}

    /** From a cluster actor: its cluster has terminated. */
    public record ClusterGone(String name) implements Command {}

    private record ChildCreated(String name, Optional<String> failure, Optional<ActorRef<CreateResult>> replyTo) implements Command {}

    /** Task status updates and executor messages, adapted from the resource side's protocol. */
    private record FromResources(ResourceSide.TaskEvent event) implements Command {}

    /** A watched cluster actor has terminated. */
    private record ChildTerminated(String name, ActorRef<ClusterActor.Command> child) implements Command {}

    /** Start the actor of a registered cluster again (after it stopped for good), or ask it again to create. */
    private record EnsureCreated(String name) implements Command {}

    /** A create recorded after its asker had stopped waiting: record it removed, so it never takes effect. */
    private record AbandonCreate(String name) implements Command {}

    // ---------------------------------------------------------------- events and state

    public sealed interface Event extends JsonSerializable {}

    public record ClusterRegistered(ClusterSpec spec, ClusterSecrets secrets, Instant at) implements Event {}

    public record ClusterRemoved(String name) implements Event {}

    public record State(List<ClusterRegistered> clusters) implements JsonSerializable {
        public State {
            clusters = List.copyOf(clusters);
        }

        Optional<ClusterRegistered> find(String name) {
            return clusters.stream().filter(c -> c.spec().name().equals(name)).findFirst();
        }

        State apply(Event event) {
            var next = new ArrayList<>(clusters);
            if (event instanceof ClusterRegistered e) {
                next.add(e);
            } else if (event instanceof ClusterRemoved e) {
                next.removeIf(c -> c.spec().name().equals(e.name()));
            }
            return new State(next);
        }
    }

    // ---------------------------------------------------------------- behavior

    /** The first wait before a cluster actor that stopped for good is started again; it doubles up to a minute. */
    static final Duration RESPAWN_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_RESPAWN_DELAY = Duration.ofMinutes(1);

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final ActorRef<OfferRouter.Command> router;
    private final ActorRef<ResourceSide.Command> resources;
    private final ClusterActor.Settings clusterSettings;
    private final Duration createTimeout;
    private final ClusterChildren children;
    /** Creates of a name whose previous actor is still stopping (or whose late create is being undone), by name. */
    private final Map<String, CreateCluster> waiting = new HashMap<>();
    /** Names recorded too late to answer their create, until their removal is recorded. */
    private final Set<String> abandoning = new HashSet<>();
    /** Names whose actor has not confirmed its creation yet, with how often it was asked or started again. */
    private final Map<String, Integer> unconfirmed = new HashMap<>();

    /** {@code createTimeout}: how long a new cluster's actor has to record it before the API answers 503. */
    public static Behavior<Command> create(ActorRef<OfferRouter.Command> router, ActorRef<ResourceSide.Command> resources,
                                           ClusterActor.Settings clusterSettings, Duration createTimeout) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers ->
                new ClusterRegistry(context, timers, router, resources, clusterSettings, createTimeout)));
    }

    private ClusterRegistry(ActorContext<Command> context, TimerScheduler<Command> timers, ActorRef<OfferRouter.Command> router,
                            ActorRef<ResourceSide.Command> resources, ClusterActor.Settings clusterSettings, Duration createTimeout) {
        super(PERSISTENCE_ID, JournalBackoff.strategy());
        this.context = context;
        this.timers = timers;
        this.router = router;
        this.resources = resources;
        this.clusterSettings = clusterSettings;
        this.createTimeout = createTimeout;
        this.children = new ClusterChildren(this::spawn);
        resources.tell(new ResourceSide.SubscribeTasks(context.messageAdapter(ResourceSide.TaskEvent.class, FromResources::new)));
    }

    @Override
    public State emptyState() {
        return new State(List.of());
    }

    @Override
    public Set<String> tagsFor(Event event) {
        return Set.of("registry");
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 2);
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
                .onCommand(CreateCluster.class, this::onCreate)
                .onCommand(ChildCreated.class, this::onChildCreated)
                .onCommand(GetCluster.class, this::onGet)
                .onCommand(ListClusters.class, this::onList)
                .onCommand(Guarded.class, this::onGuarded)
                .onCommand(FromResources.class, this::onResources)
                .onCommand(ViewChanged.class, this::onViewChanged)
                .onCommand(ClusterGone.class, this::onGone)
                .onCommand(ChildTerminated.class, this::onChildTerminated)
                .onCommand(EnsureCreated.class, this::onEnsureCreated)
                .onCommand(AbandonCreate.class, this::onAbandon)
                .build();
    }

    private void onRecovered(State state) {
        tellKnown(state);
        for (var registered : state.clusters()) {
            children.spawn(registered.spec().name());
            askCreate(registered, Optional.empty(), createTimeout);
        }
    }

    private ReplyEffect<Event, State> onCreate(State state, CreateCluster cmd) {
        var name = cmd.spec().name();
        var now = clusterSettings.clock().instant();
        var deadline = new CreateDeadline(cmd.answerBy());
        if (!deadline.leavesRoomFor(createTimeout, now)) {
            context.getLog().warn("Dropping the create of cluster {}: it arrived too late to be answered in time", name);
            return Effect().noReply();
        }
        var earlier = waiting.get(name);
        if (earlier != null && new CreateDeadline(earlier.answerBy()).leavesRoomFor(createTimeout, now)) {
            return Effect().reply(cmd.replyTo(), new NameTaken(name));
        }
        if (earlier != null) {
            // Its asker gave up (the API answered 503): this create takes its place.
            waiting.remove(name);
        }
        if (children.stopping(name) || abandoning.contains(name) || (registered(state, name) && children.deleting(name))) {
            // An earlier cluster of this name is being deleted, or its actor is still stopping (or a late create of the
            // name is being undone): create once that is over, if the asker still waits by then.
            waiting.put(name, cmd);
            return Effect().noReply();
        }
        if (registered(state, name)) {
            return Effect().reply(cmd.replyTo(), new NameTaken(name));
        }
        var registered = new ClusterRegistered(cmd.spec(), cmd.secrets(), clusterSettings.clock().instant());
        return Effect().persist(registered)
                .thenRun(s -> {
                    var confirmWithin = deadline.confirmWithin(createTimeout, clusterSettings.clock().instant());
                    if (confirmWithin.isEmpty()) {
                        // The journal took so long that the asker has given up (the API answered 503): undo it.
                        context.getLog().warn("Cluster {} was recorded after its create had been answered 503; removing it", name);
                        abandoning.add(name);
                        context.getSelf().tell(new AbandonCreate(name));
                        return;
                    }
                    tellKnown(s);
                    children.spawn(name);
                    askCreate(registered, Optional.of(cmd.replyTo()), confirmWithin.get());
                })
                .thenNoReply();
    }

    private ReplyEffect<Event, State> onAbandon(State state, AbandonCreate cmd) {
        return Effect().persist(new ClusterRemoved(cmd.name()))
                .thenRun(s -> {
                    abandoning.remove(cmd.name());
                    tellKnown(s);
                    var next = waiting.remove(cmd.name());
                    if (next != null) {
                        context.getSelf().tell(next);
                    }
                })
                .thenNoReply();
    }

    /** Asks the cluster actor to record its creation; it answers at once if it already has. */
    private void askCreate(ClusterRegistered registered, Optional<ActorRef<CreateResult>> replyTo, Duration timeout) {
        var name = registered.spec().name();
        unconfirmed.merge(name, 1, Integer::sum);
        context.ask(ClusterActor.CreateResult.class, children.running(name).orElseThrow(), timeout,
                r -> new ClusterActor.Create(registered.spec(), registered.secrets(), registered.at(), r),
                (ok, failure) -> new ChildCreated(name, Optional.ofNullable(failure).map(Throwable::getMessage), replyTo));
    }

    private ReplyEffect<Event, State> onChildCreated(State state, ChildCreated cmd) {
        if (cmd.failure().isEmpty()) {
            unconfirmed.remove(cmd.name());
        } else if (state.find(cmd.name()).isPresent()) {
            context.getLog().warn("Cluster {} did not confirm its creation in {} ({}); asking again", cmd.name(), createTimeout,
                    cmd.failure().get());
            var delay = doubling(unconfirmed.getOrDefault(cmd.name(), 1));
            timers.startSingleTimer("create-" + cmd.name(), new EnsureCreated(cmd.name()), delay);
        }
        if (cmd.replyTo().isEmpty()) {
            return Effect().noReply();
        }
        CreateResult result = cmd.failure().<CreateResult>map(f -> new CreateFailed(cmd.name(), f))
                .orElse(new Created(cmd.name()));
        return Effect().reply(cmd.replyTo().get(), result);
    }

    private ReplyEffect<Event, State> onEnsureCreated(State state, EnsureCreated cmd) {
        var registered = state.find(cmd.name());
        if (registered.isEmpty() || children.stopping(cmd.name())) {
            return Effect().noReply();
        }
        if (children.running(cmd.name()).isEmpty()) {
            children.spawn(cmd.name());
        }
        askCreate(registered.get(), Optional.empty(), createTimeout);
        return Effect().noReply();
    }

    /** A cluster actor has terminated: its name is free; if it stopped on its own, its cluster still needs an actor. */
    private ReplyEffect<Event, State> onChildTerminated(State state, ChildTerminated cmd) {
        var name = cmd.name();
        var ended = children.terminated(name, cmd.child());
        if (ended == ClusterChildren.Ended.STOPPED_AS_TOLD) {
            var next = waiting.remove(name);
            return next == null ? Effect().noReply() : onCreate(state, next);
        }
        if (ended == ClusterChildren.Ended.STOPPED_ON_ITS_OWN && state.find(name).isPresent()) {
            var delay = doubling(children.respawned(name));
            context.getLog().error("The actor of cluster {} stopped; starting it again in {}", name, delay);
            timers.startSingleTimer("create-" + name, new EnsureCreated(name), delay);
        }
        return Effect().noReply();
    }

    private static Duration doubling(int attempt) {
        return Doubling.delay(RESPAWN_DELAY, MAX_RESPAWN_DELAY, attempt);
    }

    private ReplyEffect<Event, State> onGet(State state, GetCluster cmd) {
        var child = children.running(cmd.name()).orElse(null);
        if (child == null) {
            // A registered cluster whose actor is being started again exists: no answer (the API says 503), not 404.
            return registered(state, cmd.name()) ? Effect().noReply() : Effect().reply(cmd.replyTo(), Optional.empty());
        }
        child.tell(new ClusterActor.GetView(cmd.replyTo()));
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onList(State state, ListClusters cmd) {
        return Effect().reply(cmd.replyTo(), children.views());
    }

    private ReplyEffect<Event, State> onGuarded(State state, Guarded cmd) {
        var child = children.running(cmd.name()).orElse(null);
        if (child == null) {
            return registered(state, cmd.name()) ? Effect().noReply() : Effect().reply(cmd.request().replyTo(),
                    new ClusterActor.NotFound(cmd.name()));
        }
        child.tell(cmd.request());
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onResources(State state, FromResources cmd) {
        TaskRouting.route(cmd.event(), children::running, resources, context.getLog());
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onViewChanged(State state, ViewChanged cmd) {
        children.viewChanged(cmd.name(), cmd.view());
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onGone(State state, ClusterGone cmd) {
        unconfirmed.remove(cmd.name());
        timers.cancel("create-" + cmd.name());
        children.stop(cmd.name()).ifPresent(context::stop);
        if (state.find(cmd.name()).isEmpty()) {
            return Effect().noReply();
        }
        return Effect().persist(new ClusterRemoved(cmd.name())).thenRun(this::tellKnown).thenNoReply();
    }

    /** Whether {@code name} is registered (and not a late create being undone). */
    private boolean registered(State state, String name) {
        return state.find(name).isPresent() && !abandoning.contains(name);
    }

    /** The resource side destroys the volumes of clusters that do not exist. */
    private void tellKnown(State state) {
        resources.tell(new ResourceSide.ClustersKnown(state.clusters().stream().map(c -> c.spec().name()).toList()));
    }

    /** Starts and watches the actor of a cluster (for {@link ClusterChildren#spawn}). */
    private ActorRef<ClusterActor.Command> spawn(String name) {
        var peers = new ClusterActor.Peers(context.getSelf(), router, resources);
        var child = context.spawn(ClusterActor.create(name, peers, clusterSettings), "cluster-" + name, DeepStackExecutor.PROPS);
        context.watchWith(child, new ChildTerminated(name, child));
        return child;
    }
}

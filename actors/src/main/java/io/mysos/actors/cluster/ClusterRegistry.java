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
import io.mysos.actors.JournalBackoff;
import io.mysos.actors.JsonSerializable;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.core.password.ClusterSecrets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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

    /**
     * How long before its asker gives up a create must be recorded to go ahead: the reply has this
     * long to reach the asker. A create recorded later is undone ({@link AbandonCreate}).
     */
    static final Duration REPLY_MARGIN = Duration.ofSeconds(1);

    /** The first wait before a cluster actor that stopped for good is started again; it doubles up to a minute. */
    static final Duration RESPAWN_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_RESPAWN_DELAY = Duration.ofMinutes(1);

    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final ActorRef<OfferRouter.Command> router;
    private final ActorRef<ResourceSide.Command> resources;
    private final ClusterActor.Settings clusterSettings;
    private final Duration createTimeout;
    /** The running cluster actor of each registered name. */
    private final Map<String, ActorRef<ClusterActor.Command>> children = new HashMap<>();
    /** Cluster actors told to stop whose termination has not been seen yet: their names are not free. */
    private final Map<String, ActorRef<ClusterActor.Command>> stopping = new HashMap<>();
    /** Creates of a name whose previous actor is still stopping (or whose late create is being undone), by name. */
    private final Map<String, CreateCluster> waiting = new HashMap<>();
    /** Names recorded too late to answer their create, until their removal is recorded. */
    private final Set<String> abandoning = new java.util.HashSet<>();
    /** Names whose actor has not confirmed its creation yet, with how often it was asked or started again. */
    private final Map<String, Integer> unconfirmed = new HashMap<>();
    /** How often the actor of each cluster stopped on its own (not kept across restarts of the registry). */
    private final Map<String, Integer> respawns = new HashMap<>();
    private final Map<String, ClusterView> views = new HashMap<>();

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
            spawn(registered.spec().name());
            askCreate(registered, Optional.empty());
        }
    }

    private ReplyEffect<Event, State> onCreate(State state, CreateCluster cmd) {
        var name = cmd.spec().name();
        var now = clusterSettings.clock().instant();
        if (cmd.answerBy().filter(by -> now.plus(createTimeout).isAfter(by)).isPresent()) {
            context.getLog().warn("Dropping the create of cluster {}: it arrived too late to be answered in time", name);
            return Effect().noReply();
        }
        if ((state.find(name).isPresent() && !abandoning.contains(name)) || waiting.containsKey(name)) {
            return Effect().reply(cmd.replyTo(), new NameTaken(name));
        }
        if (stopping.containsKey(name) || abandoning.contains(name)) {
            // The actor of an earlier cluster of this name is still stopping (or a late create of the name is
            // being undone): create once that is over.
            waiting.put(name, cmd);
            return Effect().noReply();
        }
        var registered = new ClusterRegistered(cmd.spec(), cmd.secrets(), clusterSettings.clock().instant());
        return Effect().persist(registered)
                .thenRun(s -> {
                    var left = cmd.answerBy().map(by -> Duration.between(clusterSettings.clock().instant(), by).minus(REPLY_MARGIN));
                    if (left.filter(d -> d.isNegative() || d.isZero()).isPresent()) {
                        // The journal took so long that the asker has given up (the API answered 503): undo it.
                        context.getLog().warn("Cluster {} was recorded after its create had been answered 503; removing it", name);
                        abandoning.add(name);
                        context.getSelf().tell(new AbandonCreate(name));
                        return;
                    }
                    tellKnown(s);
                    spawn(name);
                    askCreate(registered, Optional.of(cmd.replyTo()),
                            left.filter(d -> d.compareTo(createTimeout) < 0).orElse(createTimeout));
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

    private void askCreate(ClusterRegistered registered, Optional<ActorRef<CreateResult>> replyTo) {
        askCreate(registered, replyTo, createTimeout);
    }

    /** Asks the cluster actor to record its creation; it answers at once if it already has. */
    private void askCreate(ClusterRegistered registered, Optional<ActorRef<CreateResult>> replyTo, Duration timeout) {
        var name = registered.spec().name();
        unconfirmed.merge(name, 1, Integer::sum);
        context.ask(ClusterActor.CreateResult.class, children.get(name), timeout,
                r -> new ClusterActor.Create(registered.spec(), registered.secrets(), registered.at(), r),
                (ok, failure) -> new ChildCreated(name, Optional.ofNullable(failure).map(Throwable::getMessage), replyTo));
    }

    private ReplyEffect<Event, State> onChildCreated(State state, ChildCreated cmd) {
        if (cmd.failure().isEmpty()) {
            unconfirmed.remove(cmd.name());
        } else if (state.find(cmd.name()).isPresent()) {
            context.getLog().warn("Cluster {} did not confirm its creation in {} ({}); asking again", cmd.name(), createTimeout,
                    cmd.failure().get());
            timers.startSingleTimer("create-" + cmd.name(), new EnsureCreated(cmd.name()), retryDelay(cmd.name()));
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
        if (registered.isEmpty() || stopping.containsKey(cmd.name())) {
            return Effect().noReply();
        }
        if (!children.containsKey(cmd.name())) {
            spawn(cmd.name());
        }
        askCreate(registered.get(), Optional.empty());
        return Effect().noReply();
    }

    /** A cluster actor has terminated: its name is free; if it stopped on its own, its cluster still needs an actor. */
    private ReplyEffect<Event, State> onChildTerminated(State state, ChildTerminated cmd) {
        var name = cmd.name();
        if (stopping.get(name) == cmd.child()) {
            stopping.remove(name);
            var next = waiting.remove(name);
            return next == null ? Effect().noReply() : onCreate(state, next);
        }
        if (children.get(name) == cmd.child()) {
            children.remove(name);
            views.remove(name);
            if (state.find(name).isPresent()) {
                // Counted apart from creates, so an actor that keeps failing waits longer each time.
                var delay = doubling(respawns.merge(name, 1, Integer::sum));
                context.getLog().error("The actor of cluster {} stopped; starting it again in {}", name, delay);
                timers.startSingleTimer("create-" + name, new EnsureCreated(name), delay);
            }
        }
        return Effect().noReply();
    }

    private Duration retryDelay(String name) {
        return doubling(unconfirmed.getOrDefault(name, 1));
    }

    private static Duration doubling(int attempt) {
        int attempts = Math.min(attempt, 16);
        var delay = RESPAWN_DELAY.multipliedBy(1L << Math.max(0, attempts - 1));
        return delay.compareTo(MAX_RESPAWN_DELAY) > 0 ? MAX_RESPAWN_DELAY : delay;
    }

    private ReplyEffect<Event, State> onGet(State state, GetCluster cmd) {
        var child = children.get(cmd.name());
        if (child == null) {
            // A registered cluster whose actor is being started again exists: no answer (the API says 503), not 404.
            return state.find(cmd.name()).isPresent() && !abandoning.contains(cmd.name()) ? Effect().noReply()
                    : Effect().reply(cmd.replyTo(), Optional.empty());
        }
        child.tell(new ClusterActor.GetView(cmd.replyTo()));
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onList(State state, ListClusters cmd) {
        var listed = views.values().stream().sorted(Comparator.comparing(ClusterView::name)).toList();
        return Effect().reply(cmd.replyTo(), listed);
    }

    private ReplyEffect<Event, State> onGuarded(State state, Guarded cmd) {
        var child = children.get(cmd.name());
        if (child == null) {
            return state.find(cmd.name()).isPresent() && !abandoning.contains(cmd.name()) ? Effect().noReply()
                    : Effect().reply(cmd.request().replyTo(), new ClusterActor.NotFound(cmd.name()));
        }
        child.tell(cmd.request());
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onResources(State state, FromResources cmd) {
        if (cmd.event() instanceof ResourceSide.TaskStatusReceived received) {
            routeStatus(received);
        } else if (cmd.event() instanceof ResourceSide.ExecutorMessageReceived received) {
            var child = children.get(received.report().taskId().cluster());
            if (child != null) {
                child.tell(new ClusterActor.ReportReceived(received.report()));
            }
        }
        return Effect().noReply();
    }

    private void routeStatus(ResourceSide.TaskStatusReceived received) {
        var status = received.status();
        var child = children.get(status.taskId().cluster());
        if (child != null) {
            child.tell(new ClusterActor.StatusUpdate(status));
        }
        ClusterVolumeEvents.acknowledgeOnceRecorded(received, java.util.Optional.ofNullable(child), resources);
        if (child == null && !status.state().isTerminal()) {
            context.getLog().warn("Killing task {}: no cluster {} is registered", status.taskId(), status.taskId().cluster());
            resources.tell(new ResourceSide.Kill(status.taskId()));
        }
    }

    private ReplyEffect<Event, State> onViewChanged(State state, ViewChanged cmd) {
        if (children.containsKey(cmd.name())) {
            cmd.view().ifPresentOrElse(v -> views.put(cmd.name(), v), () -> views.remove(cmd.name()));
        }
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onGone(State state, ClusterGone cmd) {
        var child = children.remove(cmd.name());
        views.remove(cmd.name());
        unconfirmed.remove(cmd.name());
        respawns.remove(cmd.name());
        timers.cancel("create-" + cmd.name());
        if (child != null) {
            stopping.put(cmd.name(), child);
            context.stop(child);
        }
        if (state.find(cmd.name()).isEmpty()) {
            return Effect().noReply();
        }
        return Effect().persist(new ClusterRemoved(cmd.name())).thenRun(this::tellKnown).thenNoReply();
    }

    /** The resource side destroys the volumes of clusters that do not exist. */
    private void tellKnown(State state) {
        resources.tell(new ResourceSide.ClustersKnown(state.clusters().stream().map(c -> c.spec().name()).toList()));
    }

    /** Starts the actor of a cluster; the caller made sure no earlier actor of the name is still stopping. */
    private void spawn(String name) {
        var peers = new ClusterActor.Peers(context.getSelf(), router, resources);
        var child = context.spawn(ClusterActor.create(name, peers, clusterSettings), "cluster-" + name,
                io.mysos.actors.DeepStackExecutor.PROPS);
        context.watchWith(child, new ChildTerminated(name, child));
        children.put(name, child);
    }
}

package io.mysos.actors.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
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
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskStatus;
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
 */
public final class ClusterRegistry
        extends EventSourcedBehaviorWithEnforcedReplies<ClusterRegistry.Command, ClusterRegistry.Event, ClusterRegistry.State> {

    public static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("registry");

    // ---------------------------------------------------------------- protocol

    public sealed interface Command extends JsonSerializable {}

    /** Create a cluster; {@code secrets} were made off the actor thread (hashing is slow on purpose). */
    public record CreateCluster(ClusterSpec spec, ClusterSecrets secrets, ActorRef<CreateResult> replyTo) implements Command {}

    public sealed interface CreateResult extends JsonSerializable {}

    public record Created(String name) implements CreateResult {}

    public record NameTaken(String name) implements CreateResult {}

    /** The cluster is registered but its actor did not confirm in time (journal trouble). */
    public record CreateFailed(String name, String reason) implements CreateResult {}

    public record GetCluster(String name, ActorRef<Optional<ClusterView>> replyTo) implements Command {}

    public record ListClusters(ActorRef<List<ClusterView>> replyTo) implements Command {}

    /** A password-guarded request (delete, resize, switchover) for cluster {@code name}. */
    public record Guarded(String name, ClusterActor.Guarded request) implements Command {}

    /** A task status update from the resource side. */
    public record StatusUpdate(TaskStatus status) implements Command {}

    /** An executor's report from the resource side. */
    public record ReportReceived(ExecutorReport report) implements Command {}

    /** From a cluster actor: what the API should show of it now (empty once it has ended). */
    public record ViewChanged(String name, Optional<ClusterView> view) implements Command {}

    /** From a cluster actor: its cluster has terminated. */
    public record ClusterGone(String name) implements Command {}

    private record ChildCreated(String name, Optional<String> failure, ActorRef<CreateResult> replyTo) implements Command {}

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

    private final ActorContext<Command> context;
    private final ActorRef<OfferRouter.Command> router;
    private final ActorRef<ResourceSide.Command> resources;
    private final ClusterActor.Settings clusterSettings;
    private final Map<String, ActorRef<ClusterActor.Command>> children = new HashMap<>();
    private final Map<String, ClusterView> views = new HashMap<>();
    private long spawned;

    public static Behavior<Command> create(ActorRef<OfferRouter.Command> router, ActorRef<ResourceSide.Command> resources,
                                           ClusterActor.Settings clusterSettings) {
        return Behaviors.setup(context -> new ClusterRegistry(context, router, resources, clusterSettings));
    }

    private ClusterRegistry(ActorContext<Command> context, ActorRef<OfferRouter.Command> router,
                            ActorRef<ResourceSide.Command> resources, ClusterActor.Settings clusterSettings) {
        super(PERSISTENCE_ID);
        this.context = context;
        this.router = router;
        this.resources = resources;
        this.clusterSettings = clusterSettings;
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
                .onCommand(StatusUpdate.class, this::onStatus)
                .onCommand(ReportReceived.class, this::onReport)
                .onCommand(ViewChanged.class, this::onViewChanged)
                .onCommand(ClusterGone.class, this::onGone)
                .build();
    }

    private void onRecovered(State state) {
        for (var registered : state.clusters()) {
            var child = spawn(registered.spec().name());
            child.tell(new ClusterActor.Create(registered.spec(), registered.secrets(), registered.at(),
                    context.getSystem().ignoreRef()));
        }
    }

    private ReplyEffect<Event, State> onCreate(State state, CreateCluster cmd) {
        var name = cmd.spec().name();
        if (state.find(name).isPresent()) {
            return Effect().reply(cmd.replyTo(), new NameTaken(name));
        }
        var registered = new ClusterRegistered(cmd.spec(), cmd.secrets(), clusterSettings.clock().instant());
        return Effect().persist(registered)
                .thenRun(s -> context.ask(ClusterActor.CreateResult.class, spawn(name), Duration.ofSeconds(10),
                        replyTo -> new ClusterActor.Create(registered.spec(), registered.secrets(), registered.at(), replyTo),
                        (ok, failure) -> new ChildCreated(name,
                                Optional.ofNullable(failure).map(Throwable::getMessage), cmd.replyTo())))
                .thenNoReply();
    }

    private ReplyEffect<Event, State> onChildCreated(State state, ChildCreated cmd) {
        CreateResult result = cmd.failure().<CreateResult>map(f -> new CreateFailed(cmd.name(), f))
                .orElse(new Created(cmd.name()));
        return Effect().reply(cmd.replyTo(), result);
    }

    private ReplyEffect<Event, State> onGet(State state, GetCluster cmd) {
        var child = children.get(cmd.name());
        if (child == null) {
            return Effect().reply(cmd.replyTo(), Optional.empty());
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
            return Effect().reply(cmd.request().replyTo(), new ClusterActor.NotFound(cmd.name()));
        }
        child.tell(cmd.request());
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onStatus(State state, StatusUpdate cmd) {
        var status = cmd.status();
        var child = children.get(status.taskId().cluster());
        if (child != null) {
            child.tell(new ClusterActor.StatusUpdate(status));
        } else if (!status.state().isTerminal()) {
            context.getLog().warn("Killing task {}: no cluster {} is registered", status.taskId(), status.taskId().cluster());
            resources.tell(new ResourceSide.Kill(status.taskId()));
        }
        return Effect().noReply();
    }

    private ReplyEffect<Event, State> onReport(State state, ReportReceived cmd) {
        var child = children.get(cmd.report().taskId().cluster());
        if (child != null) {
            child.tell(new ClusterActor.ReportReceived(cmd.report()));
        }
        return Effect().noReply();
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
        if (child != null) {
            context.stop(child);
        }
        if (state.find(cmd.name()).isEmpty()) {
            return Effect().noReply();
        }
        return Effect().persist(new ClusterRemoved(cmd.name())).thenNoReply();
    }

    private ActorRef<ClusterActor.Command> spawn(String name) {
        var peers = new ClusterActor.Peers(context.getSelf(), router, resources);
        // A unique actor name: a stopping actor of an earlier cluster of this name may still be around.
        var child = context.spawn(ClusterActor.create(name, peers, clusterSettings), "cluster-" + name + "-" + (++spawned));
        children.put(name, child);
        return child;
    }
}

package io.mysos.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import akka.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.typesafe.config.ConfigFactory;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.core.election.Position;
import io.mysos.core.offer.Placement;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A deterministic world for one cluster actor: the persistence testkit journal, manual time (and a
 * clock that moves with it), probes for the registry, the offer router and the resource side, and
 * scripted executors: the test decides what each executor answers, drops, delays or duplicates.
 * Everything an actor sends its executors arrives at {@link #resources}; everything it records
 * can be read with {@link #expectEvents}.
 */
final class ClusterSimulation implements AutoCloseable {
    static final String PASSWORD = "correct-horse";
    static final String NAME = "orders";
    static final Instant START = Instant.parse("2026-11-25T12:00:00Z");
    private static final SchedulerKey KEY = SchedulerKey.generate();
    private static final ClusterSecrets SECRETS = ClusterSecrets.create(PASSWORD, KEY);

    final ActorTestKit kit;
    final ManualTime time;
    final PersistenceTestKit journal;
    final MovingClock clock = new MovingClock();
    final TestProbe<ClusterRegistry.Command> registry;
    final TestProbe<OfferRouter.Command> router;
    final TestProbe<ResourceSide.Command> resources;
    final ClusterActor.Settings settings;
    ActorRef<ClusterActor.Command> cluster;
    /** The demand last checked by {@link #expectDemand} (0 once {@link #runningCluster} has every instance). */
    private int lastDemand;
    private int nextPort = 31000;

    /** A java.time.Clock that manual time moves: events carry its instants. */
    static final class MovingClock extends Clock {
        private volatile Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    ClusterSimulation() {
        this(ConfigFactory.empty());
    }

    /** With {@code overrides} of the configuration (e.g. a short {@code mysos.backup.timeout}). */
    ClusterSimulation(com.typesafe.config.Config overrides) {
        var config = overrides.withFallback(ManualTime.config())
                .withFallback(PersistenceTestKitPlugin.getInstance().config())
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load());
        kit = ActorTestKit.create(config);
        time = ManualTime.get(kit.system());
        journal = PersistenceTestKit.create(kit.system());
        registry = kit.createTestProbe();
        router = kit.createTestProbe();
        resources = kit.createTestProbe();
        // The timings of reference.conf (converge 1 s, staging 30 s, query 200 ms, election 5 s), on manual time.
        settings = ClusterActor.Settings.fromConfig(config).withClock(clock);
        start();
    }

    /** Starts (or, after {@link #stopScheduler}, restarts) the cluster actor on the same journal. */
    void start() {
        cluster = kit.spawn(ClusterActor.create(NAME, new ClusterActor.Peers(registry.ref(), router.ref(), resources.ref()), settings));
    }

    /** The scheduler stops (or crashes) here: the actor is gone, the journal stays. */
    void stopScheduler() {
        var probe = kit.createTestProbe();
        kit.stop(cluster);
        probe.expectTerminated(cluster, Duration.ofSeconds(3));
    }

    void passes(Duration duration) {
        clock.now = clock.now.plus(duration);
        time.timePasses(duration);
    }

    String pid() {
        return ClusterActor.persistenceId(NAME).id();
    }

    static ClusterSpec spec(int nodes) {
        return new ClusterSpec(NAME, "app", nodes, Resources.DEFAULT_INSTANCE, Optional.empty(), nodes >= 2);
    }

    // ------------------------------------------------------------ driving the actor

    void create(int nodes) {
        var probe = kit.<ClusterActor.CreateResult>createTestProbe();
        cluster.tell(new ClusterActor.Create(spec(nodes), SECRETS, clock.instant(), probe.ref()));
        probe.expectMessage(new ClusterActor.Created(NAME));
    }

    TaskId place() {
        var probe = kit.<OfferRouter.PlaceResult>createTestProbe();
        var placement = new Placement(NAME, "offer-" + nextPort, "agent-1", "10.0.0." + (nextPort - 30999), nextPort++,
                Resources.DEFAULT_INSTANCE);
        cluster.tell(new ClusterActor.FromRouter(new OfferRouter.Place(placement, probe.ref())));
        return assertInstanceOf(OfferRouter.Accepted.class, probe.receiveMessage()).task().taskId();
    }

    void status(TaskId task, TaskState state) {
        status(task, state, "");
    }

    void status(TaskId task, TaskState state, String message) {
        cluster.tell(new ClusterActor.StatusUpdate(new TaskStatus(task, state, message)));
    }

    void report(ExecutorReport report) {
        cluster.tell(new ClusterActor.ReportReceived(report));
    }

    void position(TaskId task, long epoch, String mariadbPosition) {
        report(new ExecutorReport.PositionReported(task, epoch, Position.mariadb(mariadbPosition), Position.mariadb(mariadbPosition)));
    }

    void promoted(TaskId task, long epoch) {
        report(new ExecutorReport.Promoted(task, epoch));
    }

    /** A replica confirms it replicates from {@code master}, then its first health check says it is in sync, as executors do. */
    void reparented(TaskId task, long epoch, TaskId master) {
        reparentedWithoutLag(task, epoch, master);
        report(new ExecutorReport.ReplicationLag(task, epoch, Optional.of(0L), 0, false));
    }

    /** Only the confirmation: the replica's first health check has not reported yet. */
    void reparentedWithoutLag(TaskId task, long epoch, TaskId master) {
        report(new ExecutorReport.Reparented(task, epoch, host(master), port(master)));
    }

    ClusterActor.Outcome guarded(java.util.function.Function<ActorRef<ClusterActor.Outcome>, ClusterActor.Guarded> request) {
        var probe = kit.<ClusterActor.Outcome>createTestProbe();
        cluster.tell(request.apply(probe.ref()));
        return probe.receiveMessage(Duration.ofSeconds(5));
    }

    ClusterView view() {
        var probe = kit.<Optional<ClusterView>>createTestProbe();
        cluster.tell(new ClusterActor.GetView(probe.ref()));
        return probe.receiveMessage().orElseThrow();
    }

    static String host(TaskId task) {
        return "10.0.0." + task.serverId();
    }

    static int port(TaskId task) {
        return 30999 + (int) task.serverId();
    }

    /**
     * A cluster of {@code nodes} whose first instance is the master of epoch 0, every instance
     * confirmed in its role, and the journal and probes drained: the starting point of most scenarios.
     */
    List<TaskId> runningCluster(int nodes) {
        create(nodes);
        var tasks = new ArrayList<TaskId>();
        for (int i = 0; i < nodes; i++) {
            tasks.add(place());
        }
        for (var task : tasks) {
            status(task, TaskState.RUNNING);
        }
        var master = tasks.get(0);
        awaitView(v -> v.master().isPresent() && v.replicas().stream().allMatch(r -> r.state() == TaskState.RUNNING));
        promoted(master, 0);
        tasks.subList(1, nodes).forEach(r -> reparented(r, 0, master));
        awaitView(v -> v.status() == io.mysos.core.cluster.ClusterStatus.RUNNING);
        // Consume what was recorded so far: scenarios assert only what follows.
        journal.receivePersisted(pid(), journal.persistedInStorage(pid()).size(), ClusterEvent.class);
        settle();
        drain();
        lastDemand = 0;
        return tasks;
    }

    void awaitView(java.util.function.Predicate<ClusterView> until) {
        resources.awaitAssert(Duration.ofSeconds(3), () -> {
            var view = view();
            if (!until.test(view)) {
                throw new AssertionError("view not there yet: " + view);
            }
            return null;
        });
    }

    /**
     * Returns once the actor has handled everything sent to it so far, and carried out what followed
     * (it answers a view only after the persists and effects of the messages before it; manual time
     * moves only when a test says so). Whatever it sent by then is in the probes' queues: negative
     * checks after this are exact, without waiting on real time.
     */
    void settle() {
        view();
    }

    /** Forgets what the probes received so far (after {@link #settle}, everything the actor sent until then). */
    void drain() {
        takeQueued(resources);
        takeQueued(router);
        takeQueued(registry);
    }

    /** Told to a probe after the actor answered: everything the actor sent the probe before comes first. */
    private static final Object FLUSH = new Object() {
        @Override
        public String toString() {
            return "FLUSH";
        }
    };

    /**
     * The messages the actor sent {@code probe} so far (after {@link #settle}: all it sent until it
     * answered), without a real-time window: a probe files each message on a thread of its own, so
     * a marker told now is filed after every message the actor told before it.
     */
    @SuppressWarnings("unchecked")
    static <T> List<T> takeQueued(TestProbe<T> probe) {
        ((akka.actor.typed.ActorRef<Object>) (akka.actor.typed.ActorRef<?>) probe.ref()).tell(FLUSH);
        var taken = new ArrayList<T>();
        while (true) {
            Object message = probe.receiveMessage(Duration.ofSeconds(3));
            if (message == FLUSH) {
                return taken;
            }
            taken.add((T) message);
        }
    }

    // ------------------------------------------------------------ assertions

    /** The next events the actor persisted are exactly these. */
    void expectEvents(ClusterEvent... events) {
        var persisted = journal.receivePersisted(pid(), events.length, ClusterEvent.class, Duration.ofSeconds(3));
        assertEquals(List.of(events), persisted);
    }

    void expectNoEvents() {
        settle();
        journal.expectNothingPersisted(pid(), Duration.ZERO);
    }

    /** The next message to the resource side (skipping none) is this one. */
    void expectToResources(ResourceSide.Command command) {
        assertEquals(command, resources.receiveMessage(Duration.ofSeconds(3)));
    }

    /** Collects the next {@code n} messages to the resource side, in any order. */
    List<ResourceSide.Command> nextToResources(int n) {
        return resources.receiveSeveralMessages(n, Duration.ofSeconds(3));
    }

    void expectNothingToResources() {
        settle();
        assertEquals(List.of(), takeQueued(resources), "nothing more is sent to the resource side");
    }

    static ResourceSide.Send query(TaskId task, long epoch) {
        return new ResourceSide.Send(task, new ExecutorCommand.QueryPosition(epoch));
    }

    static ResourceSide.Send promote(TaskId task, long epoch) {
        return new ResourceSide.Send(task, new ExecutorCommand.Promote(epoch));
    }

    static ResourceSide.Send reparent(TaskId task, long epoch, TaskId master) {
        return new ResourceSide.Send(task, new ExecutorCommand.Reparent(epoch, host(master), port(master)));
    }

    /**
     * The actor now asks the router for {@code instances}: the demands it told since the last check
     * repeat the one expected then, then ask for this one. Any other demand fails.
     */
    void expectDemand(int instances) {
        settle();
        var told = takeQueued(router).stream().filter(OfferRouter.UpdateDemand.class::isInstance)
                .map(m -> ((OfferRouter.UpdateDemand) m).demand().instances()).toList();
        var expected = told.stream().dropWhile(n -> n == lastDemand).toList();
        if (told.isEmpty() || told.get(told.size() - 1) != instances || expected.stream().anyMatch(n -> n != instances)) {
            throw new AssertionError("expected demands " + lastDemand + "... then " + instances + ", but the actor told " + told);
        }
        lastDemand = instances;
    }

    @Override
    public void close() {
        kit.shutdownTestKit();
    }
}

package io.mysos.it.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.FishingOutcomes;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.Config;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.actors.cluster.ClusterView;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.actors.resource.ResourceSide;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The real cluster registry and cluster actors in one ActorSystem on a real journal, with probes
 * standing in for the offer router and the resource side, and the test scripting what executors
 * report. This is the journal tests' only contact with the actors' protocol, so a change to that
 * protocol is adapted here and nowhere else.
 */
final class ClusterDriver implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(15);

    /**
     * Timers that do not fire during a test: the scenario sends every status and report itself, so
     * nothing is re-sent behind its back and each election decides once every candidate answered.
     */
    private static final Duration NEVER = Duration.ofHours(1);

    /** An instance as placed: its task and where it listens. */
    record Node(TaskId taskId, String host, int port) {
    }

    /** What a cluster's journal alone decides of its view; liveness (status, reason) needs its instances to confirm first. */
    record Recorded(String name, int numNodes, long epoch, Optional<ClusterView.InstanceView> master,
                    List<ClusterView.InstanceView> replicas, Resources size, String user, Instant createdAt,
                    boolean semiSync, Optional<ClusterView.Failover> lastFailover, List<ClusterView.EndedView> ended) {
        /** What the journal keeps of {@code view}: not the replicas' lag, a live measurement each executor reports afresh. */
        static Recorded of(ClusterView view) {
            return new Recorded(view.name(), view.numNodes(), view.epoch(), view.master().map(Recorded::withoutLag),
                    view.replicas().stream().map(Recorded::withoutLag).toList(), view.size(),
                    view.user(), view.createdAt(), view.semiSync(), view.lastFailover(), view.ended());
        }

        private static ClusterView.InstanceView withoutLag(ClusterView.InstanceView i) {
            return new ClusterView.InstanceView(i.taskId(), i.host(), i.port(), i.state(), i.role(), Optional.empty());
        }
    }

    /** A password-guarded request's answer, awaited when the scenario has done what the request waits for. */
    final class Reply {
        private final TestProbe<ClusterActor.Outcome> probe;

        private Reply(TestProbe<ClusterActor.Outcome> probe) {
            this.probe = probe;
        }

        /** The request succeeded; its detail, e.g. "resizing from 3 to 2 nodes". */
        String done() {
            return assertInstanceOf(ClusterActor.Done.class, probe.receiveMessage(WAIT)).detail();
        }

        /** A backup was accepted; its id. */
        String acceptedBackup() {
            return assertInstanceOf(ClusterActor.BackupAccepted.class, probe.receiveMessage(WAIT)).id();
        }

        /** The name's backups. */
        io.mysos.core.backup.BackupLog backups() {
            return assertInstanceOf(ClusterActor.BackupListing.class, probe.receiveMessage(WAIT)).backups();
        }
    }

    private final ActorTestKit kit;
    private final TestProbe<OfferRouter.Command> router;
    private final TestProbe<ResourceSide.Command> resources;
    private final ActorRef<ClusterRegistry.Command> registry;
    /** What the resource side was told and no expectation has claimed yet, oldest first. */
    private final List<ResourceSide.Command> unclaimed = new ArrayList<>();
    private final Map<String, ActorRef<OfferRouter.ToCluster>> clusters = new HashMap<>();
    /** Where the resource side reports task status and executor messages: the registry's subscription. */
    private final ActorRef<ResourceSide.TaskEvent> tasks;

    private ClusterDriver(ActorTestKit kit) {
        this.kit = kit;
        this.router = kit.createTestProbe("offer-router");
        this.resources = kit.createTestProbe("resources");
        var settings = new ClusterActor.Settings(NEVER, NEVER, NEVER, NEVER, Clock.systemUTC());
        this.registry = kit.spawn(ClusterRegistry.create(router.ref(), resources.ref(), settings, NEVER), "registry");
        this.tasks = resources.expectMessageClass(ResourceSide.SubscribeTasks.class, WAIT).subscriber();
    }

    /** A new ActorSystem whose registry recovers from (or starts) the journal that {@code config} names. */
    static ClusterDriver start(String systemName, Config config) {
        return new ClusterDriver(ActorTestKit.create(systemName, config));
    }

    static String clusterPersistenceId(String cluster) {
        return ClusterActor.persistenceId(cluster).id();
    }

    static String registryPersistenceId() {
        return ClusterRegistry.PERSISTENCE_ID.id();
    }

    /** The tag every cluster event carries, for queries across clusters. */
    static String clusterTag() {
        return "cluster";
    }

    /** An event's type as the journal's manifest and the docs name it, e.g. {@code MasterElected}. */
    static String eventType(Object event) {
        return event.getClass().getSimpleName();
    }

    ActorTestKit kit() {
        return kit;
    }

    // ------------------------------------------------------------ the API side

    void create(String cluster, int nodes, String password) {
        var spec = new ClusterSpec(cluster, "app", nodes, Resources.DEFAULT_INSTANCE, Optional.empty(), nodes >= 2);
        var secrets = ClusterSecrets.create(password, SchedulerKey.generate());
        var probe = kit.<ClusterRegistry.CreateResult>createTestProbe();
        registry.tell(new ClusterRegistry.CreateCluster(spec, secrets, probe.ref()));
        assertEquals(new ClusterRegistry.Created(cluster), probe.receiveMessage(WAIT));
    }

    Reply resize(String cluster, int nodes, String password) {
        return guarded(cluster, replyTo -> new ClusterActor.Resize(nodes, password, replyTo));
    }

    Reply backup(String cluster, String password) {
        return guarded(cluster, replyTo -> new ClusterActor.TakeBackup(password, replyTo));
    }

    Reply listBackups(String cluster) {
        return guarded(cluster, ClusterActor.ListBackups::new);
    }

    Reply delete(String cluster, String password) {
        return guarded(cluster, replyTo -> new ClusterActor.Delete(password, replyTo));
    }

    private Reply guarded(String cluster, Function<ActorRef<ClusterActor.Outcome>, ClusterActor.Guarded> request) {
        var probe = kit.<ClusterActor.Outcome>createTestProbe();
        registry.tell(new ClusterRegistry.Guarded(cluster, request.apply(probe.ref())));
        return new Reply(probe);
    }

    /**
     * The cluster's view, asked after everything sent before: an actor handles its messages in
     * order, and a persist holds back the next message until it is written.
     */
    Optional<ClusterView> view(String cluster) {
        var probe = kit.<Optional<ClusterView>>createTestProbe();
        registry.tell(new ClusterRegistry.GetCluster(cluster, probe.ref()));
        return probe.receiveMessage(WAIT);
    }

    List<ClusterView> list() {
        var probe = kit.<List<ClusterView>>createTestProbe();
        registry.tell(new ClusterRegistry.ListClusters(probe.ref()));
        return probe.receiveMessage(WAIT);
    }

    ClusterView awaitView(String cluster, String what, Predicate<ClusterView> until) {
        return resources.awaitAssert(WAIT, () -> {
            var view = view(cluster);
            if (view.isEmpty() || !until.test(view.get())) {
                throw new AssertionError("cluster " + cluster + " is not yet " + what + ": " + view);
            }
            return view.get();
        });
    }

    void awaitGone(String cluster) {
        resources.awaitAssert(WAIT, () -> {
            var view = view(cluster);
            if (view.isPresent() || !list().isEmpty()) {
                throw new AssertionError("cluster " + cluster + " is still listed: " + view);
            }
            return null;
        });
    }

    // ------------------------------------------------------------ the offer router's side

    /** Waits until the cluster asks the router for exactly {@code instances} instances. */
    void expectDemand(String cluster, int instances) {
        router.fishForMessage(WAIT, message -> {
            if (message instanceof OfferRouter.UpdateDemand update && update.demand().cluster().equals(cluster)) {
                clusters.put(cluster, update.cluster());
                return update.demand().instances() == instances
                        ? FishingOutcomes.complete()
                        : FishingOutcomes.continueAndIgnore();
            }
            return FishingOutcomes.continueAndIgnore();
        });
    }

    /** Offers the cluster one instance on {@code host:port}, as the router does with a matched offer. */
    Node place(String cluster, String host, int port) {
        var actor = clusters.get(cluster);
        if (actor == null) {
            fail("no demand seen from cluster " + cluster + " yet: expectDemand first");
        }
        var placement = new Placement(cluster, "offer-" + host + "-" + port, "agent-" + host, host, port, Resources.DEFAULT_INSTANCE);
        var probe = kit.<OfferRouter.PlaceResult>createTestProbe();
        actor.tell(new OfferRouter.Place(placement, probe.ref()));
        var accepted = assertInstanceOf(OfferRouter.Accepted.class, probe.receiveMessage(WAIT));
        return new Node(accepted.task().taskId(), host, port);
    }

    // ------------------------------------------------------------ the resource side and the executors

    void status(Node node, TaskState state, String message) {
        tasks.tell(new ResourceSide.TaskStatusReceived(new TaskStatus(node.taskId(), state, message)));
    }

    void promoted(Node node, long epoch) {
        report(new ExecutorReport.Promoted(node.taskId(), epoch));
    }

    /** The replica confirms it follows {@code master}, then its first health check says it is in sync, as executors do. */
    void reparented(Node replica, long epoch, Node master) {
        report(new ExecutorReport.Reparented(replica.taskId(), epoch, master.host(), master.port()));
        report(new ExecutorReport.ReplicationLag(replica.taskId(), epoch, java.util.Optional.of(0L), 0, false));
    }

    /** The replica's answer to a position query: its MariaDB {@code gtid_current_pos}, all applied. */
    void position(Node node, long epoch, String gtidCurrentPos) {
        var position = Position.mariadb(gtidCurrentPos);
        report(new ExecutorReport.PositionReported(node.taskId(), epoch, position, position));
    }

    private void report(ExecutorReport report) {
        tasks.tell(new ResourceSide.ExecutorMessageReceived(report));
    }

    void expectPromote(Node node, long epoch) {
        expectToResources("promote " + node.taskId() + " in epoch " + epoch,
                new ResourceSide.Send(node.taskId(), new ExecutorCommand.Promote(epoch))::equals);
    }

    void expectReparent(Node replica, long epoch, Node master) {
        expectToResources("reparent " + replica.taskId() + " to " + master.taskId() + " in epoch " + epoch,
                new ResourceSide.Send(replica.taskId(), new ExecutorCommand.Reparent(epoch, master.host(), master.port()))::equals);
    }

    void expectPositionQuery(Node node, long epoch) {
        expectToResources("query the position of " + node.taskId() + " in epoch " + epoch,
                new ResourceSide.Send(node.taskId(), new ExecutorCommand.QueryPosition(epoch))::equals);
    }

    /** The instance is asked to take the backup; returns its id as the command names it. */
    String expectTakeBackup(Node node, long epoch) {
        var sent = (ResourceSide.Send) expectToResources("take a backup on " + node.taskId() + " in epoch " + epoch,
                m -> m instanceof ResourceSide.Send send && send.taskId().equals(node.taskId())
                        && send.command() instanceof ExecutorCommand.TakeBackup take && take.epoch() == epoch);
        return ((ExecutorCommand.TakeBackup) sent.command()).backupId();
    }

    /** The instance reports the backup complete, as an executor does after writing its manifest. */
    void backupTaken(Node node, long epoch, String backupId, String gtidPosition) {
        report(new ExecutorReport.BackupTaken(node.taskId(), epoch, backupId, "file:/backups/orders/" + backupId, 4096, gtidPosition, 120));
    }

    void expectKill(Node node) {
        expectToResources("kill " + node.taskId(), new ResourceSide.Kill(node.taskId())::equals);
    }

    /** The tasks a recovered cluster asks the resource side to reconcile. */
    Set<TaskId> expectReconcile() {
        var reconcile = (ResourceSide.Reconcile) expectToResources("reconcile", ResourceSide.Reconcile.class::isInstance);
        return reconcile.tasks().stream().map(io.mysos.core.protocol.TaskData::taskId).collect(Collectors.toSet());
    }

    /**
     * Waits for a message to the resource side, in any order relative to the others: one status
     * update makes the actor send several (a kill and the position queries), and the converge loop
     * may repeat them. What does not match is kept for the next expectation.
     */
    private ResourceSide.Command expectToResources(String what, Predicate<ResourceSide.Command> wanted) {
        for (var it = unclaimed.iterator(); it.hasNext(); ) {
            var message = it.next();
            if (wanted.test(message)) {
                it.remove();
                return message;
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            ResourceSide.Command message;
            try {
                message = resources.receiveMessage(Duration.ofNanos(Math.max(left, 1)));
            } catch (AssertionError timeout) {
                throw new AssertionError("the resource side was not told to " + what + " within " + WAIT
                        + "; it was told " + unclaimed, timeout);
            }
            if (wanted.test(message)) {
                return message;
            }
            unclaimed.add(message);
        }
    }

    /** Terminates the ActorSystem; the journal stays. */
    @Override
    public void close() {
        kit.shutdownTestKit();
    }
}

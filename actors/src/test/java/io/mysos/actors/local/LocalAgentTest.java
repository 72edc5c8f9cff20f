package io.mysos.actors.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.offer.Offer;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.resources.PortRange;
import io.mysos.core.resources.Resources;
import io.mysos.core.size.DataSize;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalAgentTest {
    private static final ActorTestKit KIT = ActorTestKit.create();
    private static final SchedulerKey KEY = SchedulerKey.generate();
    private static final Resources MACHINE = new Resources(4, DataSize.ofGigabytes(4), DataSize.ofGigabytes(100));

    @TempDir
    Path dir;

    private TestProbe<OfferRouter.Command> router;
    private TestProbe<ClusterRegistry.Command> registry;
    private ActorRef<ResourceSide.Command> agent;
    private final Map<TaskId, FakeTask> tasks = new ConcurrentHashMap<>();

    /** Records what the agent asks of a task, and lets the test report for it. */
    private static final class FakeTask implements LocalTask {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final LocalAgent.Listener listener;
        final TaskData data;

        FakeTask(TaskData data, LocalAgent.Listener listener) {
            this.data = data;
            this.listener = listener;
        }

        @Override public void launch() { calls.add("launch"); }
        @Override public void recover() { calls.add("recover"); }
        @Override public void handle(ExecutorCommand command) { calls.add(command.toString()); }
        @Override public void kill() { calls.add("kill"); }
        @Override public java.util.concurrent.CompletableFuture<Void> shutdown() {
            calls.add("shutdown");
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }

        void report(TaskState state) {
            listener.onStatus(new TaskStatus(data.taskId(), state, ""));
        }
    }

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    @BeforeEach
    void setUp() {
        router = KIT.createTestProbe();
        registry = KIT.createTestProbe();
        var settings = new LocalAgentSettings("127.0.0.1", "local", MACHINE, List.of(new PortRange(21000, 21999)),
                dir.resolve("instances"), Duration.ofMillis(200));
        agent = KIT.spawn(LocalAgent.create(settings, (data, sandbox, listener) -> {
            if (data.user().equals("broken")) {
                throw new IllegalStateException("a sealed secret does not open with this scheduler key");
            }
            var task = new FakeTask(data, listener);
            tasks.put(data.taskId(), task);
            return task;
        }));
        agent.tell(new ResourceSide.Attach(router.ref(), registry.ref()));
        assertEquals(new OfferRouter.ResourcesConnected(agent), router.receiveMessage());
    }

    private Offer nextOffer() {
        return router.expectMessageClass(OfferRouter.OffersReceived.class).offers().get(0);
    }

    private static TaskData task(long serverId, int port) {
        return new TaskData(TaskId.of("orders", serverId), "orders", serverId, "127.0.0.1", port, Resources.DEFAULT_INSTANCE,
                "app", KEY.seal("pw-pw-pw-pw"), KEY.seal("admin-pw-pw"), Optional.empty(), false);
    }

    @Test
    void offersTheWholeMachineWhenRevived() {
        router.expectNoMessage(Duration.ofMillis(100));
        agent.tell(ResourceSide.Revive.INSTANCE);
        var offer = nextOffer();
        assertEquals(MACHINE, offer.resources());
        assertEquals("127.0.0.1", offer.host());
        assertEquals(21000, offer.firstPort());
    }

    @Test
    void launchedTasksHoldTheirResourcesUntilTheyEnd() throws Exception {
        agent.tell(ResourceSide.Revive.INSTANCE);
        var offer = nextOffer();
        agent.tell(new ResourceSide.Launch(offer.id(), List.of(task(1, 21000))));
        var next = nextOffer();
        assertEquals(MACHINE.minus(Resources.DEFAULT_INSTANCE), next.resources());
        assertFalse(next.ports().stream().anyMatch(r -> r.contains(21000)), "the launched task's port is not offered again");
        var fake = tasks.get(TaskId.of("orders", 1));
        assertEquals(List.of("launch"), fake.calls);

        fake.report(TaskState.RUNNING);
        assertEquals(new ClusterRegistry.StatusUpdate(new TaskStatus(fake.data.taskId(), TaskState.RUNNING, "")),
                registry.receiveMessage());
        Files.createDirectories(dir.resolve("instances").resolve(fake.data.taskId().value()));
        agent.tell(new ResourceSide.Decline(List.of(next.id())));
        fake.report(TaskState.KILLED);
        registry.expectMessageClass(ClusterRegistry.StatusUpdate.class);
        assertEquals(MACHINE, nextOffer().resources());
    }

    @Test
    void declinedOffersComeBackAfterTheDelay() {
        agent.tell(ResourceSide.Revive.INSTANCE);
        var offer = nextOffer();
        agent.tell(new ResourceSide.Decline(List.of(offer.id())));
        router.expectNoMessage(Duration.ofMillis(100));
        var again = nextOffer();
        assertTrue(!again.id().equals(offer.id()));
    }

    @Test
    void suppressedAgentOffersNothing() {
        agent.tell(ResourceSide.Revive.INSTANCE);
        var offer = nextOffer();
        agent.tell(ResourceSide.Suppress.INSTANCE);
        agent.tell(new ResourceSide.Decline(List.of(offer.id())));
        router.expectNoMessage(Duration.ofMillis(400));
    }

    @Test
    void aLaunchOnAStaleOfferReportsTheTasksLost() {
        agent.tell(new ResourceSide.Launch("no-such-offer", List.of(task(1, 21000))));
        var status = registry.expectMessageClass(ClusterRegistry.StatusUpdate.class).status();
        assertEquals(TaskState.LOST, status.state());
        assertTrue(tasks.isEmpty());
    }

    @Test
    void commandsAndKillsReachTheTask() {
        agent.tell(ResourceSide.Revive.INSTANCE);
        agent.tell(new ResourceSide.Launch(nextOffer().id(), List.of(task(1, 21000))));
        var id = TaskId.of("orders", 1);
        agent.tell(new ResourceSide.Send(id, new ExecutorCommand.Promote(0)));
        agent.tell(new ResourceSide.Kill(id));
        registry.awaitAssert(() -> {
            assertTrue(tasks.containsKey(id), "launched");
            assertEquals(List.of("launch", new ExecutorCommand.Promote(0).toString(), "kill"), tasks.get(id).calls);
            return null;
        });
    }

    @Test
    void aTaskThatCannotBeRunIsReportedFailedAndTheAgentCarriesOn() {
        agent.tell(ResourceSide.Revive.INSTANCE);
        var offer = nextOffer();
        var good = task(2, 21001);
        var broken = new TaskData(TaskId.of("orders", 1), "orders", 1, "127.0.0.1", 21000, Resources.DEFAULT_INSTANCE,
                "broken", KEY.seal("pw-pw-pw-pw"), KEY.seal("admin-pw-pw"), Optional.empty(), false);
        agent.tell(new ResourceSide.Launch(offer.id(), List.of(broken, good)));
        var status = registry.expectMessageClass(ClusterRegistry.StatusUpdate.class).status();
        assertEquals(TaskState.FAILED, status.state());
        assertTrue(status.message().contains("does not open"), status.message());
        registry.awaitAssert(() -> {
            assertTrue(tasks.containsKey(good.taskId()));
            assertEquals(List.of("launch"), tasks.get(good.taskId()).calls);
            return null;
        });
    }

    @Test
    void killingAnUnknownTaskConfirmsItKilled() {
        var id = TaskId.of("orders", 7);
        agent.tell(new ResourceSide.Kill(id));
        assertEquals(TaskState.KILLED, registry.expectMessageClass(ClusterRegistry.StatusUpdate.class).status().state());
    }

    @Test
    void reconcileRecoversTasksItDoesNotRunAndHoldsTheirResources() {
        agent.tell(new ResourceSide.Reconcile(List.of(task(1, 21000), task(2, 21001))));
        agent.tell(ResourceSide.Revive.INSTANCE);
        var offer = nextOffer();
        assertEquals(MACHINE.minus(Resources.DEFAULT_INSTANCE).minus(Resources.DEFAULT_INSTANCE), offer.resources());
        assertEquals(List.of("recover"), tasks.get(TaskId.of("orders", 1)).calls);
        agent.tell(new ResourceSide.Reconcile(List.of(task(1, 21000))));
        agent.tell(new ResourceSide.Send(TaskId.of("orders", 1), new ExecutorCommand.Promote(0)));
        registry.awaitAssert(() -> {
            assertEquals(List.of("recover", new ExecutorCommand.Promote(0).toString()), tasks.get(TaskId.of("orders", 1)).calls,
                    "a task already run is not recovered twice");
            return null;
        });
    }

    @Test
    void stoppingTheAgentShutsItsTasksDown() {
        agent.tell(new ResourceSide.Reconcile(List.of(task(1, 21000))));
        agent.tell(ResourceSide.Suppress.INSTANCE);
        KIT.stop(agent);
        registry.awaitAssert(() -> {
            assertEquals(List.of("recover", "shutdown"), tasks.get(TaskId.of("orders", 1)).calls);
            return null;
        });
    }
}

package io.mysos.actors.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
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
    /** On manual time: the agent's only timer (a declined offer's delay) moves only when a test says so. */
    private static final ActorTestKit KIT = ActorTestKit.create(akka.actor.testkit.typed.javadsl.ManualTime.config());
    private static final akka.actor.testkit.typed.javadsl.ManualTime TIME = akka.actor.testkit.typed.javadsl.ManualTime.get(KIT.system());
    private static final SchedulerKey KEY = SchedulerKey.generate();
    private static final Resources MACHINE = new Resources(4, DataSize.ofGigabytes(4), DataSize.ofGigabytes(100));

    @TempDir
    Path dir;

    private TestProbe<ResourceSide.OfferEvent> router;
    private TestProbe<ResourceSide.TaskEvent> registry;
    private ActorRef<ResourceSide.Command> agent;
    private final Map<TaskId, FakeTask> tasks = new ConcurrentHashMap<>();

    /** Records what the agent asks of a task, and lets the test report for it. */
    private static final class FakeTask implements LocalTask {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final LocalAgent.Listener listener;
        final TaskData data;
        final Path sandbox;

        FakeTask(TaskData data, Path sandbox, LocalAgent.Listener listener) {
            this.data = data;
            this.sandbox = sandbox;
            this.listener = listener;
        }

        @Override public void launch() { calls.add("launch"); }
        @Override public void recover() { calls.add("recover"); }
        @Override public void handle(ExecutorCommand command) { calls.add(command.toString()); }
        @Override public void kill() { calls.add("kill"); }
        /** Completed by the test, as a mysqld that takes its time to stop. */
        final java.util.concurrent.CompletableFuture<Void> down = new java.util.concurrent.CompletableFuture<>();
        /** Like the task runner's: the sandbox goes, off the caller's thread. */
        @Override public java.util.concurrent.CompletableFuture<Void> discard() {
            calls.add("discard");
            return java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    io.mysos.executor.mysql.SandboxLayout.deleteTree(sandbox);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }

        @Override public java.util.concurrent.CompletableFuture<Void> shutdown() {
            calls.add("shutdown");
            return down;
        }

        void report(TaskState state) {
            listener.onStatus(new TaskStatus(data.taskId(), state, ""));
        }
    }

    @org.junit.jupiter.api.AfterEach
    void stopAgent() {
        KIT.stop(agent); // each test's agent goes with its test, and takes its shutdown task with it
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
            var task = new FakeTask(data, sandbox, listener);
            tasks.put(data.taskId(), task);
            return task;
        }));
        agent.tell(new ResourceSide.SubscribeOffers(router.ref()));
        agent.tell(new ResourceSide.SubscribeTasks(registry.ref()));
        assertEquals(ResourceSide.Connected.INSTANCE, router.receiveMessage());
    }

    /**
     * Exactly nothing: the agent handles messages in order, so once it has answered a kill of a task
     * it never ran, whatever the messages before it made it send has arrived.
     */
    private void expectNothingBeforeTheNextMessage() {
        expectNoStatusBeforeTheNextOne();
        router.expectNoMessage(Duration.ZERO);
    }

    /** Exactly no task status: the next one the registry hears is the answer to a kill sent now. */
    private void expectNoStatusBeforeTheNextOne() {
        agent.tell(new ResourceSide.Kill(TaskId.of("barrier", 999)));
        var next = registry.expectMessageClass(ResourceSide.TaskStatusReceived.class).status();
        assertEquals(new TaskStatus(TaskId.of("barrier", 999), TaskState.KILLED, "not running on agent local"), next);
    }

    private Offer nextOffer() {
        return router.expectMessageClass(ResourceSide.OffersReceived.class).offers().get(0);
    }

    private static TaskData task(long serverId, int port) {
        return new TaskData(TaskId.of("orders", serverId), "orders", serverId, "127.0.0.1", port, Resources.DEFAULT_INSTANCE,
                "app", KEY.seal("pw-pw-pw-pw"), KEY.seal("admin-pw-pw"), Optional.empty(), false);
    }

    @Test
    void offersTheWholeMachineWhenRevived() {
        TIME.expectNoMessageFor(Duration.ofMinutes(1), router);
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
        assertEquals(new ResourceSide.TaskStatusReceived(new TaskStatus(fake.data.taskId(), TaskState.RUNNING, "")),
                registry.receiveMessage());
        Files.createDirectories(dir.resolve("instances").resolve(fake.data.taskId().value()));
        agent.tell(new ResourceSide.Decline(List.of(next.id())));
        fake.report(TaskState.KILLED);
        registry.expectMessageClass(ResourceSide.TaskStatusReceived.class);
        assertEquals(MACHINE, nextOffer().resources());
    }

    /** Launches task 1 and lets it report RUNNING, with a sandbox holding data. */
    private FakeTask runningTask() throws Exception {
        agent.tell(ResourceSide.Revive.INSTANCE);
        agent.tell(new ResourceSide.Launch(nextOffer().id(), List.of(task(1, 21000))));
        var fake = router.awaitAssert(() -> java.util.Objects.requireNonNull(tasks.get(TaskId.of("orders", 1))));
        Files.createDirectories(fake.sandbox.resolve("data"));
        Files.writeString(fake.sandbox.resolve("data").resolve("ibdata1"), "rows");
        fake.report(TaskState.RUNNING);
        registry.expectMessageClass(ResourceSide.TaskStatusReceived.class);
        return fake;
    }

    private void awaitGone(Path sandbox) {
        registry.awaitAssert(Duration.ofSeconds(3), () -> {
            assertFalse(Files.exists(sandbox), sandbox + " is removed");
            return null;
        });
    }

    @Test
    void aFailedTaskKeepsItsSandboxUntilItIsReleased() throws Exception {
        var fake = runningTask();
        fake.report(TaskState.FAILED);
        assertEquals(TaskState.FAILED, registry.expectMessageClass(ResourceSide.TaskStatusReceived.class).status().state());
        assertTrue(Files.exists(fake.sandbox.resolve("data").resolve("ibdata1")), "nothing is removed before the cluster decides");
        assertFalse(fake.calls.contains("discard"));

        agent.tell(new ResourceSide.Release(fake.data.taskId()));
        awaitGone(fake.sandbox);
        assertEquals(List.of("launch", "discard"), fake.calls);
        agent.tell(new ResourceSide.Release(fake.data.taskId()));
        expectNoStatusBeforeTheNextOne();
        assertEquals(List.of("launch", "discard"), fake.calls, "a second release changes nothing");
    }

    @Test
    void aKilledTaskIsDiscardedAtOnce() throws Exception {
        var fake = runningTask();
        fake.report(TaskState.KILLED);
        registry.expectMessageClass(ResourceSide.TaskStatusReceived.class);
        awaitGone(fake.sandbox);
        assertEquals(List.of("launch", "discard"), fake.calls);
    }

    @Test
    void releasingARunningTaskStopsItAndFreesItsResources() throws Exception {
        var fake = runningTask();
        var pending = nextOffer();
        assertEquals(MACHINE.minus(Resources.DEFAULT_INSTANCE), pending.resources());
        agent.tell(new ResourceSide.Release(fake.data.taskId()));
        agent.tell(new ResourceSide.Decline(List.of(pending.id())));
        awaitGone(fake.sandbox);
        TIME.timePasses(Duration.ofMillis(200)); // the declined offer's delay
        assertEquals(MACHINE, nextOffer().resources(), "the released task holds nothing any more");
        awaitGone(fake.sandbox);
        assertEquals(List.of("launch", "discard"), fake.calls);
    }

    @Test
    void releasingATaskEndedBeforeARestartRemovesItsSandbox() throws Exception {
        var sandbox = dir.resolve("instances").resolve(TaskId.of("orders", 5).value());
        Files.createDirectories(sandbox.resolve("data"));
        Files.writeString(sandbox.resolve("data").resolve("ibdata1"), "rows");
        var other = dir.resolve("instances").resolve(TaskId.of("orders", 6).value());
        Files.createDirectories(other);
        agent.tell(new ResourceSide.Release(TaskId.of("orders", 5)));
        awaitGone(sandbox);
        assertTrue(Files.exists(other), "only the released task's sandbox goes");
    }

    @Test
    void declinedOffersComeBackAfterTheDelay() {
        agent.tell(ResourceSide.Revive.INSTANCE);
        var offer = nextOffer();
        agent.tell(new ResourceSide.Decline(List.of(offer.id())));
        TIME.expectNoMessageFor(Duration.ofMillis(199), router);
        TIME.timePasses(Duration.ofMillis(1));
        var again = nextOffer();
        assertTrue(!again.id().equals(offer.id()));
    }

    @Test
    void suppressedAgentOffersNothing() {
        agent.tell(ResourceSide.Revive.INSTANCE);
        var offer = nextOffer();
        agent.tell(ResourceSide.Suppress.INSTANCE);
        agent.tell(new ResourceSide.Decline(List.of(offer.id())));
        TIME.expectNoMessageFor(Duration.ofMinutes(1), router);
    }

    @Test
    void aLaunchOnAStaleOfferReportsTheTasksLost() {
        agent.tell(new ResourceSide.Launch("no-such-offer", List.of(task(1, 21000))));
        var status = registry.expectMessageClass(ResourceSide.TaskStatusReceived.class).status();
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
        var status = registry.expectMessageClass(ResourceSide.TaskStatusReceived.class).status();
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
        assertEquals(TaskState.KILLED, registry.expectMessageClass(ResourceSide.TaskStatusReceived.class).status().state());
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
    void reconcilingATaskThatRunsTellsItsLatestStatusAgain() throws Exception {
        // A cluster that could not record RUNNING (its journal was away) reconciles after its recovery.
        var fake = runningTask();
        agent.tell(new ResourceSide.Reconcile(List.of(fake.data)));
        assertEquals(new ResourceSide.TaskStatusReceived(new TaskStatus(fake.data.taskId(), TaskState.RUNNING, "")),
                registry.receiveMessage());
        expectNoStatusBeforeTheNextOne();
        assertEquals(List.of("launch"), fake.calls, "it is not recovered again");

        fake.report(TaskState.FAILED);
        registry.expectMessageClass(ResourceSide.TaskStatusReceived.class);
        agent.tell(new ResourceSide.Reconcile(List.of(fake.data)));
        assertEquals(List.of("launch"), fake.calls);
        // Both inside the wait: the new task is in the map a moment before its recovery is called.
        registry.awaitAssert(() -> {
            var again = tasks.get(fake.data.taskId());
            assertTrue(again != fake, "an ended task is started again on its sandbox");
            assertEquals(List.of("recover"), again.calls);
            return null;
        });
    }

    @Test
    void stopInstancesAnswersOnceEveryInstanceIsDownAndOffersNothingAfterwards() {
        agent.tell(new ResourceSide.Reconcile(List.of(task(1, 21000), task(2, 21001))));
        TestProbe<akka.Done> done = KIT.createTestProbe();
        agent.tell(new LocalAgent.StopInstances(done.ref()));
        registry.awaitAssert(() -> {
            assertEquals(List.of("recover", "shutdown"), tasks.get(TaskId.of("orders", 1)).calls);
            assertEquals(List.of("recover", "shutdown"), tasks.get(TaskId.of("orders", 2)).calls);
            return null;
        });
        tasks.get(TaskId.of("orders", 1)).down.complete(null);
        // The agent's thread is free while an instance is still stopping: it answers other messages.
        agent.tell(new ResourceSide.Kill(TaskId.of("orders", 9)));
        assertEquals(TaskState.KILLED, registry.expectMessageClass(ResourceSide.TaskStatusReceived.class).status().state());
        tasks.get(TaskId.of("orders", 2)).down.complete(null);
        done.expectMessage(akka.Done.getInstance());
        agent.tell(ResourceSide.Revive.INSTANCE);
        expectNothingBeforeTheNextMessage();
    }

    @Test
    void aNewOfferSubscriberGetsAFreshOffer() {
        agent.tell(ResourceSide.Revive.INSTANCE);
        var first = nextOffer();
        TestProbe<ResourceSide.OfferEvent> restarted = KIT.createTestProbe();
        agent.tell(new ResourceSide.SubscribeOffers(restarted.ref()));
        assertEquals(ResourceSide.Connected.INSTANCE, restarted.receiveMessage());
        var offer = restarted.expectMessageClass(ResourceSide.OffersReceived.class).offers().get(0);
        assertFalse(offer.id().equals(first.id()), "the old subscriber's offer is void");
        assertEquals(MACHINE, offer.resources());
    }

    @Test
    void stoppingTheAgentShutsItsTasksDown() {
        agent.tell(new ResourceSide.Reconcile(List.of(task(1, 21000))));
        agent.tell(ResourceSide.Suppress.INSTANCE);
        // A stop is a system message and overtakes messages not yet handled: stop once the task is recovered.
        registry.awaitAssert(() -> {
            assertEquals(List.of("recover"), tasks.get(TaskId.of("orders", 1)).calls);
            return null;
        });
        KIT.stop(agent);
        registry.awaitAssert(() -> {
            assertEquals(List.of("recover", "shutdown"), tasks.get(TaskId.of("orders", 1)).calls);
            return null;
        });
    }
}

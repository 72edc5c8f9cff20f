package io.mysos.actors.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.google.protobuf.ByteString;
import com.mesosphere.mesos.rx.java.protobuf.ProtobufMessageCodecs;
import com.mesosphere.mesos.rx.java.test.simulation.MesosServerSimulation;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.offer.Offer;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.resources.PortRange;
import io.mysos.core.resources.Resources;
import io.mysos.core.size.DataSize;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import rx.subjects.ReplaySubject;

/** The gateway against mesos-rxjava's Mesos master simulation: the calls it makes and what it reports. */
class MesosGatewayTest {
    private static final ActorTestKit KIT = ActorTestKit.create(com.typesafe.config.ConfigFactory.parseString(
            "mysos.mesos { revive-interval = 1s, reconcile { first-pause = 300ms, max-pause = 1s } }")
            .withFallback(com.typesafe.config.ConfigFactory.load()));
    private static final SchedulerKey KEY = SchedulerKey.generate();
    private static final String CLEAR_PASSWORD = "clear-pw-never-sent";
    private static final Protos.FrameworkID FRAMEWORK = Protos.FrameworkID.newBuilder().setValue("fw-1").build();
    private static final Protos.AgentID AGENT = Protos.AgentID.newBuilder().setValue("agent-1").build();
    private static final TaskId TASK = TaskId.of("orders", 1);

    private ReplaySubject<Event> events;
    private MesosServerSimulation<Event, Call> master;
    private TestProbe<ResourceSide.OfferEvent> offerProbe;
    private TestProbe<ResourceSide.TaskEvent> taskProbe;
    private LinkedBlockingQueue<String> frameworkIds;
    private ActorRef<ResourceSide.Command> gateway;

    @BeforeEach
    void subscribe() throws Exception {
        events = ReplaySubject.create();
        master = new MesosServerSimulation<>(events, ProtobufMessageCodecs.SCHEDULER_EVENT, ProtobufMessageCodecs.SCHEDULER_CALL,
                call -> call.getType() == Call.Type.SUBSCRIBE);
        int port = master.start();
        offerProbe = KIT.createTestProbe();
        taskProbe = KIT.createTestProbe();
        frameworkIds = new LinkedBlockingQueue<>();
        var settings = MesosSettings.fromConfig(KIT.system().settings().config()).withMaster("127.0.0.1:" + port)
                .withExecutor("java -jar mysos.jar executor", List.of("http://repo/mysos.jar"));
        gateway = KIT.spawn(MesosGateway.create(settings, frameworkIds::add));
        gateway.tell(new ResourceSide.SubscribeOffers(offerProbe.ref()));
        gateway.tell(new ResourceSide.SubscribeTasks(taskProbe.ref()));
        assertTrue(master.awaitSubscribeCall(10, java.util.concurrent.TimeUnit.SECONDS), "SUBSCRIBE arrives");
        events.onNext(Event.newBuilder().setType(Event.Type.SUBSCRIBED)
                .setSubscribed(Event.Subscribed.newBuilder().setFrameworkId(FRAMEWORK).setHeartbeatIntervalSeconds(15)).build());
        offerProbe.expectMessage(Duration.ofSeconds(10), ResourceSide.Connected.INSTANCE);
    }

    @AfterEach
    void stop() throws Exception {
        KIT.stop(gateway);
        master.shutdown();
    }

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    @Test
    void subscribesWithTheFrameworkInfoAndKeepsTheFrameworkId() throws Exception {
        var subscribe = callsOf(Call.Type.SUBSCRIBE, 1).get(0);
        var info = subscribe.getSubscribe().getFrameworkInfo();
        assertEquals("mysos", info.getName());
        assertEquals(System.getProperty("user.name"), info.getUser());
        assertEquals("mysos", info.getRole());
        assertTrue(info.getCheckpoint(), "agents checkpoint the tasks");
        assertEquals(7 * 24 * 3600.0, info.getFailoverTimeout());
        assertFalse(info.hasId(), "a first subscription asks for a new framework id");
        assertFalse(info.hasPrincipal());
        assertEquals("fw-1", frameworkIds.poll(5, java.util.concurrent.TimeUnit.SECONDS));
        // No demand yet: offers are suppressed right after the subscription.
        assertEquals(FRAMEWORK, callsOf(Call.Type.SUPPRESS, 1).get(0).getFrameworkId());
    }

    @Test
    void offersReachTheOfferSubscriberAsCoreOffers() {
        events.onNext(offers(offer("o-1")));
        var received = offerProbe.expectMessageClass(ResourceSide.OffersReceived.class, Duration.ofSeconds(10));
        // The cpus reserved for another role are not ours; the disk reserved for ours is.
        assertEquals(List.of(new Offer("o-1", "agent-1", "host-1",
                new Resources(4, DataSize.ofMegabytes(4096), DataSize.ofMegabytes(20000)), List.of(new PortRange(31000, 31010)),
                List.of(), true)),
                received.offers());
    }

    @Test
    void aLaunchIsOneAcceptWithTheTaskItsResourcesExecutorAndData() throws Exception {
        events.onNext(offers(offer("o-1")));
        offerProbe.expectMessageClass(ResourceSide.OffersReceived.class, Duration.ofSeconds(10));
        gateway.tell(new ResourceSide.Launch("o-1", List.of(task())));

        var accept = callsOf(Call.Type.ACCEPT, 1).get(0);
        var taskInfo = accept.getAccept().getOperations(0).getLaunch().getTaskInfos(0);
        var expected = Call.newBuilder().setType(Call.Type.ACCEPT).setFrameworkId(FRAMEWORK)
                .setAccept(Call.Accept.newBuilder()
                        .addOfferIds(Protos.OfferID.newBuilder().setValue("o-1"))
                        .addOperations(Protos.Offer.Operation.newBuilder().setType(Protos.Offer.Operation.Type.LAUNCH)
                                .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addTaskInfos(Protos.TaskInfo.newBuilder()
                                        .setName("mysos-orders-1")
                                        .setTaskId(Protos.TaskID.newBuilder().setValue("mysos-orders-1"))
                                        .setAgentId(AGENT)
                                        .addResources(scalar("cpus", 1, "*"))
                                        .addResources(scalar("mem", 512, "*"))
                                        .addResources(scalar("disk", 2048, "mysos"))
                                        .addResources(ports(31005, 31005, "*"))
                                        .setExecutor(Protos.ExecutorInfo.newBuilder()
                                                .setExecutorId(Protos.ExecutorID.newBuilder().setValue("mysos-orders-1-executor"))
                                                .setFrameworkId(FRAMEWORK)
                                                .setName("mysos executor for mysos-orders-1")
                                                .setCommand(Protos.CommandInfo.newBuilder().setShell(true)
                                                        .setValue("java -jar mysos.jar executor")
                                                        .addUris(Protos.CommandInfo.URI.newBuilder().setValue("http://repo/mysos.jar")
                                                                .setExtract(false).setCache(false))))
                                        .setData(taskInfo.getData()))))
                        .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(5)))
                .build();
        assertEquals(expected, accept);

        var data = taskInfo.getData().toStringUtf8();
        assertFalse(data.contains(CLEAR_PASSWORD), "no password in clear in the task data");
        assertEquals(task(), MesosJson.read(taskInfo.getData().toByteArray(), TaskData.class));
        assertEquals(CLEAR_PASSWORD, KEY.open(MesosJson.read(taskInfo.getData().toByteArray(), TaskData.class).userPassword()));
    }

    @Test
    void aLaunchOnAnOfferNoLongerHeldReportsTheTaskLostAndCallsNothing() throws Exception {
        events.onNext(offers(offer("o-1")));
        offerProbe.expectMessageClass(ResourceSide.OffersReceived.class, Duration.ofSeconds(10));
        events.onNext(Event.newBuilder().setType(Event.Type.RESCIND)
                .setRescind(Event.Rescind.newBuilder().setOfferId(Protos.OfferID.newBuilder().setValue("o-1"))).build());
        offerProbe.expectMessage(Duration.ofSeconds(10), new ResourceSide.OfferRescinded("o-1"));
        gateway.tell(new ResourceSide.Launch("o-1", List.of(task())));
        var status = taskProbe.expectMessageClass(ResourceSide.TaskStatusReceived.class).status();
        assertEquals(TaskState.LOST, status.state());
        // A decline made after the launch is the last call: so no ACCEPT was sent before it.
        gateway.tell(ResourceSide.Revive.INSTANCE);
        callsOf(Call.Type.REVIVE, 1);
        assertEquals(0, count(Call.Type.ACCEPT));
    }

    @Test
    void aDeclineRefusesTheOfferLongWithoutDemandAndBrieflyWhileAClusterWaits() throws Exception {
        events.onNext(offers(offer("o-2")));
        offerProbe.expectMessageClass(ResourceSide.OffersReceived.class, Duration.ofSeconds(10));
        gateway.tell(new ResourceSide.Decline(List.of("o-2")));
        assertEquals(Call.newBuilder().setType(Call.Type.DECLINE).setFrameworkId(FRAMEWORK)
                .setDecline(Call.Decline.newBuilder().addOfferIds(Protos.OfferID.newBuilder().setValue("o-2"))
                        .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(120)))
                .build(), callsOf(Call.Type.DECLINE, 1).get(0));

        gateway.tell(ResourceSide.Revive.INSTANCE);
        events.onNext(offers(offer("o-3")));
        offerProbe.expectMessageClass(ResourceSide.OffersReceived.class, Duration.ofSeconds(10));
        gateway.tell(new ResourceSide.Decline(List.of("o-3")));
        assertEquals(Call.newBuilder().setType(Call.Type.DECLINE).setFrameworkId(FRAMEWORK)
                .setDecline(Call.Decline.newBuilder().addOfferIds(Protos.OfferID.newBuilder().setValue("o-3"))
                        .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(5)))
                .build(), callsOf(Call.Type.DECLINE, 2).get(1));
    }

    @Test
    void anUpdateReachesTheTaskSubscriberAndIsAcknowledgedOnceRecorded() throws Exception {
        var uuid = ByteString.copyFromUtf8("0123456789abcdef");
        events.onNext(Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder()
                .setStatus(Protos.TaskStatus.newBuilder().setTaskId(Protos.TaskID.newBuilder().setValue("mysos-orders-1"))
                        .setState(Protos.TaskState.TASK_RUNNING).setAgentId(AGENT).setUuid(uuid).setMessage("mysqld takes logins")))
                .build());
        var received = taskProbe.expectMessageClass(ResourceSide.TaskStatusReceived.class, Duration.ofSeconds(10));
        assertEquals(new TaskStatus(TASK, TaskState.RUNNING, "mysqld takes logins"), received.status());
        // Not acknowledged until the cluster has recorded it: a later call overtakes where an ACKNOWLEDGE would be.
        gateway.tell(ResourceSide.Suppress.INSTANCE);
        callsOf(Call.Type.SUPPRESS, 2);
        assertEquals(0, count(Call.Type.ACKNOWLEDGE), "nothing acknowledged before the cluster recorded the update");
        gateway.tell(new ResourceSide.Acknowledge(received.ack().orElseThrow()));
        var ack = callsOf(Call.Type.ACKNOWLEDGE, 1).get(0);
        assertEquals(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setFrameworkId(FRAMEWORK)
                .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(AGENT)
                        .setTaskId(Protos.TaskID.newBuilder().setValue("mysos-orders-1")).setUuid(uuid))
                .build(), ack);
    }

    @Test
    void sendIsAFrameworkMessageToTheTasksExecutorAndKillAKillCall() throws Exception {
        events.onNext(offers(offer("o-1")));
        offerProbe.expectMessageClass(ResourceSide.OffersReceived.class, Duration.ofSeconds(10));
        gateway.tell(new ResourceSide.Launch("o-1", List.of(task())));
        callsOf(Call.Type.ACCEPT, 1);

        gateway.tell(new ResourceSide.Send(TASK, new ExecutorCommand.Promote(3)));
        var message = callsOf(Call.Type.MESSAGE, 1).get(0).getMessage();
        assertEquals(AGENT, message.getAgentId());
        assertEquals("mysos-orders-1-executor", message.getExecutorId().getValue());
        assertEquals(new ExecutorCommand.Promote(3), MesosJson.read(message.getData().toByteArray(), ExecutorCommand.class));

        gateway.tell(new ResourceSide.Kill(TASK));
        assertEquals(Call.newBuilder().setType(Call.Type.KILL).setFrameworkId(FRAMEWORK)
                .setKill(Call.Kill.newBuilder().setTaskId(Protos.TaskID.newBuilder().setValue("mysos-orders-1")).setAgentId(AGENT))
                .build(), callsOf(Call.Type.KILL, 1).get(0));
    }

    @Test
    void anExecutorMessageReachesTheTaskSubscriber() {
        var report = new ExecutorReport.Promoted(TASK, 3);
        events.onNext(Event.newBuilder().setType(Event.Type.MESSAGE).setMessage(Event.Message.newBuilder().setAgentId(AGENT)
                .setExecutorId(Protos.ExecutorID.newBuilder().setValue("mysos-orders-1-executor"))
                .setData(ByteString.copyFrom(MesosJson.write(report)))).build());
        assertEquals(new ResourceSide.ExecutorMessageReceived(report),
                taskProbe.expectMessageClass(ResourceSide.ExecutorMessageReceived.class, Duration.ofSeconds(10)));
    }

    @Test
    void reconcileAndReviveAreTheirCalls() throws Exception {
        gateway.tell(new ResourceSide.Reconcile(List.of(task())));
        var reconcile = callsOf(Call.Type.RECONCILE, 1).get(0).getReconcile();
        assertEquals(List.of(Call.Reconcile.Task.newBuilder().setTaskId(Protos.TaskID.newBuilder().setValue("mysos-orders-1")).build()),
                reconcile.getTasksList());
        gateway.tell(ResourceSide.Revive.INSTANCE);
        assertEquals(FRAMEWORK, callsOf(Call.Type.REVIVE, 1).get(0).getFrameworkId());
        gateway.tell(ResourceSide.Suppress.INSTANCE);
        callsOf(Call.Type.SUPPRESS, 2);
    }

    @Test
    void reconciliationAsksAgainOnlyAboutTheTasksStillSilent() throws Exception {
        var two = new TaskData(TaskId.of("orders", 2), "orders", 2, "host-1", 31006, Resources.DEFAULT_INSTANCE, "app",
                KEY.seal(CLEAR_PASSWORD), KEY.seal("admin-pw-pw"), Optional.empty(), false);
        gateway.tell(new ResourceSide.Reconcile(List.of(task(), two)));
        assertEquals(2, callsOf(Call.Type.RECONCILE, 1).get(0).getReconcile().getTasksCount());
        events.onNext(Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder()
                .setStatus(Protos.TaskStatus.newBuilder().setTaskId(Protos.TaskID.newBuilder().setValue("mysos-orders-1"))
                        .setState(Protos.TaskState.TASK_RUNNING).setAgentId(AGENT))).build());
        taskProbe.expectMessageClass(ResourceSide.TaskStatusReceived.class, Duration.ofSeconds(10));
        // Once the first task has answered, the next round asks about the second only.
        var again = callsOf(Call.Type.RECONCILE, 2).get(1).getReconcile();
        assertEquals(List.of("mysos-orders-2"), again.getTasksList().stream().map(t -> t.getTaskId().getValue()).toList());
        assertEquals(0, count(Call.Type.ACKNOWLEDGE), "an update without a uuid (the master's answer) is not acknowledged");
    }

    @Test
    void revivesGoOutAtMostOncePerInterval() throws Exception {
        gateway.tell(ResourceSide.Revive.INSTANCE);
        callsOf(Call.Type.REVIVE, 1);
        long first = System.nanoTime();
        gateway.tell(ResourceSide.Revive.INSTANCE);
        gateway.tell(ResourceSide.Revive.INSTANCE);
        callsOf(Call.Type.REVIVE, 2);
        assertTrue(System.nanoTime() - first >= Duration.ofMillis(900).toNanos(), "the second REVIVE waited for the interval (1 s)");
    }

    @Test
    void inverseOffersAreDeclined() throws Exception {
        events.onNext(Event.newBuilder().setType(Event.Type.INVERSE_OFFERS).setInverseOffers(Event.InverseOffers.newBuilder()
                .addInverseOffers(Protos.InverseOffer.newBuilder().setId(Protos.OfferID.newBuilder().setValue("io-1"))
                        .setFrameworkId(FRAMEWORK).setAgentId(AGENT)
                        .setUnavailability(Protos.Unavailability.newBuilder().setStart(Protos.TimeInfo.newBuilder().setNanoseconds(0)))))
                .build());
        assertEquals(List.of(Protos.OfferID.newBuilder().setValue("io-1").build()),
                callsOf(Call.Type.DECLINE_INVERSE_OFFERS, 1).get(0).getDeclineInverseOffers().getInverseOfferIdsList());
    }

    // ---------------------------------------------------------------- helpers

    /** The calls of this type once there are at least {@code count} of them (the simulation records them as they arrive). */
    private List<Call> callsOf(Call.Type type, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            var calls = master.getCallsReceived().stream().filter(c -> c.getType() == type).toList();
            if (calls.size() >= count) {
                return calls;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " " + type + " call(s), got " + master.getCallsReceived());
            }
            Thread.sleep(20);
        }
    }

    private long count(Call.Type type) {
        return master.getCallsReceived().stream().filter(c -> c.getType() == type).count();
    }

    /** One instance's task data, sealed once (sealing twice gives other nonces). */
    private static final TaskData TASK_DATA = new TaskData(TASK, "orders", 1, "host-1", 31005, Resources.DEFAULT_INSTANCE, "app",
            KEY.seal(CLEAR_PASSWORD), KEY.seal("admin-pw-pw"), Optional.empty(), false);

    private static TaskData task() {
        return TASK_DATA;
    }

    static Event offers(Protos.Offer... offers) {
        return Event.newBuilder().setType(Event.Type.OFFERS).setOffers(Event.Offers.newBuilder().addAllOffers(List.of(offers))).build();
    }

    static Protos.Offer offer(String id) {
        return Protos.Offer.newBuilder()
                .setId(Protos.OfferID.newBuilder().setValue(id))
                .setFrameworkId(FRAMEWORK)
                .setAgentId(AGENT)
                .setHostname("host-1")
                .addResources(scalar("cpus", 8, "other"))
                .addResources(scalar("cpus", 4, "*"))
                .addResources(scalar("mem", 4096, "*"))
                .addResources(scalar("disk", 20000, "mysos"))
                .addResources(ports(31000, 31010, "*"))
                .build();
    }

    static Protos.Resource scalar(String name, double value, String role) {
        return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
                .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).setRole(role).build();
    }

    static Protos.Resource ports(long begin, long end, String role) {
        return Protos.Resource.newBuilder().setName("ports").setType(Protos.Value.Type.RANGES)
                .setRanges(Protos.Value.Ranges.newBuilder().addRange(Protos.Value.Range.newBuilder().setBegin(begin).setEnd(end)))
                .setRole(role).build();
    }
}

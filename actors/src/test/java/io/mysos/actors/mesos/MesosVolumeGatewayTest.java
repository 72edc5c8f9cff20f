package io.mysos.actors.mesos;

import static io.mysos.actors.mesos.MesosGatewayTest.offers;
import static io.mysos.actors.mesos.MesosGatewayTest.ports;
import static io.mysos.actors.mesos.MesosGatewayTest.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.mesosphere.mesos.rx.java.protobuf.ProtobufMessageCodecs;
import com.mesosphere.mesos.rx.java.test.simulation.MesosServerSimulation;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.Offer.Operation;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import rx.subjects.ReplaySubject;

/**
 * The gateway's reservations and persistent volumes, its hold on launches during reconciliation,
 * and what it does on FAILURE and ERROR, against mesos-rxjava's master simulation: the exact calls.
 */
class MesosVolumeGatewayTest {
    private static final ActorTestKit KIT = ActorTestKit.create(com.typesafe.config.ConfigFactory.parseString(
            "mysos.mesos { implicit-reconcile-interval = 1s, reconcile { first-pause = 300ms, max-pause = 1s } }")
            .withFallback(com.typesafe.config.ConfigFactory.load()));
    private static final SchedulerKey KEY = SchedulerKey.generate();
    private static final String CLEAR_PASSWORD = "clear-pw-never-sent";
    private static final Protos.FrameworkID FRAMEWORK = Protos.FrameworkID.newBuilder().setValue("fw-1").build();
    private static final Protos.AgentID AGENT = Protos.AgentID.newBuilder().setValue("agent-1").build();
    private static final TaskId ONE = TaskId.of("orders", 1);
    private static final TaskId TWO = TaskId.of("orders", 2);

    private ReplaySubject<Event> events;
    private MesosServerSimulation<Event, Call> master;
    private TestProbe<ResourceSide.OfferEvent> offerProbe;
    private TestProbe<ResourceSide.TaskEvent> taskProbe;
    private ActorRef<ResourceSide.Command> gateway;

    @BeforeEach
    void subscribe() throws Exception {
        events = ReplaySubject.create();
        master = new MesosServerSimulation<>(events, ProtobufMessageCodecs.SCHEDULER_EVENT, ProtobufMessageCodecs.SCHEDULER_CALL,
                call -> call.getType() == Call.Type.SUBSCRIBE);
        int port = master.start();
        offerProbe = KIT.createTestProbe();
        taskProbe = KIT.createTestProbe();
        var settings = MesosSettings.fromConfig(KIT.system().settings().config()).withMaster("127.0.0.1:" + port)
                .withExecutor("java -jar mysos.jar executor", List.of());
        gateway = KIT.spawn(MesosGateway.create(settings, id -> { }));
        gateway.tell(new ResourceSide.SubscribeOffers(offerProbe.ref()));
        gateway.tell(new ResourceSide.SubscribeTasks(taskProbe.ref()));
        assertTrue(master.awaitSubscribeCall(10, TimeUnit.SECONDS), "SUBSCRIBE arrives");
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
    void aNewInstanceIsReservedGivenAVolumeAndLaunchedInOneAccept() throws Exception {
        events.onNext(offers(plainOffer("o-1")));
        offerProbe.expectMessageClass(ResourceSide.OffersReceived.class, Duration.ofSeconds(10));
        gateway.tell(new ResourceSide.Launch("o-1", List.of(task(ONE, 31005)),
                List.of(new ResourceSide.TaskVolume(ONE, "mysos-orders-1", true))));

        var accept = callsOf(Call.Type.ACCEPT, 1).get(0).getAccept();
        var labels = labels(ONE, "mysos-orders-1");
        var reservedDisk = reserved(scalar("disk", 2048, "*"), labels);
        assertEquals(List.of(
                Operation.newBuilder().setType(Operation.Type.RESERVE).setReserve(Operation.Reserve.newBuilder()
                        .addResources(reserved(scalar("cpus", 1, "*"), labels))
                        .addResources(reserved(scalar("mem", 512, "*"), labels))
                        .addResources(reservedDisk)).build(),
                Operation.newBuilder().setType(Operation.Type.CREATE).setCreate(Operation.Create.newBuilder()
                        .addVolumes(volume(reservedDisk, "mysos-orders-1"))).build()),
                accept.getOperationsList().subList(0, 2));
        var launch = accept.getOperations(2);
        assertEquals(Operation.Type.LAUNCH, launch.getType());
        var info = launch.getLaunch().getTaskInfos(0);
        assertEquals(List.of(reserved(scalar("cpus", 1, "*"), labels), reserved(scalar("mem", 512, "*"), labels),
                volume(reservedDisk, "mysos-orders-1"), ports(31005, 31005, "*")), info.getResourcesList());
        assertEquals("mysos-orders-1", info.getTaskId().getValue());
        assertFalse(info.getData().toStringUtf8().contains(CLEAR_PASSWORD), "no password in clear in the task data");
        assertEquals(3, accept.getOperationsCount());
    }

    @Test
    void aRelaunchTakesTheVolumeAndItsReservationAsTheOfferCarriesThem() throws Exception {
        events.onNext(offers(offerWithVolume("o-2", "mysos-orders-1")));
        var received = offerProbe.expectMessageClass(ResourceSide.OffersReceived.class, Duration.ofSeconds(10)).offers().get(0);
        assertEquals(List.of("mysos-orders-1"), received.volumes());
        assertEquals(4.0, received.resources().cpus(), "the volume's reserved cpus are not free for others");
        gateway.tell(new ResourceSide.Launch("o-2", List.of(task(TWO, 31006)),
                List.of(new ResourceSide.TaskVolume(TWO, "mysos-orders-1", false))));

        var accept = callsOf(Call.Type.ACCEPT, 1).get(0).getAccept();
        assertEquals(1, accept.getOperationsCount(), "no RESERVE, no CREATE: only the LAUNCH");
        var labels = labels(ONE, "mysos-orders-1");
        assertEquals(List.of(reserved(scalar("cpus", 1, "*"), labels), reserved(scalar("mem", 512, "*"), labels),
                volume(reserved(scalar("disk", 2048, "*"), labels), "mysos-orders-1"), ports(31006, 31006, "*")),
                accept.getOperations(0).getLaunch().getTaskInfos(0).getResourcesList());
    }

    @Test
    void volumesNoClusterHoldsAreDestroyedAndUnreservedButAHeldOneIsKept() throws Exception {
        // Before the registry said which clusters exist, nothing is destroyed.
        events.onNext(offers(offerWithVolume("o-1", "mysos-orders-1")));
        assertEquals(List.of("mysos-orders-1"),
                offerProbe.expectMessageClass(ResourceSide.OffersReceived.class, Duration.ofSeconds(10)).offers().get(0).volumes());

        gateway.tell(new ResourceSide.ClustersKnown(List.of("orders")));
        gateway.tell(new ResourceSide.HoldVolumes("orders", List.of("mysos-orders-1")));
        events.onNext(offers(offerWithVolume("o-2", "mysos-orders-1")));
        offerProbe.expectMessageClass(ResourceSide.OffersReceived.class, Duration.ofSeconds(10));

        gateway.tell(new ResourceSide.HoldVolumes("orders", List.of()));
        events.onNext(offers(offerWithVolume("o-3", "mysos-orders-1")));
        var accept = callsOf(Call.Type.ACCEPT, 1).get(0);
        var labels = labels(ONE, "mysos-orders-1");
        var reservedDisk = reserved(scalar("disk", 2048, "*"), labels);
        assertEquals(Call.newBuilder().setType(Call.Type.ACCEPT).setFrameworkId(FRAMEWORK).setAccept(Call.Accept.newBuilder()
                .addOfferIds(Protos.OfferID.newBuilder().setValue("o-3"))
                .addOperations(Operation.newBuilder().setType(Operation.Type.DESTROY)
                        .setDestroy(Operation.Destroy.newBuilder().addVolumes(volume(reservedDisk, "mysos-orders-1"))))
                .addOperations(Operation.newBuilder().setType(Operation.Type.UNRESERVE).setUnreserve(Operation.Unreserve.newBuilder()
                        .addResources(reserved(scalar("cpus", 1, "*"), labels))
                        .addResources(reserved(scalar("mem", 512, "*"), labels))
                        .addResources(reservedDisk)))
                .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(0))).build(), accept);
        // That offer never reached the router: the next one does.
        events.onNext(offers(plainOffer("o-4")));
        assertEquals("o-4", offerProbe.expectMessageClass(ResourceSide.OffersReceived.class, Duration.ofSeconds(10)).offers().get(0).id());
    }

    @Test
    void theVolumesOfAClusterThatNoLongerExistsAreDestroyed() throws Exception {
        gateway.tell(new ResourceSide.ClustersKnown(List.of("ledger")));
        events.onNext(offers(offerWithVolume("o-1", "mysos-orders-1")));
        var operations = callsOf(Call.Type.ACCEPT, 1).get(0).getAccept().getOperationsList();
        assertEquals(List.of(Operation.Type.DESTROY, Operation.Type.UNRESERVE), operations.stream().map(Operation::getType).toList());
    }

    @Test
    void offersAreDeclinedBrieflyUntilEveryReconciledTaskHasAnswered() throws Exception {
        gateway.tell(new ResourceSide.Reconcile(List.of(task(ONE, 31005))));
        callsOf(Call.Type.RECONCILE, 1);
        events.onNext(offers(plainOffer("o-1")));
        assertEquals(Call.newBuilder().setType(Call.Type.DECLINE).setFrameworkId(FRAMEWORK)
                .setDecline(Call.Decline.newBuilder().addOfferIds(Protos.OfferID.newBuilder().setValue("o-1"))
                        .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(5))).build(), callsOf(Call.Type.DECLINE, 1).get(0));

        events.onNext(Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder()
                .setStatus(Protos.TaskStatus.newBuilder().setTaskId(Protos.TaskID.newBuilder().setValue("mysos-orders-1"))
                        .setState(Protos.TaskState.TASK_RUNNING).setAgentId(AGENT))).build());
        taskProbe.expectMessageClass(ResourceSide.TaskStatusReceived.class, Duration.ofSeconds(10));
        events.onNext(offers(plainOffer("o-2")));
        assertEquals("o-2", offerProbe.expectMessageClass(ResourceSide.OffersReceived.class, Duration.ofSeconds(10)).offers().get(0).id());
    }

    @Test
    void theTasksOfALostAgentAreReportedLost() throws Exception {
        events.onNext(offers(plainOffer("o-1")));
        offerProbe.expectMessageClass(ResourceSide.OffersReceived.class, Duration.ofSeconds(10));
        gateway.tell(new ResourceSide.Launch("o-1", List.of(task(ONE, 31005))));
        callsOf(Call.Type.ACCEPT, 1);
        events.onNext(Event.newBuilder().setType(Event.Type.FAILURE).setFailure(Event.Failure.newBuilder().setAgentId(AGENT)).build());
        assertEquals(new ResourceSide.TaskStatusReceived(new TaskStatus(ONE, TaskState.LOST, "agent agent-1 was lost")),
                taskProbe.expectMessageClass(ResourceSide.TaskStatusReceived.class, Duration.ofSeconds(10)));
    }

    @Test
    void implicitReconciliationAsksAboutEveryTaskPeriodically() throws Exception {
        var reconcile = callsOf(Call.Type.RECONCILE, 1).get(0);
        assertEquals(0, reconcile.getReconcile().getTasksCount(), "an implicit reconciliation names no task");
        callsOf(Call.Type.RECONCILE, 2);
    }

    @Test
    void anErrorOtherThanTheFrameworksRemovalStopsTheGateway() {
        var watcher = KIT.createTestProbe();
        events.onNext(Event.newBuilder().setType(Event.Type.ERROR)
                .setError(Event.Error.newBuilder().setMessage("Framework is not authorized to receive offers for role 'mysos'")).build());
        watcher.expectTerminated(gateway, Duration.ofSeconds(10));
    }

    @Test
    void aVolumeLetGoKeepsOffersComingUntilItIsDestroyedThenOffersAreSuppressed() throws Exception {
        // Subscribed with no demand: one SUPPRESS. Calls are separate HTTP requests, so only counts are compared, never order.
        gateway.tell(new ResourceSide.ClustersKnown(List.of("orders")));
        gateway.tell(new ResourceSide.HoldVolumes("orders", List.of("mysos-orders-1")));
        // The cluster is deleted: it holds no volume, and the router, with no demand left, asks for SUPPRESS.
        gateway.tell(new ResourceSide.HoldVolumes("orders", List.of()));
        gateway.tell(ResourceSide.Suppress.INSTANCE);
        gateway.tell(new ResourceSide.Kill(ONE)); // a call sent after the gateway has handled everything before it
        callsOf(Call.Type.KILL, 1);
        assertEquals(1, callsOf(Call.Type.REVIVE, 1).size(), "offers are revived to find the volume");
        assertTrue(master.getCallsReceived().stream().filter(c -> c.getType() == Call.Type.SUPPRESS).count() <= 1,
                "no SUPPRESS while the volume waits to be destroyed: " + master.getCallsReceived());

        events.onNext(offers(offerWithVolume("o-1", "mysos-orders-1")));
        assertEquals(List.of(Operation.Type.DESTROY, Operation.Type.UNRESERVE),
                callsOf(Call.Type.ACCEPT, 1).get(0).getAccept().getOperationsList().stream().map(Operation::getType).toList());
        assertEquals(2, callsOf(Call.Type.SUPPRESS, 2).size(), "suppressed once the volume is destroyed");
    }

    // ---------------------------------------------------------------- helpers

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

    private static TaskData task(TaskId id, int port) {
        return new TaskData(id, "orders", id.serverId(), "host-1", port, Resources.DEFAULT_INSTANCE, "app",
                KEY.seal(CLEAR_PASSWORD), KEY.seal("admin-pw-pw"), Optional.empty(), false);
    }

    private static Protos.Labels labels(TaskId task, String volume) {
        return Protos.Labels.newBuilder()
                .addLabels(Protos.Label.newBuilder().setKey("mysos.framework").setValue("fw-1"))
                .addLabels(Protos.Label.newBuilder().setKey("mysos.cluster").setValue(task.cluster()))
                .addLabels(Protos.Label.newBuilder().setKey("mysos.task").setValue(task.value()))
                .addLabels(Protos.Label.newBuilder().setKey("mysos.volume").setValue(volume))
                .build();
    }

    private static Protos.Resource reserved(Protos.Resource r, Protos.Labels labels) {
        return r.toBuilder().setRole("mysos").setReservation(Protos.Resource.ReservationInfo.newBuilder().setLabels(labels)).build();
    }

    private static Protos.Resource volume(Protos.Resource reservedDisk, String id) {
        return reservedDisk.toBuilder().setDisk(Protos.Resource.DiskInfo.newBuilder()
                .setPersistence(Protos.Resource.DiskInfo.Persistence.newBuilder().setId(id))
                .setVolume(Protos.Volume.newBuilder().setContainerPath("mysql-data").setMode(Protos.Volume.Mode.RW))).build();
    }

    private static Protos.Offer.Builder offerBuilder(String id) {
        return Protos.Offer.newBuilder().setId(Protos.OfferID.newBuilder().setValue(id)).setFrameworkId(FRAMEWORK)
                .setAgentId(AGENT).setHostname("host-1")
                .addResources(scalar("cpus", 4, "*"))
                .addResources(scalar("mem", 4096, "*"))
                .addResources(scalar("disk", 20000, "*"))
                .addResources(ports(31000, 31010, "*"));
    }

    private static Protos.Offer plainOffer(String id) {
        return offerBuilder(id).build();
    }

    /** An offer that also carries the reservation and volume instance 1 left behind. */
    private static Protos.Offer offerWithVolume(String id, String volume) {
        var labels = labels(ONE, volume);
        return offerBuilder(id)
                .addResources(reserved(scalar("cpus", 1, "*"), labels))
                .addResources(reserved(scalar("mem", 512, "*"), labels))
                .addResources(volume(reserved(scalar("disk", 2048, "*"), labels), volume))
                .build();
    }
}

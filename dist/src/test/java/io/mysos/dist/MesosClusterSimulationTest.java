package io.mysos.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import com.google.protobuf.ByteString;
import com.mesosphere.mesos.rx.java.protobuf.ProtobufMessageCodecs;
import com.mesosphere.mesos.rx.java.test.simulation.MesosServerSimulation;
import io.mysos.core.election.Position;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.task.TaskId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.Offer.Operation;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rx.subjects.ReplaySubject;

/**
 * The whole scheduler (actors, H2 journal, API) against mesos-rxjava's master simulation: a
 * 3-node cluster placed on three agents, each instance on a reserved persistent volume, driven to
 * RUNNING by UPDATE events (each acknowledged), roles through MESSAGE calls, a master failure
 * through TASK_FAILED with an election by positions, the failed instance relaunched on its own
 * volume, and at the end the volumes of the deleted cluster destroyed and unreserved.
 */
class MesosClusterSimulationTest {
    private static final Protos.FrameworkID FRAMEWORK = Protos.FrameworkID.newBuilder().setValue("fw-1").build();
    private static final JsonMapper JSON = JsonMapper.builder().addModule(new Jdk8Module()).addModule(new ParameterNamesModule()).build();
    private static final String PASSWORD = "orders-secret-1";

    @TempDir
    Path dataDir;

    private final ReplaySubject<Event> events = ReplaySubject.create();
    private final HttpClient http = HttpClient.newHttpClient();
    private MesosServerSimulation<Event, Call> master;
    private int apiPort;
    private int uuids;

    @Test
    void aThreeNodeClusterRunsFailsOverAndIsRelaunchedOnItsVolume() throws Exception {
        master = new MesosServerSimulation<>(events, ProtobufMessageCodecs.SCHEDULER_EVENT, ProtobufMessageCodecs.SCHEDULER_CALL,
                (Call call) -> call.getType() == Call.Type.SUBSCRIBE);
        master.start();
        var mesos = SchedulerMode.mesosConfig("127.0.0.1:" + master.getServerPort(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of("http://repo/mysos-executor.tar.gz"));
        try (var scheduler = SchedulerMode.start(new SchedulerMode.Settings("127.0.0.1", 0, dataDir, dataDir.resolve("scheduler.key"), mesos))) {
            apiPort = scheduler.apiPort();
            assertTrue(master.awaitSubscribeCall(20, TimeUnit.SECONDS), "SUBSCRIBE arrives");
            events.onNext(Event.newBuilder().setType(Event.Type.SUBSCRIBED)
                    .setSubscribed(Event.Subscribed.newBuilder().setFrameworkId(FRAMEWORK).setHeartbeatIntervalSeconds(15)).build());
            var created = sendUntilNot503("POST", "/clusters/orders", "cluster_user=app&num_nodes=3&cluster_password=" + PASSWORD);
            assertEquals(200, created.statusCode(), created.body());
            awaitCalls(Call.Type.REVIVE, 1);

            // Three agents offer: one instance on each, each on a volume of its own, in the ACCEPT of its launch.
            events.onNext(offers(offer("o-1", 1), offer("o-2", 2), offer("o-3", 3)));
            var accepts = awaitCalls(Call.Type.ACCEPT, 3);
            var agentOf = new HashMap<TaskId, Protos.AgentID>();
            for (var accept : accepts) {
                var ops = accept.getAccept().getOperationsList();
                assertEquals(List.of(Operation.Type.RESERVE, Operation.Type.CREATE, Operation.Type.LAUNCH),
                        ops.stream().map(Operation::getType).toList());
                var info = ops.get(2).getLaunch().getTaskInfos(0);
                assertEquals(info.getTaskId().getValue(), ops.get(1).getCreate().getVolumes(0).getDisk().getPersistence().getId());
                agentOf.put(new TaskId(info.getTaskId().getValue()), info.getAgentId());
            }
            var one = TaskId.of("orders", 1);
            var two = TaskId.of("orders", 2);
            var three = TaskId.of("orders", 3);
            assertEquals(3, agentOf.size());

            // RUNNING, each update acknowledged once the cluster recorded it; the first becomes master of epoch 0.
            for (var task : List.of(one, two, three)) {
                update(task, agentOf.get(task), Protos.TaskState.TASK_RUNNING);
            }
            awaitCalls(Call.Type.ACKNOWLEDGE, 3);
            awaitMessage(one, new ExecutorCommand.Promote(0));
            message(agentOf.get(one), new ExecutorReport.Promoted(one, 0));
            var masterHost = "10.0.0." + agentOf.get(one).getValue().substring("agent-".length());
            for (var replica : List.of(two, three)) {
                var reparent = (ExecutorCommand.Reparent) awaitMessage(replica, c -> c instanceof ExecutorCommand.Reparent r && r.epoch() == 0);
                assertEquals(masterHost, reparent.masterHost());
                message(agentOf.get(replica), new ExecutorReport.Reparented(replica, 0, reparent.masterHost(), reparent.masterPort()));
                // Its first health check after the reparent: in sync, as an executor reports it.
                message(agentOf.get(replica), new ExecutorReport.ReplicationLag(replica, 0, java.util.Optional.of(0L), 0, false));
            }
            awaitState("RUNNING");

            // The master's mysqld dies: the replicas are asked for their positions, the most advanced is promoted.
            int revives = awaitCalls(Call.Type.REVIVE, 1).size();
            update(one, agentOf.get(one), Protos.TaskState.TASK_FAILED);
            awaitCalls(Call.Type.ACKNOWLEDGE, 4);
            awaitMessage(two, new ExecutorCommand.QueryPosition(1));
            awaitMessage(three, new ExecutorCommand.QueryPosition(1));
            message(agentOf.get(two), new ExecutorReport.PositionReported(two, 1, Position.mariadb("0-1-4"), Position.mariadb("0-1-4")));
            message(agentOf.get(three), new ExecutorReport.PositionReported(three, 1, Position.mariadb("0-1-5"), Position.mariadb("0-1-5")));
            awaitMessage(three, new ExecutorCommand.Promote(1));
            message(agentOf.get(three), new ExecutorReport.Promoted(three, 1));
            awaitMessage(two, c -> c instanceof ExecutorCommand.Reparent r && r.epoch() == 1);

            // The failed instance's agent offers its volume back: the replacement is launched on it, keeping its data.
            var agentOne = agentOf.get(one);
            awaitCalls(Call.Type.REVIVE, revives + 1);  // the router has the cluster's new demand
            int acceptsBefore = awaitCalls(Call.Type.ACCEPT, 3).size();
            events.onNext(offers(offerWithVolume("o-4", agentOne, one)));
            var relaunch = awaitCalls(Call.Type.ACCEPT, acceptsBefore + 1).get(acceptsBefore).getAccept();
            assertEquals(List.of(Operation.Type.LAUNCH), relaunch.getOperationsList().stream().map(Operation::getType).toList(),
                    "no new reservation or volume");
            var info = relaunch.getOperations(0).getLaunch().getTaskInfos(0);
            assertEquals("mysos-orders-4", info.getTaskId().getValue());
            assertEquals(agentOne, info.getAgentId());
            assertTrue(info.getResourcesList().stream().anyMatch(r -> r.hasDisk()
                    && r.getDisk().getPersistence().getId().equals("mysos-orders-1")), "on the volume of mysos-orders-1");

            // Deleted: every task is killed, and the volumes are destroyed and unreserved when offered.
            var four = TaskId.of("orders", 4);
            agentOf.put(four, agentOne);
            update(four, agentOne, Protos.TaskState.TASK_RUNNING);
            var deleted = send("DELETE", "/clusters/orders", "password=" + PASSWORD);
            assertEquals(200, deleted.statusCode(), deleted.body());
            for (var task : List.of(two, three, four)) {
                awaitKill(task);
                update(task, agentOf.get(task), Protos.TaskState.TASK_KILLED);
            }
            awaitGone();
            var destroy = offerUntilAccepted(agentOne, one);
            assertEquals(List.of(Operation.Type.DESTROY, Operation.Type.UNRESERVE),
                    destroy.getOperationsList().stream().map(Operation::getType).toList());
            assertEquals("mysos-orders-1", destroy.getOperations(0).getDestroy().getVolumes(0).getDisk().getPersistence().getId());
            assertEquals(3, destroy.getOperations(1).getUnreserve().getResourcesCount(), "its cpus, mem and disk");
        } finally {
            master.shutdown();
        }
    }

    // ---------------------------------------------------------------- the simulated Mesos side

    private void update(TaskId task, Protos.AgentID agent, Protos.TaskState state) {
        var uuid = String.format("%016d", ++uuids);
        events.onNext(Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder()
                .setStatus(Protos.TaskStatus.newBuilder().setTaskId(Protos.TaskID.newBuilder().setValue(task.value()))
                        .setAgentId(agent).setState(state).setUuid(ByteString.copyFromUtf8(uuid)))).build());
    }

    private void message(Protos.AgentID agent, ExecutorReport report) throws Exception {
        events.onNext(Event.newBuilder().setType(Event.Type.MESSAGE).setMessage(Event.Message.newBuilder().setAgentId(agent)
                .setExecutorId(Protos.ExecutorID.newBuilder().setValue(report.taskId().value() + "-executor"))
                .setData(ByteString.copyFrom(JSON.writeValueAsBytes(report)))).build());
    }

    private static Event offers(Protos.Offer... offers) {
        return Event.newBuilder().setType(Event.Type.OFFERS).setOffers(Event.Offers.newBuilder().addAllOffers(List.of(offers))).build();
    }

    private static Protos.Offer.Builder offerBuilder(String id, Protos.AgentID agent, String host) {
        return Protos.Offer.newBuilder().setId(Protos.OfferID.newBuilder().setValue(id)).setFrameworkId(FRAMEWORK)
                .setAgentId(agent).setHostname(host)
                .addResources(scalar("cpus", 4)).addResources(scalar("mem", 8192)).addResources(scalar("disk", 50000))
                .addResources(Protos.Resource.newBuilder().setName("ports").setType(Protos.Value.Type.RANGES).setRole("*")
                        .setRanges(Protos.Value.Ranges.newBuilder().addRange(Protos.Value.Range.newBuilder().setBegin(31000).setEnd(31099))));
    }

    private static Protos.Offer offer(String id, int agent) {
        return offerBuilder(id, Protos.AgentID.newBuilder().setValue("agent-" + agent).build(), "10.0.0." + agent).build();
    }

    /** What an agent offers back after the instance on it ended: its reserved cpus, mem and volume, as Mysos labelled them. */
    private static Protos.Offer offerWithVolume(String id, Protos.AgentID agent, TaskId task) {
        var labels = Protos.Labels.newBuilder()
                .addLabels(Protos.Label.newBuilder().setKey("mysos.framework").setValue(FRAMEWORK.getValue()))
                .addLabels(Protos.Label.newBuilder().setKey("mysos.cluster").setValue("orders"))
                .addLabels(Protos.Label.newBuilder().setKey("mysos.task").setValue(task.value()))
                .addLabels(Protos.Label.newBuilder().setKey("mysos.volume").setValue(task.value()));
        var reservation = Protos.Resource.ReservationInfo.newBuilder().setLabels(labels);
        var host = "10.0.0." + agent.getValue().substring("agent-".length());
        return offerBuilder(id, agent, host)
                .addResources(scalar("cpus", 1).toBuilder().setRole("mysos").setReservation(reservation))
                .addResources(scalar("mem", 512).toBuilder().setRole("mysos").setReservation(reservation))
                .addResources(scalar("disk", 2048).toBuilder().setRole("mysos").setReservation(reservation)
                        .setDisk(Protos.Resource.DiskInfo.newBuilder()
                                .setPersistence(Protos.Resource.DiskInfo.Persistence.newBuilder().setId(task.value()))
                                .setVolume(Protos.Volume.newBuilder().setContainerPath("mysql-data").setMode(Protos.Volume.Mode.RW))))
                .build();
    }

    private static Protos.Resource scalar(String name, double value) {
        return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR).setRole("*")
                .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
    }

    // ---------------------------------------------------------------- waiting for the scheduler

    private List<Call> awaitCalls(Call.Type type, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            var calls = master.getCallsReceived().stream().filter(c -> c.getType() == type).toList();
            if (calls.size() >= count) {
                return calls;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " " + type + " call(s), got " + calls.size());
            }
            Thread.sleep(20);
        }
    }

    private ExecutorCommand awaitMessage(TaskId task, ExecutorCommand expected) throws Exception {
        return awaitMessage(task, expected::equals);
    }

    /** The first MESSAGE call to the executor of {@code task} whose command matches. */
    private ExecutorCommand awaitMessage(TaskId task, Predicate<ExecutorCommand> matching) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (var call : master.getCallsReceived()) {
                if (call.getType() == Call.Type.MESSAGE && call.getMessage().getExecutorId().getValue().equals(task.value() + "-executor")) {
                    var command = JSON.readValue(call.getMessage().getData().toByteArray(), ExecutorCommand.class);
                    if (matching.test(command)) {
                        return command;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching MESSAGE to " + task);
    }

    /** Offers the volume until an ACCEPT answers (the cluster's last word on its volumes travels apart from the offers). */
    private Call.Accept offerUntilAccepted(Protos.AgentID agent, TaskId volume) throws InterruptedException {
        int before = (int) master.getCallsReceived().stream().filter(c -> c.getType() == Call.Type.ACCEPT).count();
        for (int attempt = 0; attempt < 20; attempt++) {
            events.onNext(offers(offerWithVolume("o-last-" + attempt, agent, volume)));
            long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < deadline) {
                var accepts = master.getCallsReceived().stream().filter(c -> c.getType() == Call.Type.ACCEPT).toList();
                if (accepts.size() > before) {
                    return accepts.get(before).getAccept();
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("no ACCEPT for the volume of " + volume);
    }

    private void awaitKill(TaskId task) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (master.getCallsReceived().stream().anyMatch(c -> c.getType() == Call.Type.KILL
                    && c.getKill().getTaskId().getValue().equals(task.value()))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no KILL of " + task);
    }

    private void awaitGone() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (send("GET", "/clusters/orders", "").statusCode() != 404) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("cluster orders still there");
            }
            Thread.sleep(50);
        }
    }

    private void awaitState(String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = send("GET", "/clusters/orders", "").body();
            if (JSON.readTree(body).path("state").asText().equals(state)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("cluster not " + state + ": " + body);
    }

    private HttpResponse<String> send(String method, String path, String form) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(form)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The gateway takes SUBSCRIBED asynchronously: until then changes answer 503 "try again shortly", as a client would retry. */
    private HttpResponse<String> sendUntilNot503(String method, String path, String form) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        var response = send(method, path, form);
        while (response.statusCode() == 503 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            response = send(method, path, form);
        }
        return response;
    }
}

package io.mysos.dist;

import com.mesosphere.mesos.rx.java.protobuf.ProtobufMessageCodecs;
import com.mesosphere.mesos.rx.java.test.simulation.MesosServerSimulation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import rx.subjects.ReplaySubject;

/**
 * A scripted Mesos master for tests of {@code mysos scheduler} (mesos-rxjava-test's
 * {@link MesosServerSimulation}): the events a test sends, and the calls the scheduler made.
 */
public final class SimulatedMaster implements AutoCloseable {
    public static final Protos.AgentID AGENT = Protos.AgentID.newBuilder().setValue("agent-1").build();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ReplaySubject<Event> events = ReplaySubject.create();
    private final MesosServerSimulation<Event, Call> server;

    private SimulatedMaster() {
        server = new MesosServerSimulation<>(events, ProtobufMessageCodecs.SCHEDULER_EVENT, ProtobufMessageCodecs.SCHEDULER_CALL,
                (Call call) -> call.getType() == Call.Type.SUBSCRIBE);
    }

    /** A master listening on a free port of 127.0.0.1. */
    public static SimulatedMaster start() {
        var master = new SimulatedMaster();
        master.server.start();
        return master;
    }

    /** {@code host:port}, as {@code --master} takes it. */
    public String address() {
        return "127.0.0.1:" + server.getServerPort();
    }

    public boolean awaitSubscribe() throws InterruptedException {
        return server.awaitSubscribeCall(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    public List<Call> calls() {
        return server.getCallsReceived();
    }

    public void send(Event event) {
        events.onNext(event);
    }

    /** The first call of {@code type}, waiting up to 20 s for it. */
    public Call awaitCall(Call.Type type) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            var found = calls().stream().filter(c -> c.getType() == type).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + type + " call in " + calls());
    }

    public static Event subscribed(Protos.FrameworkID framework) {
        return Event.newBuilder().setType(Event.Type.SUBSCRIBED)
                .setSubscribed(Event.Subscribed.newBuilder().setFrameworkId(framework).setHeartbeatIntervalSeconds(15)).build();
    }

    public static Event offers(Protos.Offer... offers) {
        return Event.newBuilder().setType(Event.Type.OFFERS).setOffers(Event.Offers.newBuilder().addAllOffers(List.of(offers))).build();
    }

    /** An offer of unreserved cpus 4, mem 8192, disk 50000 and ports 31000-31099 on {@link #AGENT} (127.0.0.1). */
    public static Protos.Offer offer(String id, Protos.FrameworkID framework) {
        return Protos.Offer.newBuilder().setId(Protos.OfferID.newBuilder().setValue(id)).setFrameworkId(framework)
                .setAgentId(AGENT).setHostname("127.0.0.1")
                .addResources(scalar("cpus", 4)).addResources(scalar("mem", 8192)).addResources(scalar("disk", 50000))
                .addResources(Protos.Resource.newBuilder().setName("ports").setType(Protos.Value.Type.RANGES).setRole("*")
                        .setRanges(Protos.Value.Ranges.newBuilder().addRange(Protos.Value.Range.newBuilder().setBegin(31000).setEnd(31099))))
                .build();
    }

    public static Protos.Resource scalar(String name, double value) {
        return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR).setRole("*")
                .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdown();
    }
}

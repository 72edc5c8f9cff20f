package io.mysos.actors.mesos;

import static io.mysos.actors.mesos.MesosGatewayTest.ports;
import static io.mysos.actors.mesos.MesosGatewayTest.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.offer.Offer;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.resources.PortRange;
import io.mysos.core.resources.Resources;
import io.mysos.core.size.DataSize;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/** The pure translations between Mesos protobufs and Mysos values. */
class MesosTranslationTest {

    private static Protos.Offer offerOf(Protos.Resource... resources) {
        return Protos.Offer.newBuilder().setId(Protos.OfferID.newBuilder().setValue("o"))
                .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("fw"))
                .setAgentId(Protos.AgentID.newBuilder().setValue("a")).setHostname("h")
                .addAllResources(List.of(resources)).build();
    }

    @Test
    void anOfferCountsUnreservedResourcesAndThoseOfOurRoleOnly() {
        var revocable = scalar("cpus", 16, "*").toBuilder().setRevocable(Protos.Resource.RevocableInfo.getDefaultInstance()).build();
        var volume = scalar("disk", 500, "mysos").toBuilder().setDisk(Protos.Resource.DiskInfo.newBuilder()
                .setPersistence(Protos.Resource.DiskInfo.Persistence.newBuilder().setId("v1"))).build();
        var offer = offerOf(scalar("cpus", 2, "*"), scalar("cpus", 0.5, "mysos"), scalar("cpus", 8, "web"), revocable,
                scalar("mem", 1024.7, "*"), scalar("disk", 3000, "*"), volume,
                ports(32000, 32001, "mysos"), ports(31000, 31009, "*"), ports(40000, 40100, "web"));
        assertEquals(new Offer("o", "a", "h", new Resources(2.5, DataSize.ofMegabytes(1024), DataSize.ofMegabytes(3000)),
                List.of(new PortRange(31000, 31009), new PortRange(32000, 32001)), List.of(), true), MesosOffers.toOffer(offer, "mysos"));
    }

    @Test
    void anOfferWithNothingOfOursIsEmpty() {
        var offer = MesosOffers.toOffer(offerOf(scalar("cpus", 8, "web"), ports(40000, 40100, "web")), "mysos");
        assertEquals(Resources.NONE, offer.resources());
        assertFalse(offer.hasPort());
    }

    @Test
    void aTaskTakesItsResourcesFromTheOffersEntriesOurRoleFirst() {
        var offer = offerOf(scalar("cpus", 4, "*"), scalar("cpus", 0.5, "mysos"), scalar("mem", 4096, "*"),
                scalar("disk", 1024, "mysos"), scalar("disk", 4096, "*"), ports(31000, 31010, "*"));
        var pool = new ResourcePool(MesosOffers.usableResources(offer, "mysos"), "mysos");
        var taken = pool.take(new Resources(1, DataSize.ofMegabytes(512), DataSize.ofGigabytes(2)), 31005);
        assertEquals(List.of(scalar("cpus", 0.5, "mysos"), scalar("cpus", 0.5, "*"), scalar("mem", 512, "*"),
                scalar("disk", 1024, "mysos"), scalar("disk", 1024, "*"), ports(31005, 31005, "*")), taken);
        // What the first task took is gone for the second (0.5 cpus are left after both), its port too.
        var second = pool.take(new Resources(3, DataSize.ofMegabytes(3584), DataSize.ofGigabytes(3)), 31000);
        assertEquals(List.of(scalar("cpus", 3, "*"), scalar("mem", 3584, "*"), scalar("disk", 3072, "*"), ports(31000, 31000, "*")), second);
        assertThrows(ResourcePool.NotEnoughResources.class, () -> pool.take(new Resources(1, DataSize.ZERO, DataSize.ZERO), 31001));
        assertThrows(ResourcePool.NotEnoughResources.class, () -> pool.take(new Resources(0, DataSize.ZERO, DataSize.ZERO), 31005));
    }

    @Test
    void aPersistentVolumesDiskComesFromOneEntry() {
        var offer = offerOf(scalar("cpus", 4, "*"), scalar("mem", 4096, "*"),
                scalar("disk", 1024, "mysos"), scalar("disk", 4096, "*"), ports(31000, 31010, "*"));
        var pool = new ResourcePool(MesosOffers.usableResources(offer, "mysos"), "mysos");
        var taken = pool.take(new Resources(1, DataSize.ofMegabytes(512), DataSize.ofGigabytes(2)), 31005, true);
        assertEquals(scalar("disk", 2048, "*"), taken.get(2), "not 1024 of one entry and 1024 of another");
        assertThrows(ResourcePool.NotEnoughResources.class,
                () -> pool.take(new Resources(0, DataSize.ZERO, DataSize.ofGigabytes(3)), 31006, true));
    }

    @Test
    void reservationsWithLabelsAreAnInstancesOwnAndComeAsItsVolume() {
        var labels = Protos.Labels.newBuilder().addLabels(Protos.Label.newBuilder().setKey("mysos.volume").setValue("mysos-orders-3"));
        var reservation = Protos.Resource.ReservationInfo.newBuilder().setLabels(labels);
        var volume = scalar("disk", 2048, "mysos").toBuilder().setReservation(reservation).setDisk(Protos.Resource.DiskInfo.newBuilder()
                .setPersistence(Protos.Resource.DiskInfo.Persistence.newBuilder().setId("mysos-orders-3"))).build();
        var foreign = scalar("disk", 500, "mysos").toBuilder().setDisk(Protos.Resource.DiskInfo.newBuilder()
                .setPersistence(Protos.Resource.DiskInfo.Persistence.newBuilder().setId("someone-elses"))).build();
        var offer = offerOf(scalar("cpus", 2, "*"), scalar("cpus", 1, "mysos").toBuilder().setReservation(reservation).build(),
                scalar("mem", 1024, "*"), scalar("mem", 512, "mysos").toBuilder().setReservation(reservation).build(),
                scalar("disk", 3000, "*"), volume, foreign, ports(31000, 31009, "*"));
        assertEquals(new Offer("o", "a", "h", new Resources(2, DataSize.ofMegabytes(1024), DataSize.ofMegabytes(3000)),
                List.of(new PortRange(31000, 31009)), List.of("mysos-orders-3"), true), MesosOffers.toOffer(offer, "mysos"));
        var offered = MesosVolumes.offered(offer, "mysos");
        assertEquals(1, offered.size());
        assertEquals("orders", offered.get(0).cluster());
        assertEquals(3, offered.get(0).resources().size(), "its cpus, mem and volume");
        // Reserved for another role: not ours to reuse or destroy.
        assertEquals(List.of(), MesosVolumes.offered(offer, "web"));
    }

    @Test
    void statusesMapToCoreStates() {
        assertEquals(TaskState.STAGING, MesosStatuses.state(Protos.TaskState.TASK_STAGING));
        assertEquals(TaskState.STARTING, MesosStatuses.state(Protos.TaskState.TASK_STARTING));
        assertEquals(TaskState.RUNNING, MesosStatuses.state(Protos.TaskState.TASK_RUNNING));
        assertEquals(TaskState.RUNNING, MesosStatuses.state(Protos.TaskState.TASK_KILLING));
        assertEquals(TaskState.FINISHED, MesosStatuses.state(Protos.TaskState.TASK_FINISHED));
        assertEquals(TaskState.FAILED, MesosStatuses.state(Protos.TaskState.TASK_FAILED));
        assertEquals(TaskState.KILLED, MesosStatuses.state(Protos.TaskState.TASK_KILLED));
        assertEquals(TaskState.LOST, MesosStatuses.state(Protos.TaskState.TASK_LOST));
        assertEquals(TaskState.LOST, MesosStatuses.state(Protos.TaskState.TASK_ERROR));
    }

    @Test
    void aStatusCarriesItsMessageAndReason() {
        var lost = Protos.TaskStatus.newBuilder().setTaskId(Protos.TaskID.newBuilder().setValue("mysos-orders-2"))
                .setState(Protos.TaskState.TASK_LOST).setMessage("Agent removed")
                .setReason(Protos.TaskStatus.Reason.REASON_AGENT_REMOVED).setSource(Protos.TaskStatus.Source.SOURCE_MASTER).build();
        assertEquals(Optional.of(new TaskStatus(TaskId.of("orders", 2), TaskState.LOST,
                "Agent removed (reason_agent_removed, from source_master)")), MesosStatuses.toStatus(lost));
        var bare = lost.toBuilder().clearMessage().clearReason().clearSource().setState(Protos.TaskState.TASK_RUNNING).build();
        assertEquals("TASK_RUNNING", MesosStatuses.toStatus(bare).orElseThrow().message());
    }

    @Test
    void aStatusOfSomeoneElsesTaskIsNotTranslated() {
        var foreign = Protos.TaskStatus.newBuilder().setTaskId(Protos.TaskID.newBuilder().setValue("web-17"))
                .setState(Protos.TaskState.TASK_RUNNING).build();
        assertEquals(Optional.empty(), MesosStatuses.toStatus(foreign));
    }

    @Test
    void aResubscriptionNamesItsFrameworkIdAndPrincipal() {
        var framework = new MesosCalls.Framework("mysos", "mysql", "mysos", Optional.of("ops"), Duration.ofHours(1));
        var call = MesosCalls.subscribe(framework, Optional.of("fw-9"));
        assertEquals("fw-9", call.getFrameworkId().getValue());
        var info = call.getSubscribe().getFrameworkInfo();
        assertEquals("fw-9", info.getId().getValue());
        assertEquals("ops", info.getPrincipal());
        assertEquals("mysql", info.getUser());
        assertEquals(3600.0, info.getFailoverTimeout());
        assertTrue(info.getCheckpoint());
    }

    @Test
    void theSchedulerApiOfAMaster() {
        assertEquals(URI.create("http://10.0.0.1:5050/api/v1/scheduler"), MesosConnection.schedulerApi("10.0.0.1:5050"));
        assertEquals(URI.create("https://m:5050/api/v1/scheduler"), MesosConnection.schedulerApi("https://m:5050/"));
    }

    @Test
    void reconnectionsBackOffExponentiallyWithJitterUpToTheCap() {
        var backoff = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);
        assertEquals(Duration.ofMillis(800), backoff.delay(1, 0));
        assertEquals(Duration.ofMillis(1000), backoff.delay(1, 0.9999999));
        assertEquals(Duration.ofMillis(4000), backoff.delay(3, 0.9999999));
        assertEquals(Duration.ofSeconds(24), backoff.delay(10, 0));
        assertEquals(Duration.ofSeconds(30), backoff.delay(1000, 0.9999999));
        assertThrows(IllegalArgumentException.class, () -> new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0));
    }
}

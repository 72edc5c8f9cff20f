package io.mysos.it.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.mysos.dist.LocalSettings;
import io.mysos.dist.SchedulerMode;
import io.mysos.dist.SimulatedMaster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mysos scheduler --journal} on the PostgreSQL and MariaDB servers of this machine: the
 * framework id and the clusters are in that journal, so a scheduler restarted on it subscribes with
 * the same framework id, still serves the cluster, and reconciles its task (against a Mesos master
 * simulation, mesos-rxjava-test).
 */
class SchedulerJournalTest {
    private static final Protos.FrameworkID FRAMEWORK = Protos.FrameworkID.newBuilder().setValue("fw-journal").build();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    @Test
    void onPostgreSql() throws Exception {
        try (var journal = ScratchJournal.postgres()) {
            aRestartedSchedulerKeepsItsFrameworkAndClusters(journal);
        }
    }

    @Test
    void onMariaDb() throws Exception {
        try (var journal = ScratchJournal.mariadb()) {
            aRestartedSchedulerKeepsItsFrameworkAndClusters(journal);
        }
    }

    private void aRestartedSchedulerKeepsItsFrameworkAndClusters(ScratchJournal journal) throws Exception {
        var settings = new LocalSettings.Journal(journal.kind(), Optional.of(journal.url()), journal.user(), journal.password());
        String taskId;
        try (var master = SimulatedMaster.start(); var scheduler = SchedulerMode.start(settings(master, settings))) {
            assertTrue(master.awaitSubscribe(), "SUBSCRIBE arrives");
            assertEquals("", master.calls().get(0).getSubscribe().getFrameworkInfo().getId().getValue(), "a new journal has no framework id");
            master.send(SimulatedMaster.subscribed(FRAMEWORK));
            var create = HttpRequest.newBuilder(api(scheduler, "/clusters/orders"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("cluster_user=app&num_nodes=1&cluster_password=orders-secret-1")).build();
            var created = sendUntilNot503(create);
            assertEquals(2, created.statusCode() / 100, created.statusCode() + " " + created.body());
            master.awaitCall(Call.Type.REVIVE);
            master.send(SimulatedMaster.offers(SimulatedMaster.offer("o-1", FRAMEWORK)));
            var task = master.awaitCall(Call.Type.ACCEPT).getAccept().getOperations(2).getLaunch().getTaskInfos(0);
            taskId = task.getTaskId().getValue();
            master.send(Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder()
                    .setStatus(Protos.TaskStatus.newBuilder().setTaskId(task.getTaskId()).setAgentId(SimulatedMaster.AGENT)
                            .setState(Protos.TaskState.TASK_RUNNING).setUuid(ByteString.copyFromUtf8("0123456789abcdef")))).build());
            master.awaitCall(Call.Type.ACKNOWLEDGE);
        }

        // In that journal, not in an H2 file under the data directory.
        assertTrue(journal.tables().events("cluster|orders").stream().anyMatch(e -> e.manifest().contains("$ClusterCreated")),
                "the cluster's events are in the " + journal.kind() + " journal");
        assertTrue(journal.tables().allEvents().stream().anyMatch(e -> e.manifest().contains("$FrameworkIdAssigned")),
                "the framework id is in the " + journal.kind() + " journal");
        assertFalse(java.nio.file.Files.exists(dataDir.resolve("journal")), "no H2 journal under the data directory");

        try (var master = SimulatedMaster.start(); var scheduler = SchedulerMode.start(settings(master, settings))) {
            assertTrue(master.awaitSubscribe(), "SUBSCRIBE arrives");
            assertEquals(FRAMEWORK, master.calls().get(0).getSubscribe().getFrameworkInfo().getId(),
                    "the restarted scheduler subscribes as the framework its journal recorded");
            master.send(SimulatedMaster.subscribed(FRAMEWORK));
            var reconcile = master.awaitCall(Call.Type.RECONCILE).getReconcile();
            assertEquals(List.of(taskId), reconcile.getTasksList().stream().map(t -> t.getTaskId().getValue()).toList());
            var cluster = HttpClient.newHttpClient().send(HttpRequest.newBuilder(api(scheduler, "/clusters/orders")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, cluster.statusCode(), cluster.body());
            assertTrue(cluster.body().contains(taskId), cluster.body());
        }
    }

    private SchedulerMode.Settings settings(SimulatedMaster master, LocalSettings.Journal journal) {
        var mesos = SchedulerMode.mesosConfig(master.address(), Optional.of("dbs"), Optional.empty(),
                Optional.empty(), Optional.of("1d"), Optional.empty(), Optional.empty(), List.of("http://repo/mysos.tar.gz"));
        return new SchedulerMode.Settings("127.0.0.1", 0, dataDir, dataDir.resolve("scheduler.key"), mesos, journal);
    }

    private static URI api(SchedulerMode scheduler, String path) {
        return URI.create("http://127.0.0.1:" + scheduler.apiPort() + path);
    }

    /** Until the gateway has taken SUBSCRIBED, changes are 503 "try again shortly", as a client would retry. */
    private static HttpResponse<String> sendUntilNot503(HttpRequest request) throws Exception {
        var http = HttpClient.newHttpClient();
        var response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long until = System.nanoTime() + WAIT.toNanos();
        while (response.statusCode() == 503 && System.nanoTime() < until) {
            Thread.sleep(100);
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        return response;
    }
}

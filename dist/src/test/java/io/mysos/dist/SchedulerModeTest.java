package io.mysos.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.mesosphere.mesos.rx.java.protobuf.ProtobufMessageCodecs;
import com.mesosphere.mesos.rx.java.test.simulation.MesosServerSimulation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import rx.subjects.ReplaySubject;

/** {@code mysos scheduler}: the API and the actors with the Mesos gateway, against a Mesos master simulation. */
class SchedulerModeTest {
    private static final Protos.FrameworkID FRAMEWORK = Protos.FrameworkID.newBuilder().setValue("fw-1").build();

    @TempDir
    Path dataDir;

    @Test
    void aClusterCreatedThroughTheApiIsLaunchedOnAMesosOffer() throws Exception {
        try (var master = SimulatedMaster.start();
                var scheduler = SchedulerMode.start(new SchedulerMode.Settings("127.0.0.1", 0, dataDir, dataDir.resolve("scheduler.key"),
                        SchedulerMode.mesosConfig(master.address(), Optional.of("dbs"), Optional.empty(), Optional.empty(),
                                Optional.of("1d"), Optional.empty(), Optional.empty(), List.of("http://repo/mysos.tar.gz"))))) {
            assertTrue(master.awaitSubscribe(), "SUBSCRIBE arrives");
            var info = master.calls().get(0).getSubscribe().getFrameworkInfo();
            assertEquals("dbs", info.getRole());
            assertEquals(86400.0, info.getFailoverTimeout());
            master.send(SimulatedMaster.subscribed(FRAMEWORK));

            // The gateway takes SUBSCRIBED asynchronously: until then changes are answered 503 "try again shortly", as a client would.
            var http = HttpClient.newHttpClient();
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + scheduler.apiPort() + "/clusters/orders"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("cluster_user=app&num_nodes=1&cluster_password=orders-secret-1")).build();
            var create = http.send(request, HttpResponse.BodyHandlers.ofString());
            long retryUntil = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (create.statusCode() == 503 && System.nanoTime() < retryUntil) {
                Thread.sleep(100);
                create = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            assertTrue(create.statusCode() / 100 == 2, "created: " + create.statusCode() + " " + create.body());
            master.awaitCall(Call.Type.REVIVE);

            master.send(SimulatedMaster.offers(SimulatedMaster.offer("o-1", FRAMEWORK)));
            var accept = master.awaitCall(Call.Type.ACCEPT).getAccept();
            // The instance's cpus, mem and disk are reserved for the role, its disk a persistent volume, in the ACCEPT of its LAUNCH.
            assertEquals(List.of(Protos.Offer.Operation.Type.RESERVE, Protos.Offer.Operation.Type.CREATE, Protos.Offer.Operation.Type.LAUNCH),
                    accept.getOperationsList().stream().map(Protos.Offer.Operation::getType).toList());
            assertEquals("mysos-orders-1", accept.getOperations(1).getCreate().getVolumes(0).getDisk().getPersistence().getId());
            var task = accept.getOperations(2).getLaunch().getTaskInfos(0);
            assertEquals("mysos-orders-1", task.getTaskId().getValue());
            assertEquals("http://repo/mysos.tar.gz", task.getExecutor().getCommand().getUris(0).getValue());
            assertTrue(task.getExecutor().getCommand().getUris(0).getExtract());
            assertFalse(task.getData().toStringUtf8().contains("orders-secret-1"), "no password in clear");

            master.send(Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder()
                    .setStatus(Protos.TaskStatus.newBuilder().setTaskId(task.getTaskId()).setAgentId(SimulatedMaster.AGENT)
                            .setState(Protos.TaskState.TASK_RUNNING).setUuid(ByteString.copyFromUtf8("0123456789abcdef")))).build());
            assertEquals(task.getTaskId(), master.awaitCall(Call.Type.ACKNOWLEDGE).getAcknowledge().getTaskId());
        }
    }

    @Test
    void theCommandLineChecksItsOptions() {
        var out = new StringWriter();
        var stderr = new ByteArrayOutputStream();
        var original = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            var help = new CommandLine(new Mysos()).setOut(new PrintWriter(out)).execute("scheduler", "--help");
            assertEquals(0, help);
            assertTrue(out.toString().contains("--executor-uri"), out.toString());
            assertEquals(2, new CommandLine(new Mysos()).execute("scheduler", "--master", "zk://a/mesos"));
            assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("--master must be HOST:PORT"), stderr.toString(StandardCharsets.UTF_8));
            assertEquals(2, new CommandLine(new Mysos()).execute("scheduler", "--master", "m:5050", "--failover-timeout", "soon"));
            var command = new SchedulerCommand();
            new CommandLine(command).parseArgs("--master", "m1:5050,m2:5050", "--role", "dbs");
            var settings = command.settings();
            assertEquals("m1:5050,m2:5050", settings.mesos().getString("master"));
            assertEquals("dbs", settings.mesos().getString("role"));
            var detected = new SchedulerCommand();
            new CommandLine(detected).parseArgs("--master", "zk://zk1:2181,zk2:2181/mesos");
            assertEquals("zk://zk1:2181,zk2:2181/mesos", detected.settings().mesos().getString("master"));
            assertEquals(2, new CommandLine(new Mysos()).execute("scheduler", "--master", "zk://zk1:2181"));
            assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("or zk://HOST:PORT[,HOST:PORT...]/PATH, not 'zk://zk1:2181'"));
            assertEquals(2, new CommandLine(new Mysos()).execute("scheduler", "--master", "m:5050", "--agent-gone-after", "later"));
            assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("--agent-gone-after must be a duration"));
            var gone = new SchedulerCommand();
            new CommandLine(gone).parseArgs("--master", "m:5050", "--agent-gone-after", "30m");
            assertEquals(java.time.Duration.ofMinutes(30), SchedulerOptions.applyAgentGoneAfter(gone.settings().mesos().atPath("mysos.mesos"))
                    .getDuration("mysos.cluster.agent-gone-after"));
        } finally {
            System.setErr(original);
        }
    }
}

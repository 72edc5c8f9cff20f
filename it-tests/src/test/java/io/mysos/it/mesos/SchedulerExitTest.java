package io.mysos.it.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.dist.SimulatedMaster;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process of {@code mysos scheduler} (not its classes in this JVM) ends with exit status 3 when the
 * Mesos master refuses the framework for good, as docs/mesos.md says, so a supervisor sees it stopped
 * by itself and why.
 */
class SchedulerExitTest {
    @TempDir
    Path dataDir;

    @Test
    void aMasterThatRefusesTheFrameworkStopsTheSchedulerWithExitStatus3() throws Exception {
        int apiPort;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            apiPort = probe.getLocalPort();
        }
        try (var master = SimulatedMaster.start();
                var scheduler = SchedulerProcess.launch(dataDir, apiPort, List.of("--master", master.address()))) {
            assertTrue(master.awaitSubscribe(), "SUBSCRIBE arrives");
            master.send(Event.newBuilder().setType(Event.Type.ERROR)
                    .setError(Event.Error.newBuilder().setMessage("Role 'mysos' is not present in the master's --roles")).build());
            assertEquals(3, scheduler.awaitExit(Duration.ofSeconds(60)), scheduler.log());
            assertTrue(scheduler.log().contains("Role 'mysos' is not present in the master's --roles"), scheduler.log());
        }
    }
}

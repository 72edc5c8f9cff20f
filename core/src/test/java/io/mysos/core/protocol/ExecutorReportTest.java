package io.mysos.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysos.core.TestJson;
import io.mysos.core.task.TaskId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExecutorReportTest {
    private static final TaskId TASK = TaskId.of("orders", 2);

    @Test
    void promotedTravelsByItsTypeName() {
        ExecutorReport report = new ExecutorReport.Promoted(TASK, 3);
        assertEquals("{\"type\":\"promoted\",\"taskId\":\"mysos-orders-2\",\"epoch\":3}", TestJson.write(report));
        assertEquals(report, TestJson.roundTrip(report, ExecutorReport.class));
    }

    @Test
    void reparentedTravelsByItsTypeName() {
        ExecutorReport report = new ExecutorReport.Reparented(TASK, 4, "db1", 31000);
        assertEquals("{\"type\":\"reparented\",\"taskId\":\"mysos-orders-2\",\"epoch\":4,\"masterHost\":\"db1\",\"masterPort\":31000}",
                TestJson.write(report));
        assertEquals(report, TestJson.roundTrip(report, ExecutorReport.class));
    }

    @Test
    void commandFailedTravelsByItsTypeName() {
        ExecutorReport report = new ExecutorReport.CommandFailed(TASK, 4, "reparent", "Access denied for user 'mysos'");
        var json = TestJson.write(report);
        assertEquals("{\"type\":\"command-failed\",\"taskId\":\"mysos-orders-2\",\"epoch\":4,"
                + "\"command\":\"reparent\",\"reason\":\"Access denied for user 'mysos'\"}", json);
        assertEquals(report, TestJson.read(json, ExecutorReport.class));
    }

    @Test
    void replicationLagTravelsByItsTypeName() {
        ExecutorReport report = new ExecutorReport.ReplicationLag(TASK, 4, Optional.of(12L), 3912, true);
        var json = TestJson.write(report);
        assertEquals("{\"type\":\"replication-lag\",\"taskId\":\"mysos-orders-2\",\"epoch\":4,"
                + "\"seconds\":12,\"transactions\":3912,\"catchingUp\":true,\"replicating\":true}", json);
        assertEquals(report, TestJson.read(json, ExecutorReport.class));
        ExecutorReport unknownSeconds = new ExecutorReport.ReplicationLag(TASK, 4, Optional.empty(), 3912, true);
        assertEquals(unknownSeconds, TestJson.roundTrip(unknownSeconds, ExecutorReport.class));
    }

    @Test
    void replicationLagSaysWhetherTheReplicaReplicatesAndAnOlderExecutorsReportMeansItDoes() {
        ExecutorReport stopped = new ExecutorReport.ReplicationLag(TASK, 4, Optional.empty(), 0, false, false);
        assertEquals(stopped, TestJson.roundTrip(stopped, ExecutorReport.class));
        var older = "{\"type\":\"replication-lag\",\"taskId\":\"mysos-orders-2\",\"epoch\":4,"
                + "\"seconds\":0,\"transactions\":0,\"catchingUp\":false}";
        var read = (ExecutorReport.ReplicationLag) TestJson.read(older, ExecutorReport.class);
        assertEquals(true, read.replicating());
        assertEquals(true, read.lag().replicating());
    }
}

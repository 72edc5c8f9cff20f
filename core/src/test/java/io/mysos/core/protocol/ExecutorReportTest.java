package io.mysos.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysos.core.TestJson;
import io.mysos.core.task.TaskId;
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
}

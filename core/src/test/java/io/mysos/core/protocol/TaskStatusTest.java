package io.mysos.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysos.core.TestJson;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import org.junit.jupiter.api.Test;

class TaskStatusTest {
    @Test
    void travelsAsJsonWithTheStateByName() {
        var status = new TaskStatus(TaskId.of("orders", 1), TaskState.RUNNING, "mysqld is up on port 31000");
        var json = TestJson.write(status);
        assertEquals("{\"taskId\":\"mysos-orders-1\",\"state\":\"RUNNING\",\"message\":\"mysqld is up on port 31000\"}", json);
        assertEquals(status, TestJson.read(json, TaskStatus.class));
    }

    @Test
    void everyStateSurvivesTheRoundTrip() {
        for (var state : TaskState.values()) {
            var status = new TaskStatus(TaskId.of("orders", 1), state, "");
            assertEquals(status, TestJson.roundTrip(status, TaskStatus.class));
        }
    }
}

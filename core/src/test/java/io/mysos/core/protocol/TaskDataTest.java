package io.mysos.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mysos.core.TestJson;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.resources.Resources;
import io.mysos.core.size.DataSize;
import io.mysos.core.task.TaskId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TaskDataTest {
    private static final SchedulerKey KEY = SchedulerKey.generate();

    private static TaskData taskData(Optional<String> backupId) {
        return new TaskData(TaskId.of("orders", 2), "orders", 2, "db1.example.com", 31000,
                new Resources(1.5, DataSize.parse("1.5gb"), DataSize.parse("20gb")), "app",
                KEY.seal("user-s3cret"), KEY.seal("admin-s3cret"), backupId, true);
    }

    @Test
    void survivesTheTripToTheExecutor() {
        var data = taskData(Optional.of("orders/20240101-0300"));
        var back = TestJson.roundTrip(data, TaskData.class);
        assertEquals(data, back);
        assertEquals("user-s3cret", KEY.open(back.userPassword()));
        assertEquals("admin-s3cret", KEY.open(back.adminPassword()));
    }

    @Test
    void survivesTheTripWithoutABackup() {
        var data = taskData(Optional.empty());
        assertEquals(data, TestJson.roundTrip(data, TaskData.class));
    }

    @Test
    void writesSizesAndTaskIdAsPeopleReadThem() {
        var json = TestJson.write(taskData(Optional.of("b1")));
        assertEquals(true, json.contains("\"taskId\":\"mysos-orders-2\""), json);
        assertEquals(true, json.contains("\"resources\":{\"cpus\":1.5,\"mem\":\"1.5gb\",\"disk\":\"20gb\"}"), json);
        assertEquals(true, json.contains("\"backupId\":\"b1\""), json);
    }

    @Test
    void carriesPasswordsOnlySealed() {
        var json = TestJson.write(taskData(Optional.empty()));
        assertFalse(json.contains("s3cret"), json);
    }

    @Test
    void readsAMissingBackupIdAsNone() {
        var json = TestJson.write(taskData(Optional.empty())).replace(",\"backupId\":null", "");
        assertFalse(json.contains("backupId"), json);
        assertEquals(Optional.empty(), TestJson.read(json, TaskData.class).backupId());
    }
}

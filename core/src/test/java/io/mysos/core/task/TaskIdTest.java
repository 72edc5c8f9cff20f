package io.mysos.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import io.mysos.core.TestJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskIdTest {
    @Test
    void namesTheTaskAfterClusterAndServerId() {
        var id = TaskId.of("orders", 3);
        assertEquals("mysos-orders-3", id.value());
        assertEquals("mysos-orders-3", id.toString());
        assertEquals("orders", id.cluster());
        assertEquals(3, id.serverId());
    }

    @Test
    void readsClusterNamesThatContainDashesAndDigits() {
        var id = new TaskId("mysos-orders-eu-2-17");
        assertEquals("orders-eu-2", id.cluster());
        assertEquals(17, id.serverId());
    }

    @Test
    void readsClusterNamesThatEndWithADash() {
        var id = TaskId.of("orders-", 5);
        assertEquals("mysos-orders--5", id.value());
        assertEquals("orders-", id.cluster());
        assertEquals(5, id.serverId());
    }

    @Test
    void handlesTheLongestClusterNameAndLargestServerId() {
        var name = "a-" + "b".repeat(59) + "-1";
        assertEquals(63, name.length());
        var id = TaskId.of(name, 4_294_967_295L);
        assertEquals(name, id.cluster());
        assertEquals(4_294_967_295L, id.serverId());
        assertEquals(id, new TaskId(id.value()));
    }

    @Test
    void rejectsServerIdZero() {
        var e = assertThrows(InvalidInputException.class, () -> TaskId.of("orders", 0));
        assertTrue(e.getMessage().contains("server id"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> new TaskId("mysos-orders-0"));
    }

    @Test
    void rejectsANegativeServerId() {
        var e = assertThrows(InvalidInputException.class, () -> TaskId.of("orders", -1));
        assertEquals("server id must be between 1 and 4294967295, not -1", e.getMessage());
    }

    @Test
    void rejectsAServerIdBeyondMySqlsRange() {
        var e = assertThrows(InvalidInputException.class, () -> TaskId.of("orders", 4_294_967_296L));
        assertEquals("server id must be between 1 and 4294967295, not 4294967296", e.getMessage());
        assertThrows(InvalidInputException.class, () -> new TaskId("mysos-orders-9999999999"));
    }

    @Test
    void rejectsAnInvalidClusterName() {
        var e = assertThrows(InvalidInputException.class, () -> TaskId.of("Orders", 1));
        assertTrue(e.getMessage().startsWith("invalid cluster name 'Orders'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "orders-3", "mysos-orders", "mysos--3", "mysos-Orders-3", "mysos-orders-03", "mysos-orders-3 ",
            "other-orders-3", "mysos-orders-3x", "mysos-orders-12345678901", "mysos-_orders-3", "MYSOS-orders-3"})
    void rejectsTextThatIsNotAMysosTaskId(String text) {
        var e = assertThrows(InvalidInputException.class, () -> new TaskId(text));
        assertEquals("'" + text + "' is not a Mysos task id", e.getMessage());
    }

    @Test
    void rejectsNull() {
        assertThrows(InvalidInputException.class, () -> new TaskId(null));
    }

    @Test
    void equalsByValue() {
        assertEquals(TaskId.of("orders", 3), new TaskId("mysos-orders-3"));
    }

    @Test
    void travelsAsAPlainJsonString() {
        var id = TaskId.of("orders-eu", 12);
        assertEquals("\"mysos-orders-eu-12\"", TestJson.write(id));
        assertEquals(id, TestJson.read("\"mysos-orders-eu-12\"", TaskId.class));
    }
}

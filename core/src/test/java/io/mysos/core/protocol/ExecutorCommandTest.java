package io.mysos.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import io.mysos.core.TestJson;
import org.junit.jupiter.api.Test;

class ExecutorCommandTest {
    @Test
    void promoteTravelsByItsTypeName() {
        ExecutorCommand command = new ExecutorCommand.Promote(3);
        assertEquals("{\"type\":\"promote\",\"epoch\":3}", TestJson.write(command));
        assertEquals(command, TestJson.roundTrip(command, ExecutorCommand.class));
    }

    @Test
    void reparentTravelsByItsTypeName() {
        ExecutorCommand command = new ExecutorCommand.Reparent(4, "db2.example.com", 31001);
        assertEquals("{\"type\":\"reparent\",\"epoch\":4,\"masterHost\":\"db2.example.com\",\"masterPort\":31001}",
                TestJson.write(command));
        assertEquals(command, TestJson.roundTrip(command, ExecutorCommand.class));
    }

    @Test
    void readsACommandWhateverTheOrderOfItsFields() {
        assertEquals(new ExecutorCommand.Reparent(4, "db2", 3306),
                TestJson.read("{\"masterPort\":3306,\"masterHost\":\"db2\",\"epoch\":4,\"type\":\"reparent\"}", ExecutorCommand.class));
    }

    @Test
    void refusesAnUnknownCommand() {
        var e = assertThrows(AssertionError.class,
                () -> TestJson.read("{\"type\":\"drop-database\",\"epoch\":4}", ExecutorCommand.class));
        assertEquals(InvalidTypeIdException.class, e.getCause().getClass());
    }
}

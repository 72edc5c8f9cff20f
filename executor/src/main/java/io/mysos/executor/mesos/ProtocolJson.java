package io.mysos.executor.mesos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import io.mysos.core.InvalidInputException;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskData;

/**
 * The scheduler<->executor protocol's JSON, with the modules the scheduler's mapper has (Akka's
 * jackson-json registers the same). Input is validated here, at the edge; error messages never
 * quote the input, which holds sealed passwords.
 */
final class ProtocolJson {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new ParameterNamesModule())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            // A newer scheduler may add fields; an older executor still does what it understands.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ProtocolJson() {}

    static TaskData taskData(byte[] json) {
        return read(json, TaskData.class, "task data");
    }

    static ExecutorCommand command(byte[] json) {
        return read(json, ExecutorCommand.class, "a scheduler command");
    }

    static byte[] write(ExecutorReport report) {
        try {
            return MAPPER.writeValueAsBytes(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + report, e);
        }
    }

    /** For tests and stand-ins: any protocol value as JSON. */
    static byte[] writeValue(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    static <T> T read(byte[] json, Class<T> type) {
        return read(json, type, type.getSimpleName());
    }

    private static <T> T read(byte[] json, Class<T> type, String what) {
        try {
            var value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new InvalidInputException(what + " is empty");
            }
            return value;
        } catch (java.io.IOException e) {
            var reason = e instanceof JsonProcessingException json2 ? json2.getOriginalMessage() : e.getMessage();
            throw new InvalidInputException("this is not Mysos " + what + " JSON: " + reason);
        }
    }
}

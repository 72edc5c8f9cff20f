package io.mysos.actors.mesos;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import io.mysos.core.InvalidInputException;
import io.mysos.core.protocol.ExecutorReport;
import java.io.IOException;

/**
 * The scheduler<->executor protocol's JSON as it crosses Mesos (task data, framework messages),
 * with the modules the executor's reader has. Errors never quote the input: it holds sealed passwords.
 */
final class MesosJson {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new ParameterNamesModule())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            // A newer executor may add fields; this scheduler still reads what it understands.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private MesosJson() {}

    static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("not a valid " + type.getSimpleName() + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    static ExecutorReport report(byte[] json) {
        return read(json, ExecutorReport.class);
    }
}

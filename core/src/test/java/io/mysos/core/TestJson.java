package io.mysos.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;

/** The JSON mapper the scheduler and the executors use (Akka's jackson-json registers the same modules). */
public final class TestJson {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(new ParameterNamesModule());

    private TestJson() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new AssertionError("cannot write " + value, e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new AssertionError("cannot read " + type.getSimpleName() + " from " + json, e);
        }
    }

    /** Writes {@code value} and reads it back as {@code type}, the way a message crosses the wire. */
    public static <T> T roundTrip(Object value, Class<T> type) {
        return read(write(value), type);
    }
}

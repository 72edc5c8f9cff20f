package io.mysos.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.mysos.core.InvalidInputException;
import io.mysos.core.cluster.RequestFields;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON from a request (a body, or a form field holding JSON) read into plain maps, lists and
 * values with limits on nesting and lengths. One pass over the streaming parser with an explicit
 * stack: no recursion, so no input can overflow the thread's stack (a StackOverflowError is
 * fatal to the JVM under Akka), and nothing deeper or longer than the limits is ever built.
 */
public final class JsonInput {
    /** How deep and how long JSON from outside may be. */
    public record Limits(int maxDepth, int maxTextLength) {
        public Limits {
            if (maxDepth < 2 || maxTextLength < 64) {
                throw new IllegalArgumentException("JSON limits too small to read a request: depth " + maxDepth
                        + ", text " + maxTextLength);
            }
        }
    }

    private static final JsonFactory FACTORY = new JsonFactory();
    /** Longer numbers are nobody's node count or cpus, and big ones are slow to convert. */
    private static final int MAX_NUMBER_LENGTH = 40;

    private JsonInput() {}

    /**
     * The JSON object in {@code text} as a map (nested objects as maps, lists as lists, numbers as
     * Integer, Long, BigInteger or Double); blank text is an empty object. Anything else (not an
     * object, invalid, too deep or long, a key given twice, data after the object) is refused,
     * with a message naming {@code what} and never echoing the input beyond a short quote.
     */
    static Map<String, Object> object(String text, String what, Limits limits) {
        if (text.isBlank()) {
            return new HashMap<>();
        }
        try (var parser = FACTORY.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException(what + " must be a JSON object");
            }
            var root = new HashMap<String, Object>();
            readContainer(parser, root, what, limits);
            if (parser.nextToken() != null) {
                throw new InvalidInputException(what + " has data after its JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(what + " is not valid JSON (at character " + e.getLocation().getCharOffset() + ")");
        } catch (IOException e) {
            throw new InvalidInputException(what + " is not valid JSON");
        }
    }

    /** Reads from just after {@code root}'s start token to its end token, depth-first without recursion. */
    private static void readContainer(JsonParser parser, Map<String, Object> root, String what, Limits limits) throws IOException {
        var open = new ArrayDeque<Object>();
        open.push(root);
        String field = null;
        for (var token = parser.nextToken(); token != null; token = parser.nextToken()) {
            switch (token) {
                case FIELD_NAME -> {
                    checkLength(parser, what, limits.maxTextLength());
                    field = parser.getCurrentName();
                    continue;
                }
                case END_OBJECT, END_ARRAY -> {
                    open.pop();
                    if (open.isEmpty()) {
                        return;
                    }
                    continue;
                }
                default -> { }
            }
            var value = value(parser, token, what, limits);
            add(open.peek(), field, value, what);
            if (value instanceof Map || value instanceof List) {
                if (open.size() >= limits.maxDepth()) {
                    throw new InvalidInputException(what + " is nested deeper than " + limits.maxDepth() + " levels");
                }
                open.push(value);
            }
        }
        throw new InvalidInputException(what + " is not valid JSON (it ends early)");
    }

    private static Object value(JsonParser parser, JsonToken token, String what, Limits limits) throws IOException {
        return switch (token) {
            case START_OBJECT -> new HashMap<String, Object>();
            case START_ARRAY -> new ArrayList<>();
            case VALUE_STRING -> {
                checkLength(parser, what, limits.maxTextLength());
                yield parser.getText();
            }
            case VALUE_NUMBER_INT -> {
                checkLength(parser, what, MAX_NUMBER_LENGTH);
                yield parser.getNumberValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                checkLength(parser, what, MAX_NUMBER_LENGTH);
                yield parser.getDoubleValue();
            }
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> JsonNull.INSTANCE;
            default -> throw new InvalidInputException(what + " is not valid JSON");
        };
    }

    @SuppressWarnings("unchecked")
    private static void add(Object container, String field, Object value, String what) {
        var stored = value == JsonNull.INSTANCE ? null : value;
        if (container instanceof List<?> list) {
            ((List<Object>) list).add(stored);
            return;
        }
        var map = (Map<String, Object>) container;
        if (map.containsKey(field)) {
            throw new InvalidInputException(what + " has the field '" + RequestFields.shown(field) + "' more than once");
        }
        map.put(field, stored);
    }

    private static void checkLength(JsonParser parser, String what, int max) throws IOException {
        if (parser.getTextLength() > max) {
            throw new InvalidInputException(what + " holds a value or name longer than " + max + " characters");
        }
    }

    /** JSON null while reading; stored as a null map value, which reads as an absent field. */
    private enum JsonNull { INSTANCE }
}

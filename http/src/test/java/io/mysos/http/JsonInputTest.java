package io.mysos.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonInputTest {
    private static final JsonInput.Limits LIMITS = new JsonInput.Limits(4, 64);

    private static Map<String, Object> read(String json) {
        return JsonInput.object(json, "the body", LIMITS);
    }

    private static String refusal(String json) {
        return assertThrows(InvalidInputException.class, () -> read(json)).getMessage();
    }

    @Test
    void readsEveryKindOfValue() {
        var read = read("{\"s\":\"x\",\"i\":3,\"l\":9999999999,\"b\":99999999999999999999,\"d\":0.5,\"t\":true,"
                + "\"n\":null,\"o\":{\"k\":[1,{\"z\":false}]}}");
        assertEquals("x", read.get("s"));
        assertEquals(3, read.get("i"));
        assertEquals(9_999_999_999L, read.get("l"));
        assertEquals(new BigInteger("99999999999999999999"), read.get("b"));
        assertEquals(0.5, read.get("d"));
        assertEquals(true, read.get("t"));
        assertTrue(read.containsKey("n"));
        assertNull(read.get("n"));
        assertEquals(Map.of("k", List.of(1, Map.of("z", false))), read.get("o"));
        assertEquals(Map.of(), read("  "));
    }

    @Test
    void takesNestingUpToTheLimitAndRefusesDeeper() {
        assertEquals(Map.of("a", Map.of("b", Map.of("c", List.of()))), read("{\"a\":{\"b\":{\"c\":[]}}}"));
        assertEquals("the body is nested deeper than 4 levels", refusal("{\"a\":{\"b\":{\"c\":[[]]}}}"));
        assertEquals("the body is nested deeper than 4 levels", refusal("{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"));
        assertEquals("the body is nested deeper than 4 levels", refusal("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000)));
    }

    @Test
    void refusesLongTextAndNumbers() {
        assertEquals("the body holds a value or name longer than 64 characters", refusal("{\"a\":\"" + "x".repeat(65) + "\"}"));
        assertEquals("the body holds a value or name longer than 64 characters", refusal("{\"" + "x".repeat(65) + "\":1}"));
        assertEquals("the body holds a value or name longer than 40 characters", refusal("{\"a\":" + "9".repeat(41) + "}"));
        assertEquals("the body holds a value or name longer than 40 characters", refusal("{\"a\":1e" + "9".repeat(40) + "}"));
    }

    @Test
    void refusesWhatIsNotExactlyOneObject() {
        assertEquals("the body must be a JSON object", refusal("[]"));
        assertEquals("the body must be a JSON object", refusal("\"x\""));
        assertEquals("the body has data after its JSON object", refusal("{} {}"));
        assertTrue(refusal("{}]").startsWith("the body is not valid JSON"));
        assertEquals("the body has the field 'a' more than once", refusal("{\"a\":1,\"a\":1}"));
        assertEquals("the body has the field 'b' more than once", refusal("{\"a\":{\"b\":1,\"b\":2}}"));
        assertTrue(refusal("{\"a\":1").startsWith("the body is not valid JSON"));
        assertTrue(refusal("{\"a\":NaN}").startsWith("the body is not valid JSON"));
        assertTrue(refusal("{\"a\":'x'}").startsWith("the body is not valid JSON"));
        assertTrue(refusal("{} x").startsWith("the body"));
    }
}

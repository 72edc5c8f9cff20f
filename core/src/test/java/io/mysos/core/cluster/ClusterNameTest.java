package io.mysos.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mysos.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterNameTest {
    private static final String RULE = "': use 1-63 characters of a-z, 0-9, '_' and '-', starting with a letter or digit";

    @ParameterizedTest
    @ValueSource(strings = {"orders", "o", "1st", "orders-eu_2", "a-", "0"})
    void acceptsLowercaseLettersDigitsDashAndUnderscore(String name) {
        assertEquals(name, ClusterName.validate(name));
    }

    @Test
    void accepts63Characters() {
        var name = "a".repeat(63);
        assertEquals(name, ClusterName.validate(name));
    }

    @Test
    void rejects64Characters() {
        var name = "a".repeat(64);
        var e = assertThrows(InvalidInputException.class, () -> ClusterName.validate(name));
        assertEquals("invalid cluster name '" + name + RULE, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Orders", "-orders", "_orders", "my orders", "orders.eu", "orders/eu", "../etc", "ordérs", "orders\u0000"})
    void rejectsNamesOutsideTheSafeAlphabet(String name) {
        var e = assertThrows(InvalidInputException.class, () -> ClusterName.validate(name));
        assertEquals("invalid cluster name '" + name.replace('\u0000', '?') + RULE, e.getMessage());
    }

    @Test
    void requiresAName() {
        assertEquals("a cluster name is required",
                assertThrows(InvalidInputException.class, () -> ClusterName.validate("")).getMessage());
        assertEquals("a cluster name is required",
                assertThrows(InvalidInputException.class, () -> ClusterName.validate(null)).getMessage());
    }

    @Test
    void showsControlCharactersInTheMessageAsQuestionMarks() {
        var e = assertThrows(InvalidInputException.class, () -> ClusterName.validate("a\nb\u001b[31m"));
        assertEquals("invalid cluster name 'a?b?[31m" + RULE, e.getMessage());
    }

    @Test
    void cutsAVeryLongNameShortInTheMessage() {
        var e = assertThrows(InvalidInputException.class, () -> ClusterName.validate("A".repeat(10_000)));
        assertEquals("invalid cluster name '" + "A".repeat(80) + "..." + RULE, e.getMessage());
    }
}

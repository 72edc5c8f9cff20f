package io.mysos.core.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PortRangeTest {
    @Test
    void parsesARangeAsMesosWritesIt() {
        var range = PortRange.parse("31000-31999");
        assertEquals(new PortRange(31000, 31999), range);
        assertEquals(1000, range.size());
    }

    @Test
    void parsesASinglePort() {
        assertEquals(new PortRange(3306, 3306), PortRange.parse("3306"));
        assertEquals(1, PortRange.parse("3306").size());
    }

    @Test
    void toleratesSpaces() {
        assertEquals(new PortRange(31000, 31999), PortRange.parse(" 31000 - 31999 "));
    }

    @Test
    void acceptsTheWholePortSpace() {
        var range = PortRange.parse("1-65535");
        assertEquals(65535, range.size());
        assertTrue(range.contains(1));
        assertTrue(range.contains(65535));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0-10", "0", "1-65536", "65536", "200-100"})
    void rejectsRangesOutsideTheTcpPortSpace(String text) {
        var e = assertThrows(InvalidInputException.class, () -> PortRange.parse(text));
        assertTrue(e.getMessage().contains("is not a port range within 1-65535"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-5", "31000-", "1-2-3", "abc", "31000..31999", "31000 31999", "99999999999"})
    void rejectsTextThatIsNotARangeWithAnExample(String text) {
        var e = assertThrows(InvalidInputException.class, () -> PortRange.parse(text));
        assertEquals("'" + text + "' is not a port range; write it as 31000-31999", e.getMessage());
    }

    @Test
    void containsItsBothEnds() {
        var range = new PortRange(31000, 31002);
        assertTrue(range.contains(31000));
        assertTrue(range.contains(31002));
        assertFalse(range.contains(30999));
        assertFalse(range.contains(31003));
    }

    @Test
    void printsTheWayItParses() {
        assertEquals("31000-31999", new PortRange(31000, 31999).toString());
        assertEquals("3306", new PortRange(3306, 3306).toString());
        assertEquals(new PortRange(1, 65535), PortRange.parse(new PortRange(1, 65535).toString()));
    }

    @Test
    void takingAPortSplitsItsRange() {
        assertEquals(List.of(new PortRange(31000, 31499), new PortRange(31501, 31999)),
                PortRange.without(List.of(new PortRange(31000, 31999)), 31500));
    }

    @Test
    void takingAnEndPortShrinksTheRange() {
        var ranges = List.of(new PortRange(31000, 31999));
        assertEquals(List.of(new PortRange(31001, 31999)), PortRange.without(ranges, 31000));
        assertEquals(List.of(new PortRange(31000, 31998)), PortRange.without(ranges, 31999));
    }

    @Test
    void takingTheFirstAndLastTcpPortWorks() {
        var all = List.of(new PortRange(1, 65535));
        assertEquals(List.of(new PortRange(2, 65535)), PortRange.without(all, 1));
        assertEquals(List.of(new PortRange(1, 65534)), PortRange.without(all, 65535));
    }

    @Test
    void takingTheOnlyPortLeavesNothing() {
        assertEquals(List.of(), PortRange.without(List.of(new PortRange(3306, 3306)), 3306));
    }

    @Test
    void takingAPortLeavesTheOtherRangesInOrder() {
        var ranges = List.of(new PortRange(1000, 1001), new PortRange(2000, 2005));
        assertEquals(List.of(new PortRange(1001, 1001), new PortRange(2000, 2005)), PortRange.without(ranges, 1000));
        assertEquals(ranges, PortRange.without(ranges, 1500));
    }
}

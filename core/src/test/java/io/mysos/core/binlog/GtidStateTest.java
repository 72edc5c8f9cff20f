package io.mysos.core.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import org.junit.jupiter.api.Test;

class GtidStateTest {
    @Test
    void parsesAndPrintsMariadbPositions() {
        assertEquals("0-1-100,1-2-5", GtidState.parse("1-2-5, 0-1-100").toString());
        assertEquals(GtidState.EMPTY, GtidState.parse(""));
        assertThrows(InvalidInputException.class, () -> GtidState.parse("0-1"));
        assertThrows(InvalidInputException.class, () -> GtidState.parse("0-1-1,0-2-2"));
    }

    @Test
    void includesTransactionsUpToEachDomainsSequence() {
        var state = GtidState.parse("0-1-100");
        assertTrue(state.includes(new Gtid(0, 2, 99)), "the server does not matter, the sequence does");
        assertTrue(state.includes(new Gtid(0, 1, 100)));
        assertFalse(state.includes(new Gtid(0, 1, 101)));
        assertFalse(state.includes(new Gtid(1, 1, 1)));
        assertTrue(state.reachesOnTo(new Gtid(0, 1, 101)));
        assertFalse(state.reachesOnTo(new Gtid(0, 1, 102)), "101 would be missing");
        assertTrue(state.covers(GtidState.parse("0-3-50")));
        assertEquals(GtidState.parse("0-2-120,1-1-3"), state.union(GtidState.parse("0-2-120,1-1-3")));
    }
}

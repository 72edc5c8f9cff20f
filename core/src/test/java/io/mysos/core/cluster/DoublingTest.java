package io.mysos.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DoublingTest {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void theWaitDoublesFromTheFirstUpToTheMost() {
        assertEquals(SECOND, Doubling.delay(SECOND, MINUTE, 0));
        assertEquals(SECOND, Doubling.delay(SECOND, MINUTE, 1));
        assertEquals(Duration.ofSeconds(2), Doubling.delay(SECOND, MINUTE, 2));
        assertEquals(Duration.ofSeconds(32), Doubling.delay(SECOND, MINUTE, 6));
        assertEquals(MINUTE, Doubling.delay(SECOND, MINUTE, 7));
        assertEquals(MINUTE, Doubling.delay(SECOND, MINUTE, Integer.MAX_VALUE), "no overflow after many attempts");
    }
}

package io.mysos.core.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import io.mysos.core.size.DataSize;
import org.junit.jupiter.api.Test;

class ResourcesTest {
    private static Resources res(double cpus, String mem, String disk) {
        return new Resources(cpus, DataSize.parse(mem), DataSize.parse(disk));
    }

    @Test
    void theDefaultInstanceIsOneCpuHalfAGigabyteAndTwoGigabytesOfDisk() {
        assertEquals(res(1, "512mb", "2gb"), Resources.DEFAULT_INSTANCE);
    }

    @Test
    void coversWhatFitsInEveryDimension() {
        assertTrue(res(2, "1gb", "10gb").covers(Resources.DEFAULT_INSTANCE));
        assertTrue(res(1, "512mb", "2gb").covers(Resources.DEFAULT_INSTANCE));
    }

    @Test
    void doesNotCoverWhenAnyOneDimensionFallsShort() {
        assertFalse(res(0.9, "8gb", "100gb").covers(Resources.DEFAULT_INSTANCE));
        assertFalse(res(8, "511mb", "100gb").covers(Resources.DEFAULT_INSTANCE));
        assertFalse(res(8, "8gb", "2047mb").covers(Resources.DEFAULT_INSTANCE));
    }

    @Test
    void coversCpusDespiteFloatingPointNoise() {
        assertTrue(res(0.1 + 0.2, "1gb", "1gb").covers(res(0.3, "1gb", "1gb")));
        assertTrue(res(0.3, "1gb", "1gb").covers(res(0.1 + 0.2, "1gb", "1gb")));
    }

    @Test
    void subtractsEachDimension() {
        assertEquals(res(3, "7.5gb", "98gb"), res(4, "8gb", "100gb").minus(Resources.DEFAULT_INSTANCE));
    }

    @Test
    void neverSubtractsBelowZero() {
        assertEquals(Resources.NONE, res(0.5, "256mb", "1gb").minus(Resources.DEFAULT_INSTANCE));
    }

    @Test
    void subtractingTenthsOfACpuLeavesExactlyZero() {
        var left = res(1, "1gb", "1gb");
        var tenth = res(0.1, "0b", "0b");
        for (int i = 0; i < 10; i++) {
            left = left.minus(tenth);
        }
        assertEquals(0.0, left.cpus());
        assertFalse(left.covers(res(0.001, "0b", "0b")));
    }

    @Test
    void addsEachDimension() {
        assertEquals(res(1.5, "1.5gb", "4gb"), res(0.5, "1gb", "2gb").plus(Resources.DEFAULT_INSTANCE));
        assertEquals(0.3, res(0.1, "0b", "0b").plus(res(0.2, "0b", "0b")).cpus());
    }

    @Test
    void addingBackWhatWasTakenRestoresTheOffer() {
        var offer = res(3.7, "6gb", "40gb");
        assertEquals(offer, offer.minus(Resources.DEFAULT_INSTANCE).plus(Resources.DEFAULT_INSTANCE));
    }

    @Test
    void describesASizeTheWayOperatorsWriteIt() {
        assertEquals("{cpus 1, mem 512mb, disk 2gb}", Resources.DEFAULT_INSTANCE.describe());
        assertEquals("{cpus 0.5, mem 1.5gb, disk 10gb}", res(0.5, "1.5gb", "10gb").describe());
        assertEquals("{cpus 0, mem 0b, disk 0b}", Resources.NONE.describe());
    }

    @Test
    void formatsCpusWithAtMostThreeDecimals() {
        assertEquals("2", Resources.formatCpus(2));
        assertEquals("0.3", Resources.formatCpus(0.1 + 0.2));
        assertEquals("0.125", Resources.formatCpus(0.125));
        assertEquals("1.333", Resources.formatCpus(4.0 / 3));
    }

    @Test
    void formatsCpusThatRoundToAWholeNumberWithoutADecimal() {
        assertEquals("3", Resources.formatCpus(2.9999999));
        assertEquals("1", Resources.formatCpus(1.0000001));
    }

    @Test
    void refusesCpusThatAreNotANonNegativeNumber() {
        for (double cpus : new double[] {Double.NaN, -0.5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            var e = assertThrows(InvalidInputException.class, () -> new Resources(cpus, DataSize.ZERO, DataSize.ZERO));
            assertEquals("cpus must be a non-negative number, not " + cpus, e.getMessage());
        }
    }

    @Test
    void requiresMemAndDisk() {
        var e = assertThrows(InvalidInputException.class, () -> new Resources(1, null, DataSize.ZERO));
        assertEquals("resources need cpus, mem and disk", e.getMessage());
        assertThrows(InvalidInputException.class, () -> new Resources(1, DataSize.ZERO, null));
    }
}

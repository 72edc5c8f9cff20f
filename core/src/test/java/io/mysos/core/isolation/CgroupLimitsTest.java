package io.mysos.core.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mysos.core.resources.Resources;
import io.mysos.core.size.DataSize;
import org.junit.jupiter.api.Test;

class CgroupLimitsTest {
    @Test
    void halfACpuIsHalfOfEveryPeriodAndMemoryIsTheInstancesMem() {
        var limits = CgroupLimits.from(new Resources(0.5, DataSize.parse("512mb"), DataSize.parse("1gb")));

        assertEquals(50_000, limits.cpuQuotaMicros());
        assertEquals(100_000, limits.cpuPeriodMicros());
        assertEquals(512L * 1024 * 1024, limits.memoryBytes());
        assertEquals("50000 100000", limits.cpuMax());
    }

    @Test
    void severalCpusGetSeveralPeriodsOfTimePerPeriod() {
        assertEquals(250_000, CgroupLimits.from(new Resources(2.5, DataSize.ofGigabytes(1), DataSize.ZERO)).cpuQuotaMicros());
    }

    @Test
    void aTinyOrZeroCpuShareStillGetsTheKernelsMinimumQuota() {
        assertEquals(1_000, CgroupLimits.from(new Resources(0, DataSize.ofMegabytes(256), DataSize.ZERO)).cpuQuotaMicros());
        assertEquals(1_000, CgroupLimits.from(new Resources(0.001, DataSize.ofMegabytes(256), DataSize.ZERO)).cpuQuotaMicros());
    }

    @Test
    void memoryIsRoundedDownToWholePagesAsTheKernelWouldStoreIt() {
        var limits = CgroupLimits.from(new Resources(1, new DataSize(300_000_001L), DataSize.ZERO));

        assertEquals(300_000_001L / 4096 * 4096, limits.memoryBytes());
    }

    @Test
    void refusesLimitsTheKernelWouldRefuse() {
        assertThrows(IllegalArgumentException.class, () -> new CgroupLimits(500, 100_000, 1 << 20));
        assertThrows(IllegalArgumentException.class, () -> new CgroupLimits(50_000, 100_000, 0));
    }
}

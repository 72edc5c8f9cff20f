package io.mysos.core.isolation;

import io.mysos.core.resources.Resources;

/**
 * The limits a cgroup puts on one instance, from its size: at most {@code cpus} cpus' worth of time
 * in every CFS period (a hard cap, as Mesos' cgroups isolator sets it), and {@code mem} of memory.
 *
 * <p>No headroom is added to the memory limit. The instance's my.cnf is already derived from the
 * same size so that mysqld fits (buffer pool, connections, temporary tables), the page cache the
 * cgroup is charged for is reclaimed before the kernel kills anything, and an instance must behave
 * the same in local mode as under a Mesos agent, whose memory isolator sets the limit to {@code mem}.
 */
public record CgroupLimits(long cpuQuotaMicros, long cpuPeriodMicros, long memoryBytes) {
    /** The CFS period the kernel and Mesos use by default: 100 ms. */
    public static final long PERIOD_MICROS = 100_000;
    /** The kernel refuses quotas below 1 ms. */
    public static final long MIN_QUOTA_MICROS = 1_000;
    /** The kernel rounds memory limits down to whole pages; whole pages read back as written. */
    static final long PAGE = 4096;

    public CgroupLimits {
        if (cpuPeriodMicros < MIN_QUOTA_MICROS || cpuQuotaMicros < MIN_QUOTA_MICROS || memoryBytes < PAGE) {
            throw new IllegalArgumentException("cgroup limits need a quota and period of at least 1 ms and a page of memory, not "
                    + cpuQuotaMicros + "/" + cpuPeriodMicros + " us and " + memoryBytes + " bytes");
        }
    }

    public static CgroupLimits from(Resources size) {
        long quota = Math.max(MIN_QUOTA_MICROS, Math.round(size.cpus() * PERIOD_MICROS));
        long memory = Math.max(PAGE, size.mem().bytes() / PAGE * PAGE);
        return new CgroupLimits(quota, PERIOD_MICROS, memory);
    }

    /** cgroup v2's {@code cpu.max}: "quota period". */
    public String cpuMax() {
        return cpuQuotaMicros + " " + cpuPeriodMicros;
    }
}

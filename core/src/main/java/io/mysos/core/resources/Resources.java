package io.mysos.core.resources;

import io.mysos.core.InvalidInputException;
import io.mysos.core.size.DataSize;

/** Cpus, memory and disk: what one MySQL instance needs, or what an offer has to give. */
public record Resources(double cpus, DataSize mem, DataSize disk) {
    public static final Resources NONE = new Resources(0, DataSize.ZERO, DataSize.ZERO);
    /** The size of an instance when a request names none. */
    public static final Resources DEFAULT_INSTANCE = new Resources(1.0, DataSize.ofMegabytes(512), DataSize.ofGigabytes(2));
    /**
     * The smallest instance Mysos runs: mysqld takes about 100 MB of memory before it caches
     * anything (128 MB of buffer pool and connections come on top), a fresh data directory with its
     * redo log about 200 MB of disk before the first row and the binary logs, and a tenth of a cpu
     * lets it start in seconds rather than minutes.
     */
    public static final Resources MINIMUM_INSTANCE = new Resources(0.1, DataSize.ofMegabytes(256), DataSize.ofGigabytes(1));

    public Resources {
        if (mem == null || disk == null) {
            throw new InvalidInputException("resources need cpus, mem and disk");
        }
        if (!(cpus >= 0) || Double.isInfinite(cpus)) {
            throw new InvalidInputException("cpus must be a non-negative number, not " + cpus);
        }
    }

    /** True when every dimension of {@code needed} fits into this. */
    public boolean covers(Resources needed) {
        return cpus + 1e-9 >= needed.cpus && mem.isAtLeast(needed.mem) && disk.isAtLeast(needed.disk);
    }

    public Resources minus(Resources other) {
        return new Resources(Math.max(0, round(cpus - other.cpus)), mem.minus(other.mem), disk.minus(other.disk));
    }

    public Resources plus(Resources other) {
        return new Resources(round(cpus + other.cpus), mem.plus(other.mem), disk.plus(other.disk));
    }

    /** What falls short of {@code minimum}, one phrase per dimension ("mem must be at least 256mb"); empty when nothing does. */
    public java.util.List<String> shortOf(Resources minimum) {
        var missing = new java.util.ArrayList<String>();
        if (cpus + 1e-9 < minimum.cpus) {
            missing.add("cpus must be at least " + formatCpus(minimum.cpus));
        }
        if (!mem.isAtLeast(minimum.mem)) {
            missing.add("mem must be at least " + minimum.mem);
        }
        if (!disk.isAtLeast(minimum.disk)) {
            missing.add("disk must be at least " + minimum.disk);
        }
        return missing;
    }

    /** {@code {cpus 1, mem 512mb, disk 2gb}}: how people read a size in messages. */
    public String describe() {
        return "{cpus " + formatCpus(cpus) + ", mem " + mem + ", disk " + disk + "}";
    }

    public static String formatCpus(double cpus) {
        double rounded = round(cpus);
        return rounded == Math.floor(rounded) ? String.valueOf((long) rounded) : String.valueOf(rounded);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}

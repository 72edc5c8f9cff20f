package io.mysos.core.size;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mysos.core.InvalidInputException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An amount of memory or disk, written the way operators write it: {@code 512mb}, {@code 2gb}.
 * (A class, not a record: Jackson 2.13 ignores a record's delegating creator, and the JSON form is the text.)
 */
public final class DataSize implements Comparable<DataSize> {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|kb|mb|gb|tb)?");
    private static final String[] UNITS = {"b", "kb", "mb", "gb", "tb"};

    public static final DataSize ZERO = new DataSize(0);

    private final long bytes;

    public DataSize(long bytes) {
        if (bytes < 0) {
            throw new InvalidInputException("a data size cannot be negative: " + bytes);
        }
        this.bytes = bytes;
    }

    public long bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataSize other && other.bytes == bytes;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(bytes);
    }

    /** Parses {@code 512mb}, {@code 2GB}, {@code 1.5gb}, {@code 1024} (bytes); units are binary (1kb = 1024b). */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static DataSize parse(String text) {
        if (text == null) {
            throw new InvalidInputException("a data size is required, e.g. 512mb");
        }
        var m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new InvalidInputException(
                    "'" + shown(text) + "' is not a data size; use a number with b, kb, mb, gb or tb, e.g. 512mb");
        }
        int unit = m.group(2) == null ? 0 : indexOf(m.group(2));
        double value = Double.parseDouble(m.group(1)) * Math.pow(1024, unit);
        if (value > Long.MAX_VALUE / 2) {
            throw new InvalidInputException("'" + shown(text) + "' is too large");
        }
        return new DataSize(Math.round(value));
    }

    public static DataSize ofMegabytes(long mb) {
        return new DataSize(mb * 1024 * 1024);
    }

    public static DataSize ofGigabytes(long gb) {
        return ofMegabytes(gb * 1024);
    }

    public long megabytes() {
        return bytes / (1024 * 1024);
    }

    public DataSize plus(DataSize other) {
        return new DataSize(bytes + other.bytes);
    }

    public DataSize minus(DataSize other) {
        return new DataSize(Math.max(0, bytes - other.bytes));
    }

    public boolean isAtLeast(DataSize other) {
        return bytes >= other.bytes;
    }

    @Override
    public int compareTo(DataSize other) {
        return Long.compare(bytes, other.bytes);
    }

    /** The largest unit that keeps the number whole, or one decimal: {@code 512mb}, {@code 1.5gb}. */
    @JsonValue
    @Override
    public String toString() {
        int unit = 0;
        double value = bytes;
        while (unit < UNITS.length - 1 && value >= 1024 && (value / 1024) * 10 == Math.floor((value / 1024) * 10)) {
            value /= 1024;
            unit++;
        }
        // toPlainString: String.valueOf(10000000.5) is "1.00000005E7", which parse refuses.
        return (value == Math.floor(value) ? String.valueOf((long) value) : BigDecimal.valueOf(value).toPlainString())
                + UNITS[unit];
    }

    /** Input quoted in a message: cut, so a megabyte of garbage does not come back in the answer. */
    private static String shown(String text) {
        return (text.length() > 40 ? text.substring(0, 40) + "..." : text).replaceAll("\\p{Cntrl}", "?");
    }

    private static int indexOf(String unit) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return i;
            }
        }
        throw new IllegalStateException(unit);
    }
}

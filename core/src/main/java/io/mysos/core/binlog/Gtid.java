package io.mysos.core.binlog;

import io.mysos.core.InvalidInputException;
import java.util.regex.Pattern;

/** One MariaDB GTID: {@code domain-server-sequence}, as the binary log and {@code gtid_binlog_pos} write it. */
public record Gtid(long domain, long server, long seq) {
    private static final Pattern FORM = Pattern.compile("(\\d{1,10})-(\\d{1,10})-(\\d{1,20})");

    public static Gtid parse(String text) {
        var m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new InvalidInputException("'" + text + "' is not a MariaDB GTID (domain-server-sequence, like 0-1-100)");
        }
        try {
            return new Gtid(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseUnsignedLong(m.group(3)));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("'" + text + "' is not a MariaDB GTID (domain-server-sequence, like 0-1-100)");
        }
    }

    @Override
    public String toString() {
        return domain + "-" + server + "-" + Long.toUnsignedString(seq);
    }
}

package io.mysos.core.binlog;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the event headers of MariaDB binary log bytes (format 4): where each event starts and ends,
 * its time (whole seconds, as the log has it) and, for a GTID event, the transaction it begins. Enough
 * to cut a log into whole transactions without a server or {@code mariadb-binlog}.
 */
public final class BinlogEvents {
    /** Every binary log file starts with these four bytes, then its format description event. */
    public static final byte[] MAGIC = {(byte) 0xfe, 'b', 'i', 'n'};
    static final int HEADER = 19;
    static final int FORMAT_DESCRIPTION = 15;
    static final int GTID = 162;

    private BinlogEvents() {}

    /** One event at {@code offset} of its file, {@code size} bytes long; {@code gtid} for a GTID event. */
    public record Event(long offset, int type, long size, Instant time, long serverId, Optional<Gtid> gtid) {
        public long end() {
            return offset + size;
        }
    }

    /** One transaction of a file: from its GTID event up to the next GTID event (or the end of what was read). */
    public record Transaction(Gtid gtid, Instant time, long start, long end) {}

    /**
     * The whole events in {@code bytes}, which hold a file's bytes from offset {@code base} on, starting at
     * {@code from} (an event boundary) and ending at {@code to} or before the first event that does not fit.
     */
    public static List<Event> events(ByteBuffer bytes, long base, long from, long to) {
        var buffer = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long limit = Math.min(to, base + buffer.limit());
        var events = new ArrayList<Event>();
        long at = from;
        while (at + HEADER <= limit) {
            int p = Math.toIntExact(at - base);
            long time = Integer.toUnsignedLong(buffer.getInt(p));
            int type = Byte.toUnsignedInt(buffer.get(p + 4));
            long serverId = Integer.toUnsignedLong(buffer.getInt(p + 5));
            long size = Integer.toUnsignedLong(buffer.getInt(p + 9));
            if (size < HEADER) {
                throw new IllegalArgumentException("not a binary log event at offset " + at + " (size " + size + ")");
            }
            if (at + size > limit) {
                break;
            }
            Optional<Gtid> gtid = Optional.empty();
            if (type == GTID && size >= HEADER + 12) {
                long seq = buffer.getLong(p + HEADER);
                long domain = Integer.toUnsignedLong(buffer.getInt(p + HEADER + 8));
                gtid = Optional.of(new Gtid(domain, serverId, seq));
            }
            events.add(new Event(at, type, size, Instant.ofEpochSecond(time), serverId, gtid));
            at += size;
        }
        return events;
    }

    /** Where the last whole event within {@code from..to} ends ({@code from} when none fits). */
    public static long wholeEventsEnd(ByteBuffer bytes, long base, long from, long to) {
        var events = events(bytes, base, from, to);
        return events.isEmpty() ? from : events.get(events.size() - 1).end();
    }

    /** The transactions whose GTID event lies within {@code from..to}; the last one ends at the last whole event. */
    public static List<Transaction> transactions(ByteBuffer bytes, long base, long from, long to) {
        var events = events(bytes, base, from, to);
        var found = new ArrayList<Transaction>();
        Event begun = null;
        for (var event : events) {
            if (event.gtid().isPresent()) {
                if (begun != null) {
                    found.add(new Transaction(begun.gtid().get(), begun.time(), begun.offset(), event.offset()));
                }
                begun = event;
            }
        }
        if (begun != null) {
            found.add(new Transaction(begun.gtid().get(), begun.time(), begun.offset(), events.get(events.size() - 1).end()));
        }
        return found;
    }

    /** Where a file's header (the magic bytes and its format description event) ends: what any piece of it needs to be read. */
    public static long headerEnd(ByteBuffer fileStart) {
        var buffer = fileStart.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (buffer.limit() <= i || buffer.get(i) != MAGIC[i]) {
                throw new IllegalArgumentException("not a binary log: it does not start with the binlog magic bytes");
            }
        }
        if (buffer.limit() < MAGIC.length + HEADER) {
            throw new IllegalArgumentException("not a binary log: no format description event after the magic bytes");
        }
        long firstSize = Integer.toUnsignedLong(buffer.getInt(MAGIC.length + 9));
        var first = events(buffer, 0, MAGIC.length, Math.min(buffer.limit(), MAGIC.length + firstSize));
        if (first.isEmpty() || first.get(0).type() != FORMAT_DESCRIPTION) {
            throw new IllegalArgumentException("not a binary log: no format description event after the magic bytes");
        }
        return first.get(0).end();
    }
}

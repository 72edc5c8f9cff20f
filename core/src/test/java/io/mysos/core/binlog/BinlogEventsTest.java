package io.mysos.core.binlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinlogEventsTest {
    /** Writes binary log bytes the way MariaDB lays them out (headers only matter here). */
    static final class LogWriter {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        LogWriter() {
            out.writeBytes(BinlogEvents.MAGIC);
            event(BinlogEvents.FORMAT_DESCRIPTION, 1_700_000_000L, 1, new byte[100]);
        }

        LogWriter transaction(long domain, long server, long seq, long time) {
            var body = ByteBuffer.allocate(13).order(ByteOrder.LITTLE_ENDIAN).putLong(seq).putInt((int) domain).put((byte) 0);
            event(BinlogEvents.GTID, time, server, body.array());
            event(2, time, server, new byte[40]);
            event(16, time, server, new byte[12]);
            return this;
        }

        void event(int type, long time, long server, byte[] body) {
            int size = BinlogEvents.HEADER + body.length + 4;
            var header = ByteBuffer.allocate(BinlogEvents.HEADER).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt((int) time).put((byte) type).putInt((int) server).putInt(size).putInt(out.size() + size).putShort((short) 0);
            out.writeBytes(header.array());
            out.writeBytes(body);
            out.writeBytes(new byte[4]);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    @Test
    void findsTheTransactionsWithTheirGtidsTimesAndBounds() {
        var bytes = new LogWriter().transaction(0, 1, 5, 1_700_000_010L).transaction(0, 1, 6, 1_700_000_011L).bytes();
        var buffer = ByteBuffer.wrap(bytes);
        long header = BinlogEvents.headerEnd(buffer);
        var found = BinlogEvents.transactions(buffer, 0, header, bytes.length);
        assertEquals(2, found.size());
        assertEquals(new Gtid(0, 1, 5), found.get(0).gtid());
        assertEquals(Instant.ofEpochSecond(1_700_000_010L), found.get(0).time());
        assertEquals(header, found.get(0).start());
        assertEquals(found.get(0).end(), found.get(1).start());
        assertEquals(bytes.length, found.get(1).end());
    }

    @Test
    void stopsBeforeAnEventThatIsNotWhollyThere() {
        var bytes = new LogWriter().transaction(0, 1, 5, 10).transaction(0, 1, 6, 11).bytes();
        var buffer = ByteBuffer.wrap(bytes);
        long end = BinlogEvents.wholeEventsEnd(buffer, 0, BinlogEvents.headerEnd(buffer), bytes.length - 3);
        assertEquals(bytes.length - 35, end, "the last (XID) event is cut off");
        assertEquals(List.of(new Gtid(0, 1, 5), new Gtid(0, 1, 6)),
                BinlogEvents.transactions(buffer, 0, 4, bytes.length - 3).stream().map(BinlogEvents.Transaction::gtid).toList());
    }

    @Test
    void readsAPieceThatStartsInTheMiddleOfItsFile() {
        var bytes = new LogWriter().transaction(0, 1, 5, 10).transaction(0, 1, 6, 11).bytes();
        var all = BinlogEvents.transactions(ByteBuffer.wrap(bytes), 0, 4, bytes.length);
        long from = all.get(1).start();
        var piece = ByteBuffer.wrap(bytes, (int) from, bytes.length - (int) from).slice();
        var found = BinlogEvents.transactions(piece, from, from, bytes.length);
        assertEquals(List.of(all.get(1)), found);
    }

    @Test
    void refusesWhatIsNoBinaryLog() {
        assertThrows(IllegalArgumentException.class, () -> BinlogEvents.headerEnd(ByteBuffer.wrap("hello world".getBytes())));
    }
}

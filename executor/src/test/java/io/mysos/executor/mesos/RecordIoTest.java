package io.mysos.executor.mesos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordIoTest {
    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsRecordsUntilTheStreamEnds() throws IOException {
        var in = stream("5\nhello0\n3\nabc");
        assertArrayEquals("hello".getBytes(), RecordIo.read(in).orElseThrow());
        assertArrayEquals(new byte[0], RecordIo.read(in).orElseThrow());
        assertArrayEquals("abc".getBytes(), RecordIo.read(in).orElseThrow());
        assertEquals(Optional.empty(), RecordIo.read(in));
    }

    @Test
    void readsWhatItFrames() throws IOException {
        var record = new byte[] {0, 10, 13, (byte) 255};
        assertArrayEquals(record, RecordIo.read(new ByteArrayInputStream(RecordIo.frame(record))).orElseThrow());
    }

    @Test
    void failsOnAStreamCutInsideARecord() {
        assertThrows(EOFException.class, () -> RecordIo.read(stream("5\nhel")));
        assertThrows(EOFException.class, () -> RecordIo.read(stream("12")));
    }

    @Test
    void failsOnWhatIsNotRecordIo() {
        assertThrows(IOException.class, () -> RecordIo.read(stream("{\"type\":\"SUBSCRIBED\"}")));
        assertThrows(IOException.class, () -> RecordIo.read(stream("\nabc")));
        assertThrows(IOException.class, () -> RecordIo.read(stream("99999999999\n")));
    }
}

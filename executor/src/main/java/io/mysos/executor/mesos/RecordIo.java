package io.mysos.executor.mesos;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Mesos's RecordIO framing of a streaming response: each record is its length in bytes as decimal
 * digits, a newline, then that many bytes. The agent sends events this way on the SUBSCRIBE
 * connection; the stream ends at a record boundary when the agent closes it.
 */
final class RecordIo {
    /** Far above any executor event (a LAUNCH with its task data is a few KiB); guards against a garbled length. */
    static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;

    private RecordIo() {}

    /** The next record, or empty when the stream ends between records; fails when it ends inside one. */
    static Optional<byte[]> read(InputStream in) throws IOException {
        long length = 0;
        int digits = 0;
        while (true) {
            int b = in.read();
            if (b == -1) {
                if (digits == 0) {
                    return Optional.empty();
                }
                throw new EOFException("the stream ended inside a RecordIO length");
            }
            if (b == '\n') {
                break;
            }
            if (b < '0' || b > '9' || ++digits > 10) {
                throw new IOException("not a RecordIO stream: unexpected byte " + b + " in a record length");
            }
            length = length * 10 + (b - '0');
        }
        if (digits == 0 || length > MAX_RECORD_BYTES) {
            throw new IOException("not a RecordIO stream: record length " + (digits == 0 ? "missing" : length + " bytes"));
        }
        var record = in.readNBytes((int) length);
        if (record.length < length) {
            throw new EOFException("the stream ended " + (length - record.length) + " bytes short of a record");
        }
        return Optional.of(record);
    }

    /** One record, framed: for a stand-in agent in tests, and the reverse of {@link #read}. */
    static byte[] frame(byte[] record) {
        var header = (record.length + "\n").getBytes(StandardCharsets.US_ASCII);
        var framed = new byte[header.length + record.length];
        System.arraycopy(header, 0, framed, 0, header.length);
        System.arraycopy(record, 0, framed, header.length, record.length);
        return framed;
    }
}

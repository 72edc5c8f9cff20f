package io.mysos.executor.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The backup's copy from the tool's pipe to the store, through a second thread. */
class OverlappedCopyTest {

    @Test
    void copiesEveryByteInOrderWhateverTheSizeOfTheReads() throws IOException {
        for (int size : new int[] {0, 1, OverlappedCopy.CHUNK - 1, OverlappedCopy.CHUNK, 3 * OverlappedCopy.CHUNK + 12345}) {
            var data = new byte[size];
            new Random(size).nextBytes(data);
            var out = new ByteArrayOutputStream();
            // A pipe gives at most 64 KB a read.
            long copied = OverlappedCopy.copy(new Trickle(new ByteArrayInputStream(data), 65536), out, "test");
            assertEquals(size, copied);
            assertArrayEquals(data, out.toByteArray(), size + " bytes");
        }
    }

    @Test
    void intoAStoreFileTheHashAndCountCoverEveryByteStored() throws Exception {
        for (int size : new int[] {0, 1, OverlappedCopy.CHUNK + 1, 3 * OverlappedCopy.CHUNK + 12345}) {
            var data = new byte[size];
            new Random(size).nextBytes(data);
            var stored = new ByteArrayOutputStream();
            var file = new BackupStore.HashingOutput("stream.xb", stored);
            OverlappedCopy.copy(new Trickle(new ByteArrayInputStream(data), 65536), file, "test");
            file.close();
            assertArrayEquals(data, stored.toByteArray(), size + " bytes");
            var sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
            assertEquals(new BackupManifest.FileEntry("stream.xb", size, sha), file.entry());
        }
    }

    @Test
    void aFailingStoreStopsTheCopyWithItsError() {
        var read = new AtomicLong();
        var endless = new InputStream() {
            @Override
            public int read() {
                read.incrementAndGet();
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                read.addAndGet(len);
                return len;
            }
        };
        var full = failing("No space left on device");
        var e = assertThrows(IOException.class, () -> OverlappedCopy.copy(endless, full, "test"));
        assertEquals("No space left on device", e.getMessage());
        assertTrue(read.get() <= 5L * OverlappedCopy.CHUNK, "it stopped reading soon after: " + read.get() + " bytes");
    }

    @Test
    void aStoreThatThrowsAnErrorFailsTheCopyInsteadOfEndingItsWriterUnseen() {
        var data = new byte[3 * OverlappedCopy.CHUNK];
        var dying = new OutputStream() {
            @Override
            public void write(int b) {
                throw new Error("No space left on device"); // as Hadoop's local streams throw FSError
            }

            @Override
            public void write(byte[] b, int off, int len) {
                throw new Error("No space left on device"); // as Hadoop's local streams throw FSError
            }
        };
        var e = assertThrows(IOException.class, () -> OverlappedCopy.copy(new ByteArrayInputStream(data), dying, "test"));
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
    }

    @Test
    void aToolThatStopsReadingStillHasTheWholeInputReadWhenAskedTo() throws IOException {
        var data = new byte[2 * OverlappedCopy.CHUNK + 7];
        new Random(7).nextBytes(data);
        var stopped = failing("Broken pipe");
        assertEquals(data.length, OverlappedCopy.copy(new ByteArrayInputStream(data), stopped, "test", true),
                "every byte read, for the checksum over the whole file");
    }

    @Test
    void aFailingSourceFailsTheCopy() {
        var broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        var e = assertThrows(IOException.class, () -> OverlappedCopy.copy(broken, OutputStream.nullOutputStream(), "test"));
        assertEquals("Broken pipe", e.getMessage());
    }

    /** A store, or a tool's stdin, whose every write fails with {@code message}. */
    private static OutputStream failing(String message) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException(message);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException(message);
            }
        };
    }

    /** Hands out at most {@code most} bytes a read, as a pipe does. */
    private static final class Trickle extends InputStream {
        private final InputStream in;
        private final int most;

        Trickle(InputStream in, int most) {
            this.in = in;
            this.most = most;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, Math.min(len, most));
        }
    }
}

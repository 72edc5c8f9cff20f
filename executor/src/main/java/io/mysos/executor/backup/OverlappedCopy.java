package io.mysos.executor.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Copies a stream in whole chunks through a second thread: while the writer thread stores one chunk,
 * the caller already reads (and, into a store file, hashes) the next from the tool's pipe, so
 * reading, hashing and storing no longer take turns on one thread. Chunks are filled before they are handed over (a pipe gives 64
 * KB a read), so the store sees few, large writes.
 */
final class OverlappedCopy {
    static final int CHUNK = 4 << 20;
    private static final int CHUNKS = 4;
    private static final Chunk END = new Chunk(new byte[0], 0);

    private record Chunk(byte[] bytes, int length) {}

    private OverlappedCopy() {}

    /**
     * Copies everything of {@code in} to {@code out} (not closed). Stops at the first failure of either
     * side and throws it: a failed write stops the reading too.
     *
     * @return the bytes copied
     */
    static long copy(InputStream in, OutputStream out, String name) throws IOException {
        return copy(in, out, name, false, NO_TAP);
    }

    /**
     * Copies {@code in} into a store file, hashing on a third thread: the reader only drains the tool's
     * pipe (a reader that hashed would stall the tool behind a full pipe), and the writer only stores
     * (on HDFS the slowest step), so reading, hashing and storing all overlap.
     */
    static long copy(InputStream in, BackupStore.HashingOutput out, String name) throws IOException {
        return copy(in, out.unhashed(), name, false, out::hashAhead);
    }

    /** Sees every chunk, in order, before it is handed to the writer (on a thread of its own). */
    interface Tap {
        void read(byte[] bytes, int offset, int length);
    }

    private static final Tap NO_TAP = (bytes, offset, length) -> { };

    /**
     * Like {@link #copy(InputStream, OutputStream, String)}; with {@code readToTheEnd}, a failed write (the
     * tool reading {@code out} stopped, having found damage) stops the writing only: everything of {@code in}
     * is still read, so that a checksum over it covers the whole file.
     */
    static long copy(InputStream in, OutputStream out, String name, boolean readToTheEnd) throws IOException {
        return copy(in, out, name, readToTheEnd, NO_TAP);
    }

    /** Like {@link #copy(InputStream, OutputStream, String, boolean)}, with {@code tap} seeing every chunk on a thread of its own. */
    static long copy(InputStream in, OutputStream out, String name, boolean readToTheEnd, Tap tap) throws IOException {
        BlockingQueue<Chunk> free = new ArrayBlockingQueue<>(CHUNKS);
        BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
        BlockingQueue<Chunk> toStore = tap == NO_TAP ? full : new ArrayBlockingQueue<>(CHUNKS + 1);
        var hasher = tap == NO_TAP ? null : daemon("store-hasher-" + name, () -> {
            while (true) {
                var chunk = full.take();
                if (chunk != END) {
                    tap.read(chunk.bytes(), 0, chunk.length());
                }
                toStore.put(chunk);
                if (chunk == END) {
                    return;
                }
            }
        });
        for (int i = 0; i < CHUNKS; i++) {
            free.add(new Chunk(new byte[CHUNK], 0));
        }
        var failure = new IOException[1];
        var writing = new boolean[] {true};
        var writer = daemon("store-writer-" + name, () -> {
            while (true) {
                var chunk = toStore.take();
                if (chunk == END) {
                    return;
                }
                if (failure[0] == null && writing[0]) {
                    try {
                        out.write(chunk.bytes(), 0, chunk.length());
                    } catch (IOException | RuntimeException | Error e) {
                        // Whatever the store throws (Hadoop's local streams throw an Error, FSError) fails the copy: a
                        // writer thread that died of it would leave the copy looking complete with the rest unwritten.
                        if (readToTheEnd) {
                            writing[0] = false;
                        } else {
                            synchronized (failure) {
                                failure[0] = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
                            }
                        }
                    }
                }
                free.put(new Chunk(chunk.bytes(), 0));
            }
        });
        long total = 0;
        try {
            while (true) {
                var buffer = free.take().bytes();
                rethrow(failure);
                int n = in.readNBytes(buffer, 0, buffer.length);
                if (n > 0) {
                    full.put(new Chunk(buffer, n));
                    total += n;
                }
                if (n < buffer.length) {
                    break;
                }
            }
            full.put(END);
            writer.join();
            rethrow(failure);
            return total;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while copying " + name);
        } finally {
            for (var thread : new Thread[] {hasher, writer}) {
                if (thread != null && thread.isAlive()) {
                    thread.interrupt();
                }
            }
        }
    }

    private interface Stage {
        void run() throws InterruptedException;
    }

    private static Thread daemon(String name, Stage stage) {
        var thread = new Thread(() -> {
            try {
                stage.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void rethrow(IOException[] failure) throws IOException {
        synchronized (failure) {
            if (failure[0] != null) {
                throw failure[0];
            }
        }
    }
}

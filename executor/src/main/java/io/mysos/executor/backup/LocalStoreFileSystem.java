package io.mysos.executor.backup;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FSInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.Syncable;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A {@code file://} store's file system: Hadoop's raw local one, whose streams report a failed read or
 * write (a full disk, an I/O error) as {@link FSError}, an {@link Error} that no {@code catch (IOException)}
 * sees and that ends the thread it hits. Here they are the {@link IOException} they wrap, as HDFS's are, so
 * a full disk fails the backup (or the archiving, or the restore) with its reason.
 */
final class LocalStoreFileSystem extends FilterFileSystem {
    LocalStoreFileSystem(FileSystem raw) {
        super(raw);
    }

    @Override
    public FSDataOutputStream create(Path f, FsPermission permission, boolean overwrite, int bufferSize, short replication,
                                     long blockSize, Progressable progress) throws IOException {
        var raw = io(() -> super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress));
        return new FSDataOutputStream(new Out(raw), null);
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        return new FSDataInputStream(new In(io(() -> super.open(f, bufferSize))));
    }

    /** A call on one of Hadoop's local streams. */
    private interface Call<T> {
        T call() throws IOException;
    }

    /** The same, without a result. */
    private interface Run {
        void run() throws IOException;
    }

    private static <T> T io(Call<T> call) throws IOException {
        try {
            return call.call();
        } catch (FSError e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    private static void io(Run run) throws IOException {
        io(() -> {
            run.run();
            return null;
        });
    }

    private static final class Out extends OutputStream implements Syncable {
        private final FSDataOutputStream raw;

        Out(FSDataOutputStream raw) {
            this.raw = raw;
        }

        @Override
        public void write(int b) throws IOException {
            io(() -> raw.write(b));
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            io(() -> raw.write(b, off, len));
        }

        @Override
        public void flush() throws IOException {
            io(raw::flush);
        }

        @Override
        public void hflush() throws IOException {
            io(raw::hflush);
        }

        @Override
        public void hsync() throws IOException {
            io(raw::hsync);
        }

        @Override
        public void close() throws IOException {
            io(raw::close);
        }
    }

    private static final class In extends FSInputStream {
        private final FSDataInputStream raw;

        In(FSDataInputStream raw) {
            this.raw = raw;
        }

        @Override
        public int read() throws IOException {
            return io(() -> raw.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return io(() -> raw.read(b, off, len));
        }

        @Override
        public int read(long position, byte[] buffer, int offset, int length) throws IOException {
            return io(() -> raw.read(position, buffer, offset, length));
        }

        @Override
        public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
            int done = 0;
            while (done < length) {
                int n = read(position + done, buffer, offset + done, length - done);
                if (n < 0) {
                    throw new EOFException("end of file at " + (position + done));
                }
                done += n;
            }
        }

        @Override
        public void seek(long pos) throws IOException {
            io(() -> raw.seek(pos));
        }

        @Override
        public long getPos() throws IOException {
            return raw.getPos();
        }

        @Override
        public boolean seekToNewSource(long targetPos) {
            return false;
        }

        @Override
        public int available() throws IOException {
            return io(() -> raw.available());
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }
    }
}

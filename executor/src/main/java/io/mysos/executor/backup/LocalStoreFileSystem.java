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
        try {
            return new FSDataOutputStream(new Out(super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress)),
                    null);
        } catch (FSError e) {
            throw unwrapped(e);
        }
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        try {
            return new FSDataInputStream(new In(super.open(f, bufferSize)));
        } catch (FSError e) {
            throw unwrapped(e);
        }
    }

    static IOException unwrapped(FSError e) {
        return e.getCause() instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }

    private static final class Out extends OutputStream implements Syncable {
        private final FSDataOutputStream raw;

        Out(FSDataOutputStream raw) {
            this.raw = raw;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                raw.write(b);
            } catch (FSError e) {
                throw unwrapped(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                raw.write(b, off, len);
            } catch (FSError e) {
                throw unwrapped(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                raw.flush();
            } catch (FSError e) {
                throw unwrapped(e);
            }
        }

        @Override
        public void hflush() throws IOException {
            try {
                raw.hflush();
            } catch (FSError e) {
                throw unwrapped(e);
            }
        }

        @Override
        public void hsync() throws IOException {
            try {
                raw.hsync();
            } catch (FSError e) {
                throw unwrapped(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                raw.close();
            } catch (FSError e) {
                throw unwrapped(e);
            }
        }
    }

    private static final class In extends FSInputStream {
        private final FSDataInputStream raw;

        In(FSDataInputStream raw) {
            this.raw = raw;
        }

        @Override
        public int read() throws IOException {
            try {
                return raw.read();
            } catch (FSError e) {
                throw unwrapped(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return raw.read(b, off, len);
            } catch (FSError e) {
                throw unwrapped(e);
            }
        }

        @Override
        public int read(long position, byte[] buffer, int offset, int length) throws IOException {
            try {
                return raw.read(position, buffer, offset, length);
            } catch (FSError e) {
                throw unwrapped(e);
            }
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
            try {
                raw.seek(pos);
            } catch (FSError e) {
                throw unwrapped(e);
            }
        }

        @Override
        public long getPos() throws IOException {
            return raw.getPos();
        }

        @Override
        public boolean seekToNewSource(long targetPos) throws IOException {
            return false;
        }

        @Override
        public int available() throws IOException {
            try {
                return raw.available();
            } catch (FSError e) {
                throw unwrapped(e);
            }
        }

        @Override
        public void close() throws IOException {
            raw.close();
        }
    }
}

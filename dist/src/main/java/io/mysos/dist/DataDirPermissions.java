package io.mysos.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local mode's data directory holds the journal (password hashes), the scheduler key and every
 * instance's data: only the user running Mysos may enter it. Modes are set on every start, so a
 * directory made by hand or by an older Mysos with looser modes is tightened too.
 */
final class DataDirPermissions {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirPermissions.class);

    private DataDirPermissions() {}

    /**
     * {@code dir} becomes 0700; or 0710 with group {@code serverGroup} when mysqld runs as another
     * OS user (Mysos runs as root): that user must pass through to its instances' directories,
     * which stay closed to it in every other way (see the executor's SandboxAccess).
     */
    static void ownerOnly(Path dir, Optional<String> serverGroup) throws IOException {
        if (serverGroup.isEmpty()) {
            set(dir, "rwx------");
            return;
        }
        var group = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(serverGroup.get());
        Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(group);
        set(dir, "rwx--x---");
    }

    /** {@code dir} and its directories become 0700, its files 0600. */
    static void ownerOnlyTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (var path : (Iterable<Path>) paths::iterator) {
                set(path, Files.isDirectory(path) ? "rwx------" : "rw-------");
            }
        }
    }

    private static void set(Path path, String permissions) throws IOException {
        try {
            var wanted = PosixFilePermissions.fromString(permissions);
            if (!Files.getPosixFilePermissions(path).equals(wanted)) {
                Files.setPosixFilePermissions(path, wanted);
            }
        } catch (UnsupportedOperationException e) {
            LOG.warn("{} is on a file system without POSIX permissions: keep it out of other users' reach yourself", path);
        }
    }
}

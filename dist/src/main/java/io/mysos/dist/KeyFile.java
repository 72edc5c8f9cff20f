package io.mysos.dist;

import io.mysos.core.password.SchedulerKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The scheduler key on disk: created with owner-only permissions when absent (by the scheduler),
 * refused when others can read it. An executor only ever loads its agent's copy.
 */
final class KeyFile {
    private KeyFile() {}

    static SchedulerKey loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        var key = SchedulerKey.generate();
        var ownerOnly = PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        Files.createFile(file, ownerOnly);
        Files.writeString(file, key.toText() + "\n", StandardCharsets.US_ASCII);
        return key;
    }

    /** An existing key file, refused when others can read it. */
    static SchedulerKey load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("key file " + file + " does not exist or is not a file");
        }
        var permissions = Files.getPosixFilePermissions(file);
        if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IOException("key file " + file + " can be read by others; run: chmod 600 " + file);
        }
        return SchedulerKey.fromText(Files.readString(file, StandardCharsets.US_ASCII));
    }
}

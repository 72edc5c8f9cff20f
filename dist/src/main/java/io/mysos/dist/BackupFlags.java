package io.mysos.dist;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.mysos.core.InvalidInputException;
import io.mysos.executor.backup.InstanceBackups;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code --backup-root} and {@code --hadoop-conf}, shared by {@code mysos local} and {@code mysos scheduler}. */
final class BackupFlags {
    private BackupFlags() {}

    /** A store URI with a scheme (hdfs://, file://); a plain path means a local directory. */
    static Optional<URI> root(String flag) {
        if (flag == null || flag.isBlank()) {
            return Optional.empty();
        }
        try {
            var uri = new URI(flag.trim());
            return Optional.of(uri.getScheme() == null ? Path.of(flag.trim()).toAbsolutePath().normalize().toUri() : uri);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("--backup-root must be a URI like hdfs://namenode:8020/mysos or file:///var/lib/mysos/backups, not '"
                    + flag + "'");
        }
    }

    static Optional<Path> conf(Path flag) {
        if (flag == null) {
            return Optional.empty();
        }
        if (!Files.isDirectory(flag)) {
            throw new InvalidInputException("--hadoop-conf " + flag + " is not a directory");
        }
        return Optional.of(flag.toAbsolutePath().normalize());
    }

    /** The actors' view of the store ({@code mysos.backup.*}). */
    static Config withBackups(Config config, URI root, Optional<Path> hadoopConf) {
        return config.withValue("mysos.backup.root", ConfigValueFactory.fromAnyRef(root.toString()))
                .withValue("mysos.backup.hadoop-conf", ConfigValueFactory.fromAnyRef(hadoopConf.map(Path::toString).orElse("")));
    }

    /** The executor side of the store, for tasks run in this process; a local root is created. */
    static Optional<InstanceBackups> instanceBackups(URI root, Optional<Path> hadoopConf) {
        if ("file".equals(root.getScheme())) {
            try {
                Files.createDirectories(Path.of(root));
            } catch (java.io.IOException e) {
                throw new InvalidInputException("cannot create the backup directory " + root + ": " + e.getMessage());
            }
        }
        return Optional.of(InstanceBackups.at(root, hadoopConf));
    }
}

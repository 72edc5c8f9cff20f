package io.mysos.dist;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.mysos.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;

/**
 * The checks and defaults of {@code mysos scheduler}'s Mesos options that need more than picocli:
 * the executor artifact of this checkout, the secret file, the agent-gone time.
 */
final class SchedulerOptions {
    /** What {@code dist} builds for the agents: mysos.jar and lib/ in one tarball the fetcher extracts. */
    static final String EXECUTOR_TARBALL = "mysos-executor.tar.gz";

    private SchedulerOptions() {}

    /** {@code file://} of the executor tarball next to the running mysos.jar (dist/target of this checkout), if it is there. */
    static Optional<String> defaultExecutorUri() {
        try {
            var location = Path.of(SchedulerOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // mysos.jar in dist/target, or dist/target/classes when run from the build: the tarball is in dist/target.
            var tarball = location.getParent().resolve(EXECUTOR_TARBALL);
            return Files.isRegularFile(tarball) ? Optional.of(tarball.toUri().toString()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /**
     * The secret file's path for the gateway, which reads it when it starts (the secret itself never
     * appears in a flag, the configuration or a log). It must exist, hold a secret, be readable by
     * its owner only, and come with a principal.
     */
    static Config withSecretFile(Config mesos, Optional<Path> secretFile, Optional<String> principal) {
        if (secretFile.isEmpty()) {
            return mesos;
        }
        var file = secretFile.get().toAbsolutePath().normalize();
        if (principal.isEmpty()) {
            throw new InvalidInputException("--secret-file needs --principal: the secret authenticates that principal");
        }
        try {
            if (Files.readString(file).strip().isEmpty()) {
                throw new InvalidInputException("--secret-file " + file + " is empty");
            }
            var permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                throw new InvalidInputException("--secret-file " + file + " is readable by others: chmod 600 it");
            }
        } catch (IOException e) {
            throw new InvalidInputException("--secret-file " + file + " cannot be read: " + e.getMessage());
        }
        return mesos.withValue("secret-file", ConfigValueFactory.fromAnyRef(file.toString()));
    }

    /** {@code --agent-gone-after}: a duration, kept for {@code mysos.cluster.agent-gone-after}. */
    static Config withAgentGoneAfter(Config mesos, Optional<String> value) {
        if (value.isEmpty()) {
            return mesos;
        }
        try {
            var duration = ConfigFactory.parseString("t = " + value.get()).getDuration("t");
            if (duration.isNegative() || duration.isZero()) {
                throw new InvalidInputException("--agent-gone-after must be longer than zero, not '" + value.get() + "'");
            }
        } catch (ConfigException e) {
            throw new InvalidInputException("--agent-gone-after must be a duration such as 10m or 1h, not '" + value.get() + "'");
        }
        return mesos.withValue("agent-gone-after", ConfigValueFactory.fromAnyRef(value.get()));
    }

    /** The whole configuration with {@code --agent-gone-after} where the cluster actors read it. */
    static Config applyAgentGoneAfter(Config config) {
        var key = "mysos.mesos.agent-gone-after";
        return config.hasPath(key) ? config.withValue("mysos.cluster.agent-gone-after", config.getValue(key)) : config;
    }
}

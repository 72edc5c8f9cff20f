package io.mysos.executor.mysql;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where one instance keeps its files inside its task sandbox. The socket moves to /tmp when the
 * sandbox path is too long for a Unix socket address (108 bytes on Linux); its name there is derived
 * from the sandbox path, so a restarted executor finds the same socket again. Temporary files stay
 * in the sandbox too: servers sharing /tmp collide on their temporary table names.
 */
public record SandboxLayout(Path sandbox, Path dataDir, Path configFile, Path pidFile, Path logFile, Path socket,
        Path initFile, Path initializingDataDir, Path tmpDir) {
    static final int MAX_SOCKET_PATH = 100;

    public static SandboxLayout of(Path sandbox) {
        var dir = sandbox.toAbsolutePath().normalize();
        return new SandboxLayout(dir, dir.resolve("data"), dir.resolve("my.cnf"), dir.resolve("mysqld.pid"),
                dir.resolve("mysqld.log"), socketFor(dir), dir.resolve("init.sql"), dir.resolve("data.initializing"),
                dir.resolve("tmp"));
    }

    /** Removes a directory and everything in it (a sandbox, a data directory); absent is fine. */
    public static void deleteTree(Path root) throws java.io.IOException {
        if (!java.nio.file.Files.exists(root)) {
            return;
        }
        try (var paths = java.nio.file.Files.walk(root)) {
            for (var path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(path);
            }
        }
    }

    private static Path socketFor(Path sandbox) {
        var inSandbox = sandbox.resolve("mysqld.sock");
        if (inSandbox.toString().length() <= MAX_SOCKET_PATH) {
            return inSandbox;
        }
        return Path.of("/tmp", "mysos-" + shortHash(sandbox.toString()) + ".sock");
    }

    private static String shortHash(String text) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
    }
}

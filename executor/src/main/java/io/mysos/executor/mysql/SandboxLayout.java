package io.mysos.executor.mysql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * Where one instance keeps its files inside its task sandbox. What Mysos writes (my.cnf, the init
 * file, its record of mysqld's pid) sits in the sandbox itself; what mysqld writes sits in
 * directories of mysqld's own OS user: {@code data}, {@code tmp} (servers sharing /tmp collide on
 * temporary table names), {@code files} (secure_file_priv) and {@code run} (its pid file and socket).
 * The socket moves out when the sandbox path is too long for a Unix socket address (108 bytes on
 * Linux): to {@link #SOCKET_DIR_PREFIX}{@code <user>} in the temp directory, a directory that
 * {@link SandboxAccess} makes sure only Mysos and mysqld's user can write, named by a hash of the
 * sandbox path so a restarted executor finds the same socket again.
 */
public record SandboxLayout(Path sandbox, Path dataDir, Path configFile, Path pidFile, Path logFile, Path socket,
        Path initFile, Path initializingDataDir, Path tmpDir, Path runDir, Path filesDir, Path serverPidFile) {
    static final int MAX_SOCKET_PATH = 100;
    static final String SOCKET_DIR_PREFIX = "mysos-sockets-";

    public static SandboxLayout of(Path sandbox) {
        var dir = sandbox.toAbsolutePath().normalize();
        var run = dir.resolve("run");
        return new SandboxLayout(dir, dir.resolve("data"), dir.resolve("my.cnf"), dir.resolve("mysqld.pid"),
                dir.resolve("mysqld.log"), socketFor(dir, run), dir.resolve("init.sql"), dir.resolve("data.initializing"),
                dir.resolve("tmp"), run, dir.resolve("files"), run.resolve("mysqld.pid"));
    }

    /** The directory the socket is in: {@link #runDir} or the shared private socket directory. */
    public Path socketDir() {
        return socket.getParent();
    }

    /** Removes a directory and everything in it (a sandbox, a data directory); absent is fine. Links are removed, not followed. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The shared socket directory for sandboxes whose own path is too long. */
    static Path sharedSocketDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), SOCKET_DIR_PREFIX + System.getProperty("user.name"));
    }

    private static Path socketFor(Path sandbox, Path run) {
        var inSandbox = run.resolve("mysqld.sock");
        if (inSandbox.toString().length() <= MAX_SOCKET_PATH) {
            return inSandbox;
        }
        return sharedSocketDir().resolve(shortHash(sandbox.toString()) + ".sock");
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

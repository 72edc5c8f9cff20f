package io.mysos.executor.mysql;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The MySQL server binaries on this machine: which mysqld, which flavor and version, and how to
 * create a new data directory with them. Works with MariaDB 10.6+ and MySQL 8.0+.
 *
 * @param installDb MariaDB's {@code mariadb-install-db}; MySQL initializes with mysqld itself
 * @param runAsRoot whether this JVM runs as root: mysqld then runs as {@value #SERVER_USER}, never as root
 * @param templates where pristine data directories are kept for copying, if at all (see {@link #withTemplatesIn})
 */
public record MySqlInstallation(Path mysqld, Flavor flavor, MySqlVersion version, Optional<Path> installDb,
        boolean runAsRoot, Optional<Path> templates) {

    /** The OS user mysqld runs as when Mysos runs as root; the MariaDB and MySQL packages create it. */
    public static final String SERVER_USER = "mysql";
    public static final String INSTALL_HINT = "install the mariadb-server package: apt-get install mariadb-server";
    static final List<Path> DEFAULT_DIRS = List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/usr/local/mysql/bin"));
    private static final List<String> SERVER_NAMES = List.of("mariadbd", "mysqld");
    private static final List<String> INSTALL_DB_NAMES = List.of("mariadb-install-db", "mysql_install_db");
    private static final long INITIALIZE_TIMEOUT_SECONDS = 600;

    /** The two server families Mysos knows; they differ in replication syntax and initialization. */
    public enum Flavor {
        MARIADB("MariaDB"), MYSQL("MySQL");

        private final String displayName;

        Flavor(String displayName) {
            this.displayName = displayName;
        }

        @Override
        public String toString() {
            return displayName;
        }
    }

    public MySqlInstallation(Path mysqld, Flavor flavor, MySqlVersion version, Optional<Path> installDb, boolean runAsRoot) {
        this(mysqld, flavor, version, installDb, runAsRoot, Optional.empty());
    }

    /** The OS user mysqld must switch to ({@code --user}), when this JVM runs as root. */
    public Optional<String> serverUser() {
        return runAsRoot ? Optional.of(SERVER_USER) : Optional.empty();
    }

    /**
     * The same installation, but new data directories are copies of a pristine one that the real
     * tool made once and keeps in {@code dir} (private to this user): a copy takes milliseconds,
     * mariadb-install-db a second or more. For hosts that create many instances: local mode, tests.
     */
    public MySqlInstallation withTemplatesIn(Path dir) {
        return new MySqlInstallation(mysqld, flavor, version, installDb, runAsRoot, Optional.of(dir.toAbsolutePath()));
    }

    /** Finds mysqld on the PATH, then in /usr/sbin, /usr/bin and /usr/local/mysql/bin. */
    public static MySqlInstallation detect() {
        var dirs = new LinkedHashSet<Path>();
        var path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (var entry : path.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                dirs.add(Path.of(entry));
            }
        }
        dirs.addAll(DEFAULT_DIRS);
        return detect(List.copyOf(dirs));
    }

    /** Finds {@code mariadbd} or {@code mysqld} in the first of {@code dirs} that has one. */
    public static MySqlInstallation detect(List<Path> dirs) {
        for (var dir : dirs) {
            for (var name : SERVER_NAMES) {
                var candidate = dir.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return at(candidate, dirs);
                }
            }
        }
        throw new MySqlNotInstalledException("no mariadbd or mysqld found in " + describe(dirs) + ": " + INSTALL_HINT);
    }

    private static MySqlInstallation at(Path mysqld, List<Path> dirs) {
        var output = versionOutput(mysqld);
        var flavor = flavorOf(output);
        Optional<Path> installDb = flavor == Flavor.MARIADB ? findInstallDb(mysqld, dirs) : Optional.empty();
        var installation = fromVersionOutput(mysqld, output, installDb, isRoot());
        if (flavor == Flavor.MARIADB && installDb.isEmpty()) {
            throw new MySqlNotInstalledException("found " + mysqld + " but no mariadb-install-db next to it or in "
                    + describe(dirs) + ": " + INSTALL_HINT);
        }
        return installation;
    }

    /** Reads what {@code mysqld --version} printed; refuses servers Mysos cannot run. */
    public static MySqlInstallation fromVersionOutput(Path mysqld, String versionOutput, Optional<Path> installDb,
            boolean runAsRoot) {
        var flavor = flavorOf(versionOutput);
        var version = MySqlVersion.parse(versionOutput.replaceFirst("^.*?\\bVer\\b", ""))
                .orElseThrow(() -> new MySqlNotInstalledException(mysqld + " --version printed no version ('"
                        + versionOutput.strip() + "'): " + INSTALL_HINT));
        boolean supported = flavor == Flavor.MARIADB ? version.isAtLeast(10, 6, 0) : version.isAtLeast(8, 0, 0);
        if (!supported) {
            throw new MySqlNotInstalledException(flavor + " " + version + " at " + mysqld
                    + " is too old: Mysos needs MariaDB 10.6+ or MySQL 8.0+; " + INSTALL_HINT);
        }
        return new MySqlInstallation(mysqld, flavor, version, installDb, runAsRoot);
    }

    /**
     * The command that creates a fresh data directory at {@code dataDir} (which must not exist yet).
     * The root account only logs in over the local socket as the OS user; Mysos's own admin
     * account is created at the first start (see {@link MySqlServer}).
     *
     * @param tmpDir the server's own temporary directory: bootstraps sharing /tmp collide on file names
     * @param serverOptions extra mysqld options, e.g. the InnoDB log size the server will run with
     */
    public List<String> initializeCommand(Path dataDir, Path tmpDir, List<String> serverOptions) {
        var command = new ArrayList<String>();
        switch (flavor) {
            case MARIADB -> {
                command.add(installDb.orElseThrow(() -> new MySqlNotInstalledException(
                        "mariadb-install-db is missing: " + INSTALL_HINT)).toString());
                command.add("--no-defaults");
                command.add("--datadir=" + dataDir);
                command.add("--auth-root-authentication-method=socket");
                command.add("--skip-test-db");
                // Root logs in by socket only, so host names need not resolve (agents' DNS is often poor).
                command.add("--skip-name-resolve");
                basedir().ifPresent(dir -> command.add("--basedir=" + dir));
            }
            case MYSQL -> {
                command.add(mysqld.toString());
                command.add("--no-defaults");
                command.add("--initialize-insecure");
                command.add("--datadir=" + dataDir);
                // The server's own binlog starts with its real configuration, not here.
                command.add("--skip-log-bin");
            }
        }
        if (runAsRoot) {
            // The bootstrap has no network; the server that later serves runs as SERVER_USER, who is
            // handed the finished directory (a template copy is made by root either way).
            command.add("--user=root");
        }
        command.add("--tmpdir=" + tmpDir);
        command.addAll(serverOptions);
        return command;
    }

    /**
     * Creates a fresh data directory (with the tool, or as a copy of a template made by it),
     * writing the tool's output to {@code log}.
     *
     * @throws MySqlInitializationException with the tool's last words when it fails
     */
    public void initialize(Path dataDir, Path tmpDir, Path log, List<String> serverOptions) {
        if (templates.isPresent()) {
            DataDirTemplates.copy(this, templates.get(), dataDir, log, serverOptions);
        } else {
            runInitialize(dataDir, tmpDir, log, serverOptions);
        }
    }

    /** Runs the flavor's own tool to create {@code dataDir}. */
    void runInitialize(Path dataDir, Path tmpDir, Path log, List<String> serverOptions) {
        var command = initializeCommand(dataDir, tmpDir, serverOptions);
        long logOffset = MysqldLog.of(log).size();
        try {
            var process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(INITIALIZE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new MySqlInitializationException("initializing " + dataDir + " took more than "
                        + INITIALIZE_TIMEOUT_SECONDS + " s; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new MySqlInitializationException("initializing " + dataDir + " failed with code "
                        + process.exitValue() + ": " + MysqldLog.of(log).reasonSince(logOffset));
            }
        } catch (IOException e) {
            throw new MySqlInitializationException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MySqlInitializationException("initializing " + dataDir + " was interrupted", e);
        }
    }

    /** A tarball install (/usr/local/mysql/bin/mysqld) needs its base dir named; packages know theirs. */
    private Optional<Path> basedir() {
        var bin = mysqld.toAbsolutePath().getParent();
        if (bin == null || bin.getParent() == null || bin.getParent().equals(Path.of("/usr"))) {
            return Optional.empty();
        }
        return Optional.of(bin.getParent());
    }

    static Flavor flavorOf(String versionOutput) {
        return versionOutput.toLowerCase(Locale.ROOT).contains("mariadb") ? Flavor.MARIADB : Flavor.MYSQL;
    }

    private static String versionOutput(Path mysqld) {
        try {
            var process = new ProcessBuilder(mysqld.toString(), "--no-defaults", "--version")
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new MySqlNotInstalledException(mysqld + " --version failed ('" + output.strip() + "'): " + INSTALL_HINT);
            }
            return output;
        } catch (IOException e) {
            throw new MySqlNotInstalledException("cannot run " + mysqld + ": " + e.getMessage() + "; " + INSTALL_HINT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MySqlNotInstalledException("interrupted while running " + mysqld + " --version");
        }
    }

    private static Optional<Path> findInstallDb(Path mysqld, List<Path> dirs) {
        var places = new LinkedHashSet<Path>();
        var bin = mysqld.toAbsolutePath().getParent();
        places.add(bin);
        if (bin.getParent() != null) {
            places.add(bin.getParent().resolve("bin"));
            places.add(bin.getParent().resolve("scripts"));
        }
        places.addAll(dirs);
        for (var name : INSTALL_DB_NAMES) {
            for (var dir : places) {
                var candidate = dir.resolve(name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static String describe(List<Path> dirs) {
        return dirs.stream().map(Path::toString).reduce((a, b) -> a + ", " + b).orElse("(no directories)");
    }

    @Override
    public String toString() {
        return flavor + " " + version + " (" + mysqld + ")";
    }
}

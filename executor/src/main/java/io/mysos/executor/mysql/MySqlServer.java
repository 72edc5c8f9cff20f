package io.mysos.executor.mysql;

import io.mysos.core.protocol.TaskData;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mysqld for one instance, living in its task sandbox: creates the data directory, writes
 * my.cnf, starts the server detached from this JVM's pipes (so it outlives a crashed executor),
 * waits until the admin account can log in, adopts a server left running, and stops it.
 */
public final class MySqlServer {
    private static final Logger log = LoggerFactory.getLogger(MySqlServer.class);
    static final long READY_POLL_MS = 25;
    /** A starting mysqld answers a login at once or refuses the connection; anything slower is retried. */
    static final int PROBE_TIMEOUT_MS = 500;
    /** The admin account is created before mysqld listens; a refusal that lasts is a wrong password, not a race. */
    static final Duration ACCESS_DENIED_GRACE = Duration.ofSeconds(3);

    private final MySqlInstallation mysql;
    private final SandboxLayout layout;
    private final MySqlConfig config;
    private final String adminPassword;
    private final Optional<ClusterAccount> clusterAccount;
    private final SandboxAccess access;
    private final MysqldLog mysqldLog;
    private volatile Optional<MysqldProcess> process = Optional.empty();
    private volatile long logOffset;
    /** The identity (inode) of the data directory the ready server runs on. */
    private volatile Optional<Object> dataDirKey = Optional.empty();

    public MySqlServer(MySqlInstallation mysql, Path sandbox, MySqlConfig config, String adminPassword) {
        this(mysql, sandbox, config, adminPassword, Optional.empty());
    }

    /**
     * @param clusterAccount the cluster's application account, made (never binlogged) at every start
     * @throws MySqlStartException when mysqld must run as an OS user that does not exist
     */
    public MySqlServer(MySqlInstallation mysql, Path sandbox, MySqlConfig config, String adminPassword,
            Optional<ClusterAccount> clusterAccount) {
        this.mysql = mysql;
        this.layout = SandboxLayout.of(sandbox);
        this.config = config;
        this.adminPassword = adminPassword;
        this.clusterAccount = clusterAccount;
        SqlLiteral.password(adminPassword);
        this.access = SandboxAccess.of(layout, mysql);
        this.mysqldLog = MysqldLog.of(layout.logFile());
    }

    public SandboxLayout layout() {
        return layout;
    }

    public MySqlConfig config() {
        return config;
    }

    public boolean hasDataDir() {
        return Files.isDirectory(layout.dataDir());
    }

    /**
     * Creates the data directory unless it exists. It is built under another name and renamed
     * when complete, so a crash half-way never leaves a data directory that looks usable.
     *
     * @return true when it created one
     */
    public boolean initializeIfNeeded() {
        if (hasDataDir()) {
            return false;
        }
        try {
            access.prepareSandbox();
            SandboxLayout.deleteTree(layout.initializingDataDir());
            mysql.initialize(layout.initializingDataDir(), layout.tmpDir(), layout.logFile(), config.initializeOptions(mysql));
            access.handOver(layout.initializingDataDir());
            Files.move(layout.initializingDataDir(), layout.dataDir(), StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            throw new MySqlInitializationException("cannot create " + layout.dataDir() + ": " + e.getMessage(), e);
        }
    }

    /** Fills a new data directory (from a backup); throws with the reason when it cannot. */
    @FunctionalInterface
    public interface DataDirFiller {
        void fill(Path dataDir) throws IOException;
    }

    /**
     * Like {@link #initializeIfNeeded}, but {@code filler} fills the new data directory (a restore), under
     * another name until it is complete and handed to mysqld's user.
     *
     * @return true when it created one
     */
    public boolean restoreIfNeeded(DataDirFiller filler) {
        if (hasDataDir()) {
            return false;
        }
        try {
            access.prepareSandbox();
            SandboxLayout.deleteTree(layout.initializingDataDir());
            filler.fill(layout.initializingDataDir());
            access.handOver(layout.initializingDataDir());
            Files.move(layout.initializingDataDir(), layout.dataDir(), StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            throw new MySqlInitializationException("cannot restore " + layout.dataDir() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts mysqld on the existing data directory, read-only. An init file (0600, outside the
     * data directory, never binlogged) makes sure the admin account exists with its password.
     *
     * @throws MySqlStartException when a mysqld already runs here or the process cannot be spawned
     */
    public void start() {
        if (isRunning()) {
            throw new MySqlStartException("a mysqld (pid " + pid().orElse(-1L) + ") already runs on " + layout.dataDir());
        }
        if (!hasDataDir()) {
            throw new MySqlStartException("data directory " + layout.dataDir() + " does not exist");
        }
        var command = new ArrayList<String>();
        command.add(mysql.mysqld().toString());
        command.add("--defaults-file=" + layout.configFile());
        // Never root: with root, SELECT ... INTO OUTFILE and plugins would act as root on the host.
        mysql.serverUser().ifPresent(user -> command.add("--user=" + user));
        command.add("--init-file=" + layout.initFile());
        try {
            access.prepareStart();
            Files.writeString(layout.configFile(), config.render(mysql, layout), StandardCharsets.UTF_8);
            writeInitFile();
            logOffset = mysqldLog.size();
            // Output to a file, not a pipe: a pipe would close (SIGPIPE) when this JVM dies, and mysqld must
            // outlive it. No new session either, so killing the executor's process group still stops it.
            var spawned = new ProcessBuilder(command)
                    .directory(layout.sandbox().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            // mysqld writes its pid file only late in its start; write it now so a restarted executor finds it.
            Files.writeString(layout.pidFile(), spawned.pid() + "\n", StandardCharsets.US_ASCII);
            process = Optional.of(MysqldProcess.spawned(spawned));
            log.info("started {} for {} (pid {}, port {})", mysql, layout.sandbox(), spawned.pid(), config.port());
        } catch (IOException e) {
            deleteInitFile();
            throw new MySqlStartException("cannot start " + mysql.mysqld() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Polls an admin login every {@value #READY_POLL_MS} ms until it works.
     *
     * @return true when ready, false when {@code abandon} said to stop waiting
     * @throws MySqlStartException when mysqld exits, keeps refusing the admin account, or the deadline passes;
     *     the process is left as it is
     */
    public boolean awaitReady(Duration timeout, BooleanSupplier abandon) {
        var running = process.orElseThrow(() -> new MySqlStartException("mysqld was not started"));
        var control = adminControl();
        long deadline = System.nanoTime() + timeout.toNanos();
        long deniedSince = 0;
        String lastError = "no attempt yet";
        while (true) {
            if (abandon.getAsBoolean()) {
                return false;
            }
            if (!running.isAlive()) {
                deleteInitFile();
                throw new MySqlStartException(exitOf(running).join().describe());
            }
            try (var connection = control.connect(PROBE_TIMEOUT_MS, PROBE_TIMEOUT_MS)) {
                // Another server on this port (ours then fails to bind) must not pass for ours.
                var dataDir = dataDirOf(connection);
                if (isOurs(dataDir)) {
                    deleteInitFile();
                    dataDirKey = fileKey(layout.dataDir());
                    return true;
                }
                lastError = Endpoints.address(config.host(), config.port()) + " is served by another mysqld (datadir "
                        + dataDir + ")";
            } catch (SQLException e) {
                lastError = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
                if (JdbcMySqlControl.isAccessDenied(e)) {
                    deniedSince = deniedSince == 0 ? System.nanoTime() : deniedSince;
                    if (System.nanoTime() - deniedSince > ACCESS_DENIED_GRACE.toNanos()) {
                        throw new MySqlStartException("mysqld on " + Endpoints.address(config.host(), config.port())
                                + " refuses the admin account '" + TaskData.ADMIN_USER + "': " + lastError);
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new MySqlStartException("mysqld did not accept the admin login on "
                        + Endpoints.address(config.host(), config.port()) + " within " + timeout.toSeconds() + " s ("
                        + lastError + "); its log says: " + mysqldLog.reasonSince(logOffset));
            }
            try {
                Thread.sleep(READY_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** The pid mysqld (or {@link #start}) wrote to this sandbox's pid file. */
    public Optional<Long> pidFromFile() {
        try {
            return Optional.of(Long.parseLong(Files.readString(layout.pidFile(), StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The pid of the mysqld this object started or adopted. */
    public Optional<Long> pid() {
        return process.map(MysqldProcess::pid);
    }

    /** True when a mysqld of this sandbox is alive: the one we hold, or one found by its pid file or my.cnf. */
    public boolean isRunning() {
        return process.map(MysqldProcess::isAlive).orElse(false) || findRunning().isPresent();
    }

    /**
     * Takes over a mysqld left running by an earlier executor: the live mysqld the pid file names,
     * if it was started with this sandbox's my.cnf, else any mysqld started with it.
     *
     * @return true when there was one to adopt
     */
    public boolean adopt() {
        var found = findRunning();
        found.ifPresent(p -> {
            process = Optional.of(p);
            logOffset = mysqldLog.size();
            log.info("adopted mysqld (pid {}) of {}", p.pid(), layout.sandbox());
        });
        return found.isPresent();
    }

    /** Completes when the mysqld we hold exits, with its exit code (if ours) and its last error lines. */
    public CompletableFuture<MysqldExit> onExit() {
        return process.map(this::exitOf)
                .orElseGet(() -> CompletableFuture.failedFuture(new IllegalStateException("no mysqld to watch")));
    }

    /** SIGTERM, wait up to {@code grace} for a clean shutdown, then SIGKILL. Does nothing when none runs. */
    public void stop(Duration grace) {
        var running = process.filter(MysqldProcess::isAlive).or(this::findRunning);
        running.ifPresent(p -> {
            log.info("stopping mysqld (pid {}) of {}", p.pid(), layout.sandbox());
            p.terminate(grace);
        });
        deleteInitFile();
    }

    /** SIGKILL at once: for a server that failed to come up, so nothing is left behind. */
    public void kill() {
        process.filter(MysqldProcess::isAlive).or(this::findRunning).ifPresent(MysqldProcess::kill);
        deleteInitFile();
    }

    /**
     * Why the running server no longer has its data directory, if so: deleted (mysqld keeps writing
     * to the deleted files, which vanish when it stops) or replaced by another directory.
     */
    public Optional<String> dataDirProblem() {
        var expected = dataDirKey;
        if (expected.isEmpty()) {
            return Optional.empty();
        }
        var now = fileKey(layout.dataDir());
        if (now.isEmpty()) {
            return Optional.of("its data directory " + layout.dataDir() + " is gone; what it writes now is lost when it stops");
        }
        return now.equals(expected) ? Optional.empty()
                : Optional.of("its data directory " + layout.dataDir() + " was replaced by another directory");
    }

    /**
     * For an instance that will not come back: SIGKILL (its data is thrown away, so a clean shutdown
     * buys nothing), then the whole sandbox and a socket kept outside it are deleted.
     *
     * @throws IOException when a file cannot be deleted
     */
    public void discard() throws IOException {
        kill();
        SandboxLayout.deleteTree(layout.sandbox());
        Files.deleteIfExists(layout.socket());
        Files.deleteIfExists(Path.of(layout.socket() + ".lock"));
    }

    /** Control over the admin account, through the instance's address. */
    public JdbcMySqlControl adminControl() {
        return new JdbcMySqlControl(connectHost(), config.port(), TaskData.ADMIN_USER, adminPassword, mysql);
    }

    private CompletableFuture<MysqldExit> exitOf(MysqldProcess p) {
        long offset = logOffset;
        return p.onExit().thenApply(code -> new MysqldExit(p.pid(), code, mysqldLog.reasonSince(offset)));
    }

    private static Optional<Object> fileKey(Path dir) {
        try {
            return Optional.ofNullable(Files.readAttributes(dir, java.nio.file.attribute.BasicFileAttributes.class).fileKey());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String dataDirOf(Connection connection) throws SQLException {
        try (var statement = connection.createStatement(); var rows = statement.executeQuery("SELECT @@GLOBAL.datadir")) {
            return rows.next() ? rows.getString(1) : "";
        }
    }

    private boolean isOurs(String dataDir) {
        try {
            return Path.of(dataDir).toRealPath().equals(layout.dataDir().toRealPath());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Two mysqlds on one data directory would fight over its locks, so look hard for a running one. */
    private Optional<MysqldProcess> findRunning() {
        return pidFromFile().flatMap(pid -> MysqldProcess.find(pid, layout.configFile()))
                .or(() -> MysqldProcess.findByConfig(layout.configFile()));
    }

    /** A wildcard bind address is reached through the loopback. */
    private String connectHost() {
        return switch (config.host()) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::" -> "::1";
            default -> config.host();
        };
    }

    private void writeInitFile() throws IOException {
        var file = layout.initFile();
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, InitSql.accounts(mysql.flavor(), TaskData.ADMIN_USER, adminPassword, clusterAccount),
                StandardCharsets.UTF_8);
        // mysqld reads it after it switched to its own OS user.
        access.handOverFile(file);
    }

    private void deleteInitFile() {
        try {
            Files.deleteIfExists(layout.initFile());
        } catch (IOException e) {
            log.warn("could not delete {}: {}", layout.initFile(), e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "MySqlServer(" + layout.sandbox() + ", port " + config.port() + ")";
    }
}

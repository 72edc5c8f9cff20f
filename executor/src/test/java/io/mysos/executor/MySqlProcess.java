package io.mysos.executor;

import io.mysos.core.password.Passwords;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.resources.Resources;
import io.mysos.core.size.DataSize;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import io.mysos.executor.isolation.Isolation;
import io.mysos.executor.mysql.JdbcMySqlControl;
import io.mysos.executor.mysql.MySqlControl;
import io.mysos.executor.mysql.MySqlInstallation;
import io.mysos.executor.task.TaskRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Real mysqld instances for tests: free ports on 127.0.0.1, a temp dir, task data with sealed
 * passwords and a {@link TaskRunner} per instance reporting to a {@link RecordingListener}.
 * {@link #close} kills every mysqld started under its temp dir and deletes it, also after a failure.
 */
public final class MySqlProcess implements AutoCloseable, org.junit.jupiter.api.extension.AfterEachCallback {
    public static final String HOST = "127.0.0.1";
    public static final String CLUSTER = "test";
    public static final String CLUSTER_USER = "app";
    /** Generous: a start takes about a second here, but CI machines are slow and busy. */
    public static final Duration START = Duration.ofSeconds(60);
    public static final Duration STEP = Duration.ofSeconds(20);
    private static final DataSize MEMORY = DataSize.ofMegabytes(256);
    private static final Resources DEFAULT_SIZE = new Resources(1, MEMORY, DataSize.ofGigabytes(1));
    private static final Set<Integer> PORTS_GIVEN = new HashSet<>();
    private static MySqlInstallation installation;
    private static MySqlInstallation templated;

    private final Path root;
    private final SchedulerKey key = SchedulerKey.generate();
    /** One cluster, so one admin password: replicas log into their master with it. */
    private final String adminPassword = Passwords.generate();
    private final String userPassword = Passwords.generate();
    private final List<Instance> instances = new ArrayList<>();
    private final Thread cleanupOnExit = new Thread(this::killEverything, "mysos-test-cleanup");
    /** The life of the fixture's cluster: its instances' task data and backups carry it, its archive is kept under it. */
    private final String life = TaskData.lifeOf(java.time.Instant.now());

    public MySqlProcess() {
        try {
            root = Files.createTempDirectory("mysos-executor-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    }

    /** The archived binary logs of this fixture's cluster (its name's life). */
    public io.mysos.executor.backup.BinlogArchiveId archive() {
        return new io.mysos.executor.backup.BinlogArchiveId(CLUSTER, life);
    }

    /** This machine's MySQL server, detected once per JVM. */
    public static synchronized MySqlInstallation installation() {
        if (installation == null) {
            installation = MySqlInstallation.detect();
        }
        return installation;
    }

    /**
     * This machine's server, creating data directories as copies of one made by the real tool
     * (kept in a private temp dir for this JVM): a launch then takes a few hundred milliseconds.
     */
    public static synchronized MySqlInstallation templatedInstallation() {
        if (templated == null) {
            try {
                var dir = Files.createTempDirectory("mysos-templates-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "mysos-templates-cleanup"));
                templated = installation().withTemplatesIn(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return templated;
    }

    /** A TCP port on 127.0.0.1 that is free now and not handed out before in this JVM. */
    public static int freePort() {
        // Below Linux's ephemeral range (32768-60999): a client connection of the test itself cannot
        // take the port between this check and mysqld's bind.
        var random = java.util.concurrent.ThreadLocalRandom.current();
        while (true) {
            int port = 20000 + random.nextInt(12768);
            try (var socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new java.net.InetSocketAddress(InetAddress.getByName(HOST), port), 1);
                synchronized (PORTS_GIVEN) {
                    if (PORTS_GIVEN.add(port)) {
                        return port;
                    }
                }
            } catch (IOException e) {
                // taken: try another
            }
        }
    }

    public Path root() {
        return root;
    }

    public SchedulerKey key() {
        return key;
    }

    /** A new instance with its own sandbox and port; nothing runs until its runner is told to. */
    public Instance instance(long serverId) {
        return instance(serverId, templatedInstallation());
    }

    /** A new instance whose task asks for semi-synchronous replication (or not). */
    public Instance instance(long serverId, boolean semiSync) {
        return instance(serverId, templatedInstallation(), semiSync);
    }

    /** A new instance whose data directory {@code mysql} creates: {@link #installation()} runs the real tool. */
    public Instance instance(long serverId, MySqlInstallation mysql) {
        return instance(serverId, mysql, false);
    }

    /** A new instance of {@code size} whose runners confine its mysqld with {@code isolation}. */
    public Instance instance(long serverId, Resources size, Isolation isolation) {
        return register(new Instance(serverId, templatedInstallation(), false, size, isolation));
    }

    private Instance instance(long serverId, MySqlInstallation mysql, boolean semiSync) {
        return register(new Instance(serverId, mysql, semiSync, DEFAULT_SIZE, Isolation.NONE));
    }

    /**
     * A new instance whose runner has {@code backups} (for TakeBackup) and, with a {@code backupId}
     * ({@code <cluster>/<id>}), restores its data from that backup at launch.
     */
    public Instance instance(long serverId, io.mysos.executor.backup.InstanceBackups backups, Optional<String> backupId) {
        return instance(serverId, backups, backupId, Optional.empty());
    }

    /** Like {@link #instance(long, io.mysos.executor.backup.InstanceBackups, Optional)}, rolled forward to {@code restoreTo}. */
    public Instance instance(long serverId, io.mysos.executor.backup.InstanceBackups backups, Optional<String> backupId,
            Optional<String> restoreTo) {
        return register(new Instance(serverId, templatedInstallation(), false, DEFAULT_SIZE, Isolation.NONE,
                Optional.of(backups), backupId, restoreTo));
    }

    /**
     * A new task ({@code serverId}, a port of its own) on the sandbox {@code earlier} left, whose mysqld
     * must be gone: an instance relaunched on its persistent volume.
     */
    public Instance instanceOnTheDataOf(Instance earlier, long serverId) {
        return register(new Instance(serverId, templatedInstallation(), earlier.data.semiSync(), DEFAULT_SIZE, Isolation.NONE,
                Optional.empty(), Optional.empty(), Optional.empty(), earlier.sandbox));
    }

    private Instance register(Instance instance) {
        synchronized (instances) {
            instances.add(instance);
        }
        return instance;
    }

    /** Task data for {@code serverId}, sealed with this fixture's key (semi-sync off). */
    public TaskData taskData(long serverId, int port) {
        return taskData(serverId, port, false);
    }

    /** Task data for {@code serverId}, sealed with this fixture's key. */
    public TaskData taskData(long serverId, int port, boolean semiSync) {
        return taskData(serverId, port, semiSync, DEFAULT_SIZE);
    }

    private TaskData taskData(long serverId, int port, boolean semiSync, Resources size) {
        return taskData(serverId, port, semiSync, size, Optional.empty());
    }

    private TaskData taskData(long serverId, int port, boolean semiSync, Resources size, Optional<String> backupId) {
        return taskData(serverId, port, semiSync, size, backupId, Optional.empty());
    }

    private TaskData taskData(long serverId, int port, boolean semiSync, Resources size, Optional<String> backupId,
            Optional<String> restoreTo) {
        return new TaskData(TaskId.of(CLUSTER, serverId), CLUSTER, serverId, HOST, port, size, CLUSTER_USER, key.seal(userPassword),
                key.seal(adminPassword), backupId, semiSync, restoreTo, life);
    }

    /** As a test's {@code @RegisterExtension} field: everything it started is stopped after each test, also when it failed. */
    @Override
    public void afterEach(org.junit.jupiter.api.extension.ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        killEverything();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        deleteTree(root);
    }

    /** Detaches every runner and SIGKILLs every process whose command line names this fixture's directory. */
    private void killEverything() {
        synchronized (instances) {
            instances.forEach(i -> i.runner.detach());
        }
        var ours = ProcessHandle.allProcesses().filter(p -> commandLine(p.pid()).contains(root.toString())).toList();
        ours.forEach(ProcessHandle::destroyForcibly);
        for (var process : ours) {
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("mysqld " + process.pid() + " did not die: " + e);
            }
        }
    }

    /** The command line of a process, or "" when it is gone. */
    public static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** SIGKILL, then waits (up to 10 s) until the process is gone. */
    public static void killNow(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        var deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (isAlive(pid) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    /** True while a process runs (a zombie waiting for its parent does not count). */
    public static boolean isAlive(long pid) {
        try {
            var stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }

    /** The pids of live mysqld processes started with {@code sandbox}'s my.cnf. */
    public static List<Long> mysqldsOf(Path sandbox) {
        var config = "--defaults-file=" + sandbox.toAbsolutePath().normalize().resolve("my.cnf");
        return ProcessHandle.allProcesses().map(ProcessHandle::pid)
                .filter(pid -> commandLine(pid).contains(config) && isAlive(pid)).toList();
    }

    private static void deleteTree(Path dir) {
        try {
            io.mysos.executor.mysql.SandboxLayout.deleteTree(dir);
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    /** One MySQL instance of the test cluster: its task data, sandbox, runner and what the runner reported. */
    public final class Instance {
        private final long serverId;
        private final MySqlInstallation mysql;
        private final int port = freePort();
        private final Path sandbox;
        private final TaskData data;
        private TaskRunner runner;
        private RecordingListener events;
        private final Isolation isolation;
        private TaskRunner.Timeouts timeouts = TaskRunner.Timeouts.DEFAULT;
        private final Optional<io.mysos.executor.backup.InstanceBackups> backups;

        private Instance(long serverId, MySqlInstallation mysql, boolean semiSync, Resources size, Isolation isolation) {
            this(serverId, mysql, semiSync, size, isolation, Optional.empty(), Optional.empty(), Optional.empty());
        }

        private Instance(long serverId, MySqlInstallation mysql, boolean semiSync, Resources size, Isolation isolation,
                Optional<io.mysos.executor.backup.InstanceBackups> backups, Optional<String> backupId, Optional<String> restoreTo) {
            this(serverId, mysql, semiSync, size, isolation, backups, backupId, restoreTo, root.resolve("instance-" + serverId));
        }

        private Instance(long serverId, MySqlInstallation mysql, boolean semiSync, Resources size, Isolation isolation,
                Optional<io.mysos.executor.backup.InstanceBackups> backups, Optional<String> backupId, Optional<String> restoreTo,
                Path sandbox) {
            this.serverId = serverId;
            this.mysql = mysql;
            this.isolation = isolation;
            this.backups = backups;
            this.sandbox = sandbox;
            this.data = taskData(serverId, port, semiSync, size, backupId, restoreTo);
            newRunner();
        }

        public TaskData data() {
            return data;
        }

        public TaskId taskId() {
            return data.taskId();
        }

        public long serverId() {
            return serverId;
        }

        public int port() {
            return port;
        }

        public Path sandbox() {
            return sandbox;
        }

        public String adminPassword() {
            return adminPassword;
        }

        public String userPassword() {
            return userPassword;
        }

        public TaskRunner runner() {
            return runner;
        }

        public RecordingListener events() {
            return events;
        }

        /** Lets go of the current runner (mysqld keeps running) and makes a new one, as a restarted scheduler would. */
        public TaskRunner newRunner() {
            if (runner != null) {
                runner.detach();
            }
            events = new RecordingListener();
            runner = new TaskRunner(data, sandbox, mysql, key, events, timeouts, isolation, backups);
            return runner;
        }

        /** Like {@link #newRunner()}, with these timeouts for it and every later runner (short health checks, say). */
        public TaskRunner newRunner(TaskRunner.Timeouts timeouts) {
            this.timeouts = timeouts;
            return newRunner();
        }

        /** Launches and waits for STARTING then RUNNING; returns the RUNNING status. */
        public TaskStatus launch() {
            runner.launch();
            return awaitRunning();
        }

        /** Waits for the STARTING and RUNNING of a launch already sent. */
        public TaskStatus awaitRunning() {
            events.expectStatus(TaskState.STARTING, START);
            return events.expectStatus(TaskState.RUNNING, START);
        }

        public ExecutorReport.Promoted promote(long epoch) {
            runner.handle(new ExecutorCommand.Promote(epoch));
            return events.expectReport(ExecutorReport.Promoted.class, STEP);
        }

        public ExecutorReport.PositionReported queryPosition(long epoch) {
            runner.handle(new ExecutorCommand.QueryPosition(epoch));
            return events.expectReport(ExecutorReport.PositionReported.class, STEP);
        }

        public ExecutorReport.Reparented reparent(long epoch, Instance master) {
            runner.handle(new ExecutorCommand.Reparent(epoch, HOST, master.port()));
            return events.expectReport(ExecutorReport.Reparented.class, STEP);
        }

        /** The pid of the live mysqld of this sandbox. */
        public long pid() {
            var pids = mysqldsOf(sandbox);
            if (pids.size() != 1) {
                throw new AssertionError("expected one mysqld for " + sandbox + ", found " + pids);
            }
            return pids.get(0);
        }

        /** Control over this instance as the admin, as the runner has it. */
        public JdbcMySqlControl control() {
            return new JdbcMySqlControl(HOST, port, TaskData.ADMIN_USER, adminPassword, installation());
        }

        public Connection connectAsAdmin() throws SQLException {
            return connect(TaskData.ADMIN_USER, adminPassword);
        }

        public Connection connectAsUser() throws SQLException {
            return connect(CLUSTER_USER, userPassword);
        }

        public Connection connect(String user, String password) throws SQLException {
            var properties = new Properties();
            properties.setProperty("user", user);
            properties.setProperty("password", password);
            properties.setProperty("connectTimeout", "2000");
            properties.setProperty("socketTimeout", "10000");
            properties.setProperty("allowPublicKeyRetrieval", "true");
            properties.setProperty("useSSL", "false");
            return DriverManager.getConnection("jdbc:mysql://" + HOST + ":" + port + "/", properties);
        }

        /** The first column of the first row of {@code sql}, run as the admin. */
        public String queryAsAdmin(String sql) throws SQLException {
            try (var connection = connectAsAdmin(); var statement = connection.createStatement();
                    var rows = statement.executeQuery(sql)) {
                return rows.next() ? rows.getString(1) : null;
            }
        }

        @Override
        public String toString() {
            return "instance " + serverId + " on port " + port;
        }
    }

    /** Launches the instances together and waits until each runs (data directories are made in parallel). */
    public static void launchTogether(Instance... instances) {
        for (var instance : instances) {
            instance.runner().launch();
        }
        for (var instance : instances) {
            instance.awaitRunning();
        }
    }

    /** Polls {@code condition} until it holds (errors count as not yet), failing after {@code timeout}. */
    public static void eventually(java.time.Duration timeout, java.util.concurrent.Callable<Boolean> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not within " + timeout.toMillis() + " ms" + (last == null ? "" : ": " + last), last);
    }
}

package io.mysos.it.mesos;

import static io.mysos.it.local.Api.form;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.mysos.it.local.Processes;
import io.mysos.it.local.Sql;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole promise on a real Mesos master and agents (see docs/mesos.md, "The end-to-end test"):
 * a 3-node cluster created through the API of {@code mysos scheduler}, a write replicated, the
 * master's mysqld killed and the failover, the scheduler killed and restarted with every task kept,
 * and the cluster deleted with its volumes destroyed and reservations released. Runs only when
 * {@code MYSOS_MESOS_MASTER} names the master ({@code host:port}); the agents must run on this
 * machine (the test kills a mysqld by its pid). Skipped otherwise.
 */
class RealMesosTest {
    static final String MASTER_ENV = "MYSOS_MESOS_MASTER";
    private static final Duration READY = Duration.ofMinutes(5);
    private static final String CLUSTER = "orders";
    private static final String TABLE = "shop.orders";

    private String masterAddress;
    private MesosMaster master;
    private Path dataDir;
    private String frameworkName;
    private int apiPort;
    private SchedulerProcess scheduler;

    @BeforeEach
    void requireMesos() throws Exception {
        masterAddress = Optional.ofNullable(System.getenv(MASTER_ENV)).map(String::trim).orElse("");
        assumeTrue(!masterAddress.isEmpty(), MASTER_ENV + " is not set (host:port of a Mesos master with at least 3 agents on this "
                + "machine): the end-to-end test against a real Mesos is skipped");
        master = new MesosMaster(masterAddress);
        dataDir = Files.createTempDirectory("mysos-mesos-e2e-");
        frameworkName = "mysos-e2e-" + Long.toHexString(System.nanoTime());
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            apiPort = probe.getLocalPort();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (master == null) {
            return; // skipped: nothing was started
        }
        try {
            if (scheduler != null) {
                scheduler.close();
            }
        } finally {
            try {
                // Whatever state the test stopped in, Mesos kills the framework's tasks and forgets it.
                var framework = master.framework(frameworkName);
                if (framework.isPresent()) {
                    master.teardown(framework.get().path("id").asText());
                }
            } catch (RuntimeException e) {
                System.err.println("Could not tear framework " + frameworkName + " down at " + masterAddress + ": " + e);
            } finally {
                Processes.removeDataDir(dataDir);
            }
        }
    }

    /** The scheduler's flags: this checkout's executor tarball, and the key in the data dir (agents on this machine). */
    private List<String> options() {
        var java = Path.of(System.getProperty("java.home"), "bin", "java");
        var executorCommand = env("MYSOS_EXECUTOR_COMMAND",
                java + " -jar mysos.jar executor --key-file " + dataDir.resolve("scheduler.key"));
        var tarball = Path.of("..", "dist", "target", "mysos-executor.tar.gz").toAbsolutePath().normalize();
        var executorUri = env("MYSOS_EXECUTOR_URI", tarball.toUri().toString());
        assertTrue(System.getenv("MYSOS_EXECUTOR_URI") != null || Files.isRegularFile(tarball),
                "no executor tarball at " + tarball + ": build it (mvn -B -pl dist -am package -DskipTests) or set MYSOS_EXECUTOR_URI");
        var options = new ArrayList<>(List.of("--master", masterAddress, "--framework-name", frameworkName,
                "--role", env("MYSOS_MESOS_ROLE", "mysos"), "--failover-timeout", "1h",
                "--executor-uri", executorUri, "--executor-command", executorCommand));
        Optional.ofNullable(System.getenv("MYSOS_MESOS_PRINCIPAL")).ifPresent(p -> options.addAll(List.of("--principal", p)));
        Optional.ofNullable(System.getenv("MYSOS_MESOS_SECRET_FILE")).ifPresent(f -> options.addAll(List.of("--secret-file", f)));
        return options;
    }

    /**
     * Longer than the build's 10-minute default: on real agents each instance fetches and unpacks the
     * executor tarball and starts a JVM and mysqld, twice for the failed master, and the restart alone
     * watches reconciliation for a minute. Within surefire's 30-minute limit for the whole fork.
     */
    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void aClusterLivesThroughAFailoverASchedulerRestartAndLeavesNothingBehindWhenDeleted() throws Exception {
        scheduler = SchedulerProcess.start(dataDir, apiPort, options(), READY);
        var api = scheduler.api();

        // Create: three instances, one per agent, each on a persistent volume of its own.
        var password = api.create(CLUSTER, form("cluster_user", "app", "num_nodes", "3"));
        var cluster = api.awaitCluster(CLUSTER, READY, c -> running(c) && instances(c).size() == 3);
        assertEquals(3, instances(cluster).stream().map(i -> i.path("host").asText()).distinct().count(),
                "never two instances of one cluster on one agent: " + cluster);
        var frameworkId = master.framework(frameworkName).orElseThrow().path("id").asText();
        assertEquals(taskIds(cluster), master.runningTasks(frameworkName), "Mesos runs exactly the cluster's tasks");
        var volumes = volumes();
        assertEquals(3, volumes.size(), "one persistent volume per instance: " + volumes);

        // Write through the master; both replicas have the rows.
        Sql.execute(cluster.path("master"), "app", password, "CREATE DATABASE shop",
                "CREATE TABLE " + TABLE + " (id BIGINT PRIMARY KEY)", "INSERT INTO " + TABLE + " VALUES (1), (2), (3)");
        for (var replica : cluster.path("replicas")) {
            Sql.awaitIds(replica, "app", password, TABLE, List.of(1L, 2L, 3L), Duration.ofSeconds(60));
        }

        // kill -9 of the master's mysqld: a replica is promoted, and the instance comes back on its own volume.
        var oldMaster = cluster.path("master");
        var mysqld = MysqldProcesses.serving(oldMaster.path("host").asText(), oldMaster.path("port").asInt());
        assertTrue(mysqld.isPresent(), "no mysqld serving " + oldMaster + " on this machine: the agents must run here");
        mysqld.get().destroyForcibly();
        var newMaster = api.awaitNewWritableMaster(CLUSTER, password, oldMaster.path("task_id").asText(), READY);
        assertEquals(List.of(1L, 2L, 3L), Sql.ids(newMaster, "app", password, TABLE), "every acknowledged row survives the failover");
        Sql.execute(newMaster, "app", password, "INSERT INTO " + TABLE + " VALUES (4)");
        var healed = api.awaitCluster(CLUSTER, READY, c -> running(c) && instances(c).size() == 3
                && !taskIds(c).contains(oldMaster.path("task_id").asText()));
        for (var instance : instances(healed)) {
            Sql.awaitIds(instance, "app", password, TABLE, List.of(1L, 2L, 3L, 4L), Duration.ofSeconds(120));
        }
        assertEquals(volumes, volumes(), "the replaced instance runs on the old master's volume, no new one");

        // kill -9 of the scheduler: Mesos keeps the tasks; the restarted scheduler takes them back, every one.
        var tasks = taskIds(healed);
        scheduler.kill();
        assertEquals(tasks, master.runningTasks(frameworkName), "the tasks run on while the scheduler is away");
        scheduler = SchedulerProcess.start(dataDir, apiPort, options(), READY);
        var restarted = scheduler.api().awaitCluster(CLUSTER, READY, RealMesosTest::running);
        assertEquals(frameworkId, master.framework(frameworkName).orElseThrow().path("id").asText(), "the same framework");
        assertTrue(master.framework(frameworkName).orElseThrow().path("active").asBoolean(), "re-registered");
        // Reconciliation has its answers within its first rounds (4 s, 8 s, 16 s, 30 s): watch a minute of them.
        var until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            var now = scheduler.api().get("/clusters/" + CLUSTER).body();
            assertEquals(tasks, taskIds(now), "reconciliation keeps every task: " + now);
            assertEquals(tasks, master.runningTasks(frameworkName), "nothing is killed or relaunched");
            Thread.sleep(2000);
        }
        Sql.execute(restarted.path("master"), "app", password, "INSERT INTO " + TABLE + " VALUES (5)");
        for (var instance : instances(restarted)) {
            Sql.awaitIds(instance, "app", password, TABLE, List.of(1L, 2L, 3L, 4L, 5L), Duration.ofSeconds(60));
        }

        // Delete: the tasks end, the volumes are destroyed and the reservations released.
        var deleted = scheduler.api().delete("/clusters/" + CLUSTER, form("password", password));
        assertTrue(deleted.status() / 100 == 2, "DELETE answered " + deleted);
        scheduler.api().awaitGone(CLUSTER, READY);
        await(() -> master.runningTasks(frameworkName).isEmpty(), "the cluster's tasks end");
        await(() -> master.leftovers(CLUSTER).isEmpty(), "the volumes are destroyed and the reservations released");
        assertFalse(scheduler.log().contains("Exception in thread"), "the scheduler's log: " + scheduler.log());
    }

    private static String env(String name, String otherwise) {
        var value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    private static boolean running(JsonNode cluster) {
        return "RUNNING".equals(cluster.path("state").asText());
    }

    private static List<JsonNode> instances(JsonNode cluster) {
        var all = new ArrayList<JsonNode>();
        if (!cluster.path("master").isMissingNode() && !cluster.path("master").isNull()) {
            all.add(cluster.path("master"));
        }
        cluster.path("replicas").forEach(all::add);
        return all;
    }

    private static List<String> taskIds(JsonNode cluster) {
        return instances(cluster).stream().map(i -> i.path("task_id").asText()).sorted().toList();
    }

    /** The persistence ids of the cluster's volumes, as the master's {@code /slaves} lists them. */
    private Set<String> volumes() {
        var ids = new TreeSet<String>();
        for (var resource : master.leftovers(CLUSTER)) {
            ids.add(resource.path("disk").path("persistence").path("id").asText());
        }
        ids.remove("");
        return ids;
    }

    private void await(BooleanSupplier condition, String what) throws Exception {
        var deadline = System.nanoTime() + READY.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + READY + "; /master/slaves: " + master.slaves()
                        + "\nscheduler log:\n" + scheduler.log());
            }
            Thread.sleep(2000);
        }
    }
}

package io.mysos.executor.isolation;

import static io.mysos.executor.MySqlProcess.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.resources.Resources;
import io.mysos.core.size.DataSize;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import io.mysos.executor.MySqlProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real mysqlds in this machine's cgroups (it has them writable, v1 here), read back from the cgroup
 * files the way an operator would check them.
 */
class CgroupIsolationTest {
    private static final Resources HALF_CPU_512MB = new Resources(0.5, DataSize.parse("512mb"), DataSize.ofGigabytes(1));
    private static final Resources SMALL = new Resources(1, DataSize.parse("256mb"), DataSize.ofGigabytes(1));
    private static final Duration QUIET = Duration.ofMillis(500);
    private MySqlProcess mysql;
    private Cgroups cgroups;
    private final List<TaskId> tasks = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        mysql = new MySqlProcess();
        cgroups = Cgroups.of(CgroupLayout.parse(Files.readString(Path.of("/proc/self/cgroup")),
                Files.readString(Path.of("/proc/self/mountinfo"))));
    }

    @AfterEach
    void tearDown() {
        mysql.close();
        tasks.forEach(cgroups::release);
    }

    @Test
    void eachMysqldRunsInItsOwnCgroupWithItsSizesLimitsUntilItIsStopped() throws Exception {
        var instance = instance(1, HALF_CPU_512MB);
        instance.launch();
        long pid = instance.runner().pid().orElseThrow();
        var cpu = cgroups.cgroupOf(instance.taskId(), "cpu").orElseThrow();
        var memory = cgroups.cgroupOf(instance.taskId(), "memory").orElseThrow();

        assertEquals(List.of(50_000L, 100_000L), cpuQuotaAndPeriod(cpu));
        assertEquals(512L * 1024 * 1024, memoryLimit(memory));
        assertTrue(procs(cpu).contains(pid), cpu + " holds mysqld " + pid);
        assertTrue(procs(memory).contains(pid), memory + " holds mysqld " + pid);
        assertTrue(Files.readString(Path.of("/proc", String.valueOf(pid), "cgroup")).contains("/mysos/" + instance.taskId().value()));

        instance.runner().kill();
        instance.events().expectStatus(TaskState.KILLED, START);

        assertFalse(Files.exists(cpu), cpu + " is removed with the instance");
        assertFalse(Files.exists(memory), memory + " is removed with the instance");
    }

    @Test
    void anAdoptedMysqldKeepsItsCgroupAndADiscardedOneLosesIt() throws Exception {
        var instance = instance(1, SMALL);
        instance.launch();
        long pid = instance.runner().pid().orElseThrow();
        var memory = cgroups.cgroupOf(instance.taskId(), "memory").orElseThrow();

        instance.newRunner().recover();
        var running = instance.events().expectStatus(TaskState.RUNNING, START);

        assertTrue(running.message().contains("adopted"), running.message());
        assertEquals(pid, instance.runner().pid().orElseThrow());
        assertTrue(procs(memory).contains(pid));
        assertEquals(256L * 1024 * 1024, memoryLimit(memory));

        instance.runner().discard().get();

        assertFalse(Files.exists(memory));
    }

    @Test
    void theMysqldOverItsMemoryLimitIsKilledAndItsNeighbourKeepsServing() throws Exception {
        var greedy = instance(1, SMALL);
        var neighbour = instance(2, SMALL);
        MySqlProcess.launchTogether(greedy, neighbour);
        long neighbourPid = neighbour.runner().pid().orElseThrow();
        var memory = cgroups.cgroupOf(greedy.taskId(), "memory").orElseThrow();
        // Below its size, so that the test need not fill 256 MB: what it uses now and 32 MB more.
        long tight = memoryUsage(memory) + (32L << 20);
        Files.writeString(memory.resolve(v1(memory) ? "memory.limit_in_bytes" : "memory.max"), tight + "\n");

        var refused = assertThrows(SQLException.class, () -> fillMemory(greedy));
        assertTrue(refused.getMessage().contains("Communications link failure"), "mysqld went away: " + refused);

        var failed = greedy.events().expectStatus(TaskState.FAILED, START);
        assertTrue(failed.message().contains("over its memory limit"), failed.message());
        assertTrue(failed.message().contains("killed by signal 9"), failed.message());
        assertEquals("1", neighbour.queryAsAdmin("SELECT 1"));
        assertEquals(neighbourPid, neighbour.pid());
        neighbour.events().expectNoStatus(QUIET);
    }

    @Test
    void aLaunchNeverFailsForCgroupsItCannotWrite() throws Exception {
        // /proc takes no new directories, not even from root: as a read-only cgroup mount would refuse.
        var unwritable = Cgroups.of(new CgroupLayout(Map.of("cpu", Path.of("/proc/self"), "memory", Path.of("/proc/self")),
                Optional.empty()));
        var instance = mysql.instance(1, SMALL, unwritable);

        instance.launch();

        assertEquals("1", instance.queryAsAdmin("SELECT 1"));
        assertEquals(Optional.empty(), unwritable.cgroupOf(instance.taskId(), "memory"), "it runs without");
        instance.runner().kill();
        instance.events().expectStatus(TaskState.KILLED, START);
    }

    private MySqlProcess.Instance instance(long serverId, Resources size) {
        var instance = mysql.instance(serverId, size, cgroups);
        tasks.add(instance.taskId());
        return instance;
    }

    /** Rows into an in-memory table, doubling until mysqld is gone (a gigabyte and more otherwise). */
    private static void fillMemory(MySqlProcess.Instance instance) throws SQLException {
        try (var connection = instance.connectAsAdmin(); var statement = connection.createStatement()) {
            statement.execute("SET SESSION max_heap_table_size = 4294967296");
            statement.execute("CREATE TEMPORARY TABLE mysql.hog (filler CHAR(255)) ENGINE=MEMORY");
            statement.execute("INSERT INTO mysql.hog VALUES (REPEAT('x', 255))");
            for (int doubling = 0; doubling < 24; doubling++) {
                try {
                    statement.execute("INSERT INTO mysql.hog SELECT * FROM mysql.hog");
                } catch (SQLException e) {
                    throw new SQLException("after " + doubling + " doublings: " + e.getMessage(), e);
                }
            }
        }
    }

    private static boolean v1(Path cgroup) {
        return Files.exists(cgroup.resolve("cgroup.clone_children"));
    }

    private static List<Long> cpuQuotaAndPeriod(Path cgroup) throws IOException {
        if (Files.exists(cgroup.resolve("cpu.cfs_quota_us"))) {
            return List.of(readLong(cgroup.resolve("cpu.cfs_quota_us")), readLong(cgroup.resolve("cpu.cfs_period_us")));
        }
        var words = Files.readString(cgroup.resolve("cpu.max")).strip().split(" ");
        return List.of(Long.parseLong(words[0]), Long.parseLong(words[1]));
    }

    private static long memoryLimit(Path cgroup) throws IOException {
        return readLong(cgroup.resolve(v1(cgroup) ? "memory.limit_in_bytes" : "memory.max"));
    }

    private static long memoryUsage(Path cgroup) throws IOException {
        return readLong(cgroup.resolve(v1(cgroup) ? "memory.usage_in_bytes" : "memory.current"));
    }

    private static List<Long> procs(Path cgroup) throws IOException {
        return Files.readAllLines(cgroup.resolve("cgroup.procs")).stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(Long::parseLong).toList();
    }

    private static long readLong(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }
}

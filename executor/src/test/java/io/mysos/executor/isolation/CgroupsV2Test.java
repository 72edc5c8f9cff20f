package io.mysos.executor.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.isolation.CgroupLimits;
import io.mysos.core.resources.Resources;
import io.mysos.core.size.DataSize;
import io.mysos.core.task.TaskId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link Cgroups} writes in cgroup v2, on a directory standing in for the v2 mount (this machine's
 * cpu and memory controllers are bound to v1, so the real v2 files are not writable here).
 */
class CgroupsV2Test {
    private static final TaskId TASK = TaskId.of("orders", 2);
    private static final CgroupLimits LIMITS = CgroupLimits.from(new Resources(0.5, DataSize.parse("512mb"), DataSize.ZERO));

    @TempDir
    Path own;

    @Test
    void enablesTheControllersDownToTheInstanceAndWritesItsLimitsAndPid() throws Exception {
        Files.writeString(own.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        var cgroups = Cgroups.of(new CgroupLayout(Map.of(), Optional.of(own)));

        cgroups.confine(TASK, LIMITS, 4242);

        var dir = own.resolve("mysos").resolve("mysos-orders-2");
        assertEquals(Optional.of(dir), cgroups.cgroupOf(TASK, "cpu"));
        assertEquals(Optional.of(dir), cgroups.cgroupOf(TASK, "memory"));
        assertEquals("50000 100000", Files.readString(dir.resolve("cpu.max")).strip());
        assertEquals(String.valueOf(512L << 20), Files.readString(dir.resolve("memory.max")).strip());
        assertEquals("4242", Files.readString(dir.resolve("cgroup.procs")).strip());
        // The last controller enabled is what a stand-in file keeps; the kernel would list both.
        assertTrue(Files.readString(own.resolve("cgroup.subtree_control")).startsWith("+"));
        assertTrue(Files.exists(own.resolve("mysos").resolve("cgroup.subtree_control")));
    }

    @Test
    void whenItsOwnCgroupCannotHandControllersDownTheInstancesGoBesideItUnderItsDelegatedParent() throws Exception {
        // systemd's Delegate= with DelegateSubgroup=supervisor: the service's cgroup hands cpu and memory
        // down, and Mysos runs in its leaf "supervisor", which has processes and so may not.
        var service = own.resolve("mysos.service");
        var supervisor = service.resolve("supervisor");
        Files.createDirectories(supervisor);
        Files.writeString(service.resolve("cgroup.subtree_control"), "cpu memory\n");
        Files.writeString(supervisor.resolve("cgroup.controllers"), "cpu memory\n");
        // A directory where the file is: writing it fails, as the kernel's EBUSY would.
        Files.createDirectory(supervisor.resolve("cgroup.subtree_control"));
        var cgroups = Cgroups.of(new CgroupLayout(Map.of(), Optional.of(supervisor)));

        cgroups.confine(TASK, LIMITS, 4242);

        var dir = service.resolve("mysos").resolve("mysos-orders-2");
        assertEquals(Optional.of(dir), cgroups.cgroupOf(TASK, "memory"));
        assertEquals("50000 100000", Files.readString(dir.resolve("cpu.max")).strip());
        assertEquals("4242", Files.readString(dir.resolve("cgroup.procs")).strip());
    }

    @Test
    void aControllerTheParentDoesNotHandDownIsLeftAlone() throws Exception {
        Files.writeString(own.resolve("cgroup.controllers"), "memory pids\n");
        var cgroups = Cgroups.of(new CgroupLayout(Map.of(), Optional.of(own)));

        cgroups.confine(TASK, LIMITS, 4242);

        var dir = own.resolve("mysos").resolve("mysos-orders-2");
        assertEquals(Optional.empty(), cgroups.cgroupOf(TASK, "cpu"));
        assertFalse(Files.exists(dir.resolve("cpu.max")));
        assertTrue(Files.exists(dir.resolve("memory.max")));
    }

    @Test
    void aCgroupThatCannotBeCreatedLeavesTheInstanceRunningWithoutLimits() throws Exception {
        Files.writeString(own.resolve("cgroup.controllers"), "cpu memory\n");
        // A file where the parent directory should be: creating anything below it fails, as on a read-only mount.
        Files.writeString(own.resolve("mysos"), "");
        var cgroups = Cgroups.of(new CgroupLayout(Map.of(), Optional.of(own)));

        cgroups.confine(TASK, LIMITS, 4242);
        cgroups.confine(TaskId.of("orders", 3), LIMITS, 4343);

        assertEquals(Optional.empty(), cgroups.cgroupOf(TASK, "memory"), "the controller is no longer used");
        assertEquals(Optional.empty(), cgroups.overLimit(TASK));
        cgroups.release(TASK);
    }

    @Test
    void reportsAnOomKillFromMemoryEvents() throws Exception {
        Files.writeString(own.resolve("cgroup.controllers"), "cpu memory\n");
        var cgroups = Cgroups.of(new CgroupLayout(Map.of(), Optional.of(own)));
        cgroups.confine(TASK, LIMITS, 4242);
        var dir = cgroups.cgroupOf(TASK, "memory").orElseThrow();
        Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 0\n");

        assertEquals(Optional.empty(), cgroups.overLimit(TASK));

        Files.writeString(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\n");
        assertTrue(cgroups.overLimit(TASK).orElseThrow().contains("over its memory limit of 512mb"));

        cgroups.confine(TASK, LIMITS, 4343);
        assertEquals(Optional.empty(), cgroups.overLimit(TASK), "the kill was of the mysqld before the restart");
    }
}

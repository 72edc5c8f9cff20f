package io.mysos.executor.isolation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CgroupLayoutTest {
    /** A hybrid machine: the controllers on v1, an empty cgroup2 beside them (this build machine's shape). */
    private static final String HYBRID_CGROUP = """
            9:name=systemd:/
            8:pids:/
            4:memory:/process_api/4d83
            2:cpuacct:/
            1:cpu:/
            0::/
            """;
    private static final String HYBRID_MOUNTS = """
            23 1 0:21 / /sys rw,nosuid - sysfs sysfs rw
            31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;

    @Test
    void findsEachV1ControllersOwnCgroupUnderItsMount() {
        var layout = CgroupLayout.parse(HYBRID_CGROUP, HYBRID_MOUNTS);

        assertEquals(Path.of("/sys/fs/cgroup/memory/process_api/4d83"), layout.v1().get("memory"));
        assertEquals(Path.of("/sys/fs/cgroup/cpu"), layout.v1().get("cpu"));
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/unified")), layout.v2());
        assertEquals(Optional.of(new CgroupLayout.Hierarchy(1, Path.of("/sys/fs/cgroup/memory/process_api/4d83"))),
                layout.hierarchyOf("memory", Set.of("memory")), "a controller bound to v1 is used there");
    }

    @Test
    void coMountedControllersShareOneDirectory() {
        var layout = CgroupLayout.parse("5:cpu,cpuacct:/user.slice\n",
                "30 25 0:26 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n");

        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct/user.slice"), layout.v1().get("cpu"));
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct/user.slice"), layout.v1().get("cpuacct"));
    }

    @Test
    void aPureV2MachineUsesTheControllersItsCgroupLists() {
        var layout = CgroupLayout.parse("0::/system.slice/mysos.service\n",
                "29 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
        var own = Path.of("/sys/fs/cgroup/system.slice/mysos.service");

        assertEquals(Map.of(), layout.v1());
        assertEquals(Optional.of(new CgroupLayout.Hierarchy(2, own)),
                layout.hierarchyOf("cpu", CgroupLayout.controllers("cpuset cpu io memory pids\n")));
        assertEquals(Optional.empty(), layout.hierarchyOf("memory", CgroupLayout.controllers("cpu io\n")),
                "a controller the parent does not hand down cannot be used");
    }

    @Test
    void aContainersMountOfItsOwnSubtreeMapsPathsBelowItsRoot() {
        var layout = CgroupLayout.parse("4:memory:/docker/abc/mysos\n",
                "35 31 0:32 /docker/abc /sys/fs/cgroup/memory ro,relatime - cgroup cgroup rw,memory\n");

        assertEquals(Path.of("/sys/fs/cgroup/memory/mysos"), layout.v1().get("memory"));
    }

    @Test
    void aCgroupOutsideTheMountedSubtreeIsNotReachable() {
        var layout = CgroupLayout.parse("4:memory:/elsewhere\n",
                "35 31 0:32 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");

        assertEquals(Map.of(), layout.v1());
    }

    @Test
    void noCgroupsMountedMeansNothingToUse() {
        var layout = CgroupLayout.parse(HYBRID_CGROUP, "23 1 0:21 / /sys rw - sysfs sysfs rw\n");

        assertEquals(Map.of(), layout.v1());
        assertEquals(Optional.empty(), layout.v2());
        assertEquals(Optional.empty(), layout.hierarchyOf("cpu", Set.of("cpu")));
    }

    @Test
    void readsEscapedSpacesInMountPoints() {
        var layout = CgroupLayout.parse("0::/\n", "29 23 0:26 / /mnt/my\\040cgroups rw - cgroup2 cgroup2 rw\n");

        assertEquals(Optional.of(Path.of("/mnt/my cgroups")), layout.v2());
    }
}

package io.mysos.executor.isolation;

import io.mysos.core.isolation.CgroupLimits;
import io.mysos.core.size.DataSize;
import io.mysos.core.task.TaskId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each instance's mysqld in a cgroup of its own, {@code <Mysos's own cgroup>/mysos/<task id>}, with a
 * cpu quota and a memory limit from its size: in cgroup v1 or v2, whichever holds each controller (in
 * v2 perhaps beside Mysos's own cgroup, see {@link #v2Base}). What cannot be written (not root, read-only, a missing controller) is said once per controller, and
 * instances then run without that limit.
 */
public final class Cgroups implements Isolation {
    private static final Logger log = LoggerFactory.getLogger(Cgroups.class);
    static final List<String> CONTROLLERS = List.of("cpu", "memory");
    /** Under Mysos's own cgroup, one directory holds every instance's. */
    static final String PARENT = "mysos";
    private static final int REMOVE_ATTEMPTS = 50;
    private static final long REMOVE_PAUSE_MS = 20;

    private final Map<String, CgroupLayout.Hierarchy> hierarchies;
    private final Set<String> unusable = ConcurrentHashMap.newKeySet();
    /** Per controller, the cgroup that holds {@value #PARENT}: Mysos's own, or in v2 perhaps its parent. */
    private final Map<String, Path> bases = new ConcurrentHashMap<>();
    /** Per task, the kernel's OOM kills in its cgroup when its current mysqld joined: only later ones are its. */
    private final Map<TaskId, Long> oomKillsBefore = new ConcurrentHashMap<>();

    private Cgroups(Map<String, CgroupLayout.Hierarchy> hierarchies) {
        this.hierarchies = Collections.unmodifiableMap(new LinkedHashMap<>(hierarchies));
    }

    /** This machine's cgroups, as this process sees them; {@link Isolation#NONE} after saying why when there are none. */
    public static Isolation detect() {
        CgroupLayout layout;
        try {
            layout = CgroupLayout.parse(Files.readString(Path.of("/proc/self/cgroup")),
                    Files.readString(Path.of("/proc/self/mountinfo")));
        } catch (IOException | RuntimeException e) {
            log.warn("Instances run without cpu and memory limits: cannot read this process's cgroups ({})", e.toString());
            return NONE;
        }
        var cgroups = of(layout);
        if (cgroups.hierarchies.isEmpty()) {
            log.warn("Instances run without cpu and memory limits: no cgroup v1 or v2 hierarchy with the cpu or memory "
                    + "controller is mounted for this process (v1 {}, v2 {})", layout.v1().keySet(),
                    layout.v2().map(Path::toString).orElse("none"));
            return NONE;
        }
        CONTROLLERS.stream().filter(c -> !cgroups.hierarchies.containsKey(c)).forEach(c -> log.warn(
                "Instances run without a {}: no cgroup hierarchy offers the {} controller to this process", what(c), c));
        log.info("Instances will be isolated in cgroups: {}", cgroups);
        return cgroups;
    }

    /** The cgroups of {@code layout}, with the v2 controllers its own v2 cgroup lists. */
    public static Cgroups of(CgroupLayout layout) {
        var v2Controllers = layout.v2().map(dir -> {
            try {
                return CgroupLayout.controllers(Files.readString(dir.resolve("cgroup.controllers")));
            } catch (IOException e) {
                return Set.<String>of();
            }
        }).orElse(Set.of());
        var found = new LinkedHashMap<String, CgroupLayout.Hierarchy>();
        for (var controller : CONTROLLERS) {
            layout.hierarchyOf(controller, v2Controllers).ifPresent(h -> found.put(controller, h));
        }
        return new Cgroups(found);
    }

    /** The directory of the task's cgroup for {@code controller}, when that controller is in use. */
    public Optional<Path> cgroupOf(TaskId task, String controller) {
        return Optional.ofNullable(hierarchies.get(controller)).filter(h -> !unusable.contains(controller))
                .map(h -> bases.getOrDefault(controller, h.ownCgroup()).resolve(PARENT).resolve(task.value()));
    }

    @Override
    public void confine(TaskId task, CgroupLimits limits, long pid) {
        for (var controller : CONTROLLERS) {
            var hierarchy = hierarchies.get(controller);
            if (hierarchy == null || unusable.contains(controller)) {
                continue;
            }
            Path dir;
            try {
                dir = create(controller, hierarchy, task);
            } catch (IOException | RuntimeException e) {
                // The directory could not be made: no instance will get one, so say it once.
                if (unusable.add(controller)) {
                    log.warn("Instances run without a {}: cannot create cgroups under {} ({}). Run Mysos as root or in a "
                            + "cgroup it may write to, or set mysos.local.isolation = none (see docs/operations.md)",
                            what(controller), hierarchy.ownCgroup(), e.toString());
                }
                continue;
            }
            try {
                writeLimit(controller, hierarchy.version(), dir, limits);
                write(dir.resolve("cgroup.procs"), Long.toString(pid));
                if (controller.equals("memory")) {
                    oomKills(task).ifPresent(kills -> oomKillsBefore.put(task, kills));
                }
            } catch (IOException | RuntimeException e) {
                log.warn("{}: mysqld (pid {}) runs without its {}: cannot write cgroup {} ({})", task, pid, what(controller), dir,
                        e.toString());
            }
        }
    }

    @Override
    public void release(TaskId task) {
        CONTROLLERS.stream().map(c -> cgroupOf(task, c)).flatMap(Optional::stream).distinct().filter(Files::isDirectory)
                .forEach(dir -> remove(task, dir));
        oomKillsBefore.remove(task);
    }

    @Override
    public Optional<String> overLimit(TaskId task) {
        var kills = oomKills(task);
        if (kills.isEmpty() || kills.get() <= oomKillsBefore.getOrDefault(task, 0L)) {
            return Optional.empty();
        }
        var dir = cgroupOf(task, "memory").orElseThrow();
        var limit = dir.resolve(hierarchies.get("memory").version() == 1 ? "memory.limit_in_bytes" : "memory.max");
        try {
            return Optional.of("mysqld went over its memory limit of " + shownSize(Files.readString(limit).strip())
                    + " and the kernel killed it (cgroup " + dir + ")");
        } catch (IOException e) {
            return Optional.of("mysqld went over its memory limit and the kernel killed it (cgroup " + dir + ")");
        }
    }

    /** How many processes the kernel killed in the task's memory cgroup for going over its limit. */
    private Optional<Long> oomKills(TaskId task) {
        var dir = cgroupOf(task, "memory");
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        var counters = dir.get().resolve(hierarchies.get("memory").version() == 1 ? "memory.oom_control" : "memory.events");
        try {
            return Optional.of(Files.readAllLines(counters).stream().map(line -> line.strip().split("\\s+"))
                    .filter(words -> words.length == 2 && words[0].equals("oom_kill"))
                    .mapToLong(words -> Long.parseLong(words[1])).sum());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Path create(String controller, CgroupLayout.Hierarchy hierarchy, TaskId task) throws IOException {
        var base = hierarchy.version() == 2 ? v2Base(controller, hierarchy.ownCgroup()) : hierarchy.ownCgroup();
        var parent = base.resolve(PARENT);
        mkdir(parent);
        if (hierarchy.version() == 2) {
            enable(parent, controller);
        }
        var dir = parent.resolve(task.value());
        mkdir(dir);
        return dir;
    }

    /**
     * v2 hands a controller to child cgroups only when their parent enables it in its subtree, and a
     * cgroup with processes of its own (other than the root) may not: Mysos's own cgroup, which holds
     * Mysos, then cannot. Its parent can, when it is delegated to Mysos (systemd's {@code Delegate=} with
     * {@code DelegateSubgroup=}): the instances' cgroups then sit beside Mysos's own, below that parent.
     */
    private Path v2Base(String controller, Path own) throws IOException {
        var known = bases.get(controller);
        if (known != null) {
            return known;
        }
        Path base;
        try {
            enable(own, controller);
            base = own;
        } catch (IOException refused) {
            var parent = own.getParent();
            if (parent == null || !enabled(parent).contains(controller)) {
                throw refused;
            }
            log.info("The {} controller cannot be handed down from Mysos's own cgroup {} ({}); instances' cgroups go "
                    + "beside it, under {}", controller, own, refused.toString(), parent.resolve(PARENT));
            base = parent;
        }
        bases.put(controller, base);
        return base;
    }

    private static void writeLimit(String controller, int version, Path dir, CgroupLimits limits) throws IOException {
        if (controller.equals("cpu")) {
            if (version == 1) {
                write(dir.resolve("cpu.cfs_period_us"), Long.toString(limits.cpuPeriodMicros()));
                write(dir.resolve("cpu.cfs_quota_us"), Long.toString(limits.cpuQuotaMicros()));
            } else {
                write(dir.resolve("cpu.max"), limits.cpuMax());
            }
        } else {
            write(dir.resolve(version == 1 ? "memory.limit_in_bytes" : "memory.max"), Long.toString(limits.memoryBytes()));
        }
    }

    private static void enable(Path dir, String controller) throws IOException {
        if (!enabled(dir).contains(controller)) {
            write(dir.resolve("cgroup.subtree_control"), "+" + controller);
        }
    }

    /** The controllers a v2 cgroup hands to its children. */
    private static Set<String> enabled(Path dir) throws IOException {
        var subtree = dir.resolve("cgroup.subtree_control");
        return Files.isRegularFile(subtree) ? CgroupLayout.controllers(Files.readString(subtree)) : Set.of();
    }

    private static void mkdir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectory(dir);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another instance may have made it at the same time; a file there is a real problem
                if (!Files.isDirectory(dir)) {
                    throw raced;
                }
            }
        }
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value + "\n", StandardCharsets.US_ASCII);
    }

    /** A cgroup is removable once its last process has left; a killed mysqld may take a moment to. */
    private static void remove(TaskId task, Path dir) {
        for (int attempt = 1; ; attempt++) {
            try {
                Files.delete(dir);
                return;
            } catch (IOException e) {
                if (attempt >= REMOVE_ATTEMPTS) {
                    log.warn("{}: could not remove its cgroup {}: {}", task, dir, e.toString());
                    return;
                }
            }
            try {
                Thread.sleep(REMOVE_PAUSE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** {@code 512mb}; v2's "max" stays as it is. */
    private static String shownSize(String bytes) {
        try {
            return new DataSize(Long.parseLong(bytes)).toString();
        } catch (RuntimeException e) {
            return bytes;
        }
    }

    private static String what(String controller) {
        return controller.equals("cpu") ? "cpu quota" : "memory limit";
    }

    @Override
    public String toString() {
        var shown = new StringBuilder();
        hierarchies.forEach((c, h) -> shown.append(shown.length() == 0 ? "" : ", ").append(c).append(" (v")
                .append(h.version()).append(") under ").append(h.ownCgroup().resolve(PARENT)));
        return shown.toString();
    }
}

package io.mysos.executor.isolation;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where this process's own cgroups are on disk, read from {@code /proc/self/cgroup} and
 * {@code /proc/self/mountinfo}: one directory per cgroup v1 controller (cpu, memory, ...) and the
 * cgroup v2 directory, each only when its hierarchy is mounted where this process can reach it.
 */
public record CgroupLayout(Map<String, Path> v1, Optional<Path> v2) {
    public CgroupLayout {
        v1 = Map.copyOf(v1);
    }

    /** Which cgroup version controls a controller, and the directory of this process's own cgroup there. */
    public record Hierarchy(int version, Path ownCgroup) {}

    /**
     * Where {@code controller} can be used: in its v1 hierarchy when one is mounted (a controller bound to
     * v1 is not available in v2), else in v2 when {@code v2Controllers} (this cgroup's
     * {@code cgroup.controllers}) lists it.
     */
    public Optional<Hierarchy> hierarchyOf(String controller, Set<String> v2Controllers) {
        var own = v1.get(controller);
        if (own != null) {
            return Optional.of(new Hierarchy(1, own));
        }
        return v2.filter(dir -> v2Controllers.contains(controller)).map(dir -> new Hierarchy(2, dir));
    }

    /** {@code cpu memory}: a {@code cgroup.controllers} file's words. */
    public static Set<String> controllers(String cgroupControllers) {
        var words = new HashSet<String>(Arrays.asList(cgroupControllers.strip().split("\\s+")));
        words.remove("");
        return words;
    }

    public static CgroupLayout parse(String procSelfCgroup, String mountinfo) {
        var mounts = mountinfo.lines().map(Mount::parse).flatMap(Optional::stream).toList();
        var v1 = new LinkedHashMap<String, Path>();
        Optional<Path> v2 = Optional.empty();
        for (var line : procSelfCgroup.lines().toList()) {
            // hierarchy-id:controller-list:cgroup-path; the path may itself contain ':'
            var parts = line.split(":", 3);
            if (parts.length < 3) {
                continue;
            }
            var path = parts[2];
            if (parts[1].isEmpty()) {
                if (parts[0].equals("0")) {
                    v2 = mounts.stream().filter(m -> m.fsType.equals("cgroup2"))
                            .flatMap(m -> m.dirOf(path).stream()).findFirst();
                }
                continue;
            }
            var controllers = Set.of(parts[1].split(","));
            mounts.stream()
                    .filter(m -> m.fsType.equals("cgroup") && m.options.containsAll(controllers))
                    .flatMap(m -> m.dirOf(path).stream())
                    .findFirst()
                    .ifPresent(dir -> controllers.stream().filter(c -> !c.startsWith("name="))
                            .forEach(c -> v1.putIfAbsent(c, dir)));
        }
        return new CgroupLayout(v1, v2);
    }

    /** One line of mountinfo: the mounted subtree's root, where it is mounted, its type and options. */
    private record Mount(String root, Path mountPoint, String fsType, Set<String> options) {
        static Optional<Mount> parse(String line) {
            int separator = line.indexOf(" - ");
            if (separator < 0) {
                return Optional.empty();
            }
            var before = line.substring(0, separator).split(" ");
            var after = line.substring(separator + 3).split(" ");
            if (before.length < 5 || after.length < 3) {
                return Optional.empty();
            }
            return Optional.of(new Mount(unescape(before[3]), Path.of(unescape(before[4])), after[0],
                    Set.of(after[2].split(","))));
        }

        /** The directory of {@code cgroupPath}, when it lies inside the mounted subtree. */
        Optional<Path> dirOf(String cgroupPath) {
            if (root.equals("/")) {
                return Optional.of(resolve(cgroupPath));
            }
            if (cgroupPath.equals(root)) {
                return Optional.of(mountPoint);
            }
            if (cgroupPath.startsWith(root + "/")) {
                return Optional.of(resolve(cgroupPath.substring(root.length())));
            }
            return Optional.empty();
        }

        private Path resolve(String cgroupPath) {
            var relative = cgroupPath.replaceFirst("^/+", "");
            return relative.isEmpty() ? mountPoint : mountPoint.resolve(relative);
        }

        /** mountinfo writes space, tab, newline and backslash as octal escapes ({@code \040}). */
        private static String unescape(String field) {
            var out = new StringBuilder();
            for (int i = 0; i < field.length(); i++) {
                char c = field.charAt(i);
                if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                    out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                    i += 3;
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}

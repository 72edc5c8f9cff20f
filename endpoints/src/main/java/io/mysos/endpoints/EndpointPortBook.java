package io.mysos.endpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mysos.core.resources.PortRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * Which ports each cluster's endpoints hold, kept in a file under the data directory so that a
 * restarted Mysos serves every cluster on the same ports again ({@code endpoints.json}:
 * {@code {"orders": {"read_write": 30000, "read_only": 30001}}}). Thread-safe.
 */
public final class EndpointPortBook {
    /** The two ports of one cluster. */
    public record Ports(int readWrite, int readOnly) {}

    /** No two free ports are left in the range. */
    public static final class NoFreePorts extends RuntimeException {
        NoFreePorts(String message) {
            super(message);
        }
    }

    private final Path file;
    private final List<PortRange> ranges;
    private final Map<String, Ports> held;

    private EndpointPortBook(Path file, List<PortRange> ranges, Map<String, Ports> held) {
        this.file = file;
        this.ranges = List.copyOf(ranges);
        this.held = held;
    }

    /** The book in {@code file} (empty when the file does not exist), giving out ports from {@code ranges}. */
    public static EndpointPortBook open(Path file, List<PortRange> ranges) {
        var held = new TreeMap<String, Ports>();
        if (Files.exists(file)) {
            try {
                var root = TargetsJson.MAPPER.readTree(Files.readString(file));
                root.fields().forEachRemaining(e -> held.put(e.getKey(),
                        new Ports(e.getValue().path("read_write").asInt(), e.getValue().path("read_only").asInt())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the endpoint ports in " + file + ": " + e.getMessage(), e);
            }
        }
        return new EndpointPortBook(file, ranges, held);
    }

    public synchronized Optional<Ports> get(String cluster) {
        return Optional.ofNullable(held.get(cluster));
    }

    public synchronized Map<String, Ports> all() {
        return Map.copyOf(held);
    }

    /** The cluster's ports: those it holds, or the lowest two free ones that {@code bindable} accepts, recorded before they are returned. */
    public synchronized Ports allocate(String cluster, IntPredicate bindable) {
        var known = held.get(cluster);
        if (known != null) {
            return known;
        }
        var taken = new HashSet<Integer>();
        held.values().forEach(p -> {
            taken.add(p.readWrite());
            taken.add(p.readOnly());
        });
        int first = -1;
        for (var range : ranges) {
            for (int port = range.begin(); port <= range.end(); port++) {
                if (taken.contains(port) || !bindable.test(port)) {
                    continue;
                }
                if (first < 0) {
                    first = port;
                } else {
                    var ports = new Ports(first, port);
                    held.put(cluster, ports);
                    save();
                    return ports;
                }
            }
        }
        throw new NoFreePorts("no two free ports left for the endpoints of " + cluster + " in " + ranges
                + "; widen --endpoint-ports");
    }

    public synchronized void release(String cluster) {
        if (held.remove(cluster) != null) {
            save();
        }
    }

    private void save() {
        ObjectNode root = TargetsJson.MAPPER.createObjectNode();
        held.forEach((name, p) -> root.putObject(name).put("read_write", p.readWrite()).put("read_only", p.readOnly()));
        try {
            var temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temp, root.toPrettyString(), StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the endpoint ports in " + file + ": " + e.getMessage(), e);
        }
    }
}

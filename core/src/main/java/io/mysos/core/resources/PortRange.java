package io.mysos.core.resources;

import io.mysos.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;

/** An inclusive range of TCP ports, as Mesos offers them ({@code 31000-31999}). */
public record PortRange(int begin, int end) {
    public PortRange {
        if (begin < 1 || end > 65535 || begin > end) {
            throw new InvalidInputException("'" + begin + "-" + end + "' is not a port range within 1-65535");
        }
    }

    public static PortRange parse(String text) {
        var parts = text.trim().split("-", -1);
        try {
            if (parts.length == 1) {
                int port = Integer.parseInt(parts[0].trim());
                return new PortRange(port, port);
            }
            if (parts.length == 2) {
                return new PortRange(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new InvalidInputException("'" + text + "' is not a port range; write it as 31000-31999");
    }

    public boolean contains(int port) {
        return port >= begin && port <= end;
    }

    public int size() {
        return end - begin + 1;
    }

    /** The ranges left after taking {@code port} out of {@code ranges}. */
    public static List<PortRange> without(List<PortRange> ranges, int port) {
        var left = new ArrayList<PortRange>();
        for (var range : ranges) {
            if (!range.contains(port)) {
                left.add(range);
                continue;
            }
            if (range.begin < port) {
                left.add(new PortRange(range.begin, port - 1));
            }
            if (port < range.end) {
                left.add(new PortRange(port + 1, range.end));
            }
        }
        return List.copyOf(left);
    }

    @Override
    public String toString() {
        return begin == end ? String.valueOf(begin) : begin + "-" + end;
    }
}

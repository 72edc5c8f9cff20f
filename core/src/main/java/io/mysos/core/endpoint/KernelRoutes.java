package io.mysos.core.endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One cluster's endpoints forwarded by the kernel (nftables DNAT) instead of through user space:
 * the table that routes a new connection from this host to its endpoint's target, and the guard
 * that refuses every packet of a connection whose target the endpoint no longer routes to. An
 * endpoint with no target has no rule: its connections reach the endpoint's listener, which holds
 * them as in user-space forwarding. Pure: renders the {@code nft -f} script; the edge runs it.
 */
public final class KernelRoutes {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private KernelRoutes() {}

    /** An IPv4 address and port a connection is sent to. */
    public record Address(String ip, int port) {
        public Address {
            if (!isIpv4(ip) || port < 1 || port > 65535) {
                throw new IllegalArgumentException("not an IPv4 address and port: " + ip + ":" + port);
            }
        }

        @Override
        public String toString() {
            return ip + ":" + port;
        }
    }

    /** The targets of one endpoint port; several are spread over in turn, none leaves the port to its listener. */
    public record Route(int port, List<Address> to) {
        public Route {
            to = List.copyOf(to);
        }
    }

    /**
     * One connection the kernel forwards: the client as it connected, the endpoint it connected to,
     * and the target it was sent to (conntrack's original and reply tuples).
     */
    public record Flow(Address client, Address endpoint, Address target) {
        /** Whether the endpoint still routes this connection's endpoint port to its target. */
        public boolean live(List<Route> routes) {
            return routes.stream().anyMatch(r -> r.port() == endpoint.port() && r.to().contains(target));
        }
    }

    /** The table of the endpoints on these two ports: the ports name the endpoint on this host (one process binds them). */
    public static String table(int readWritePort, int readOnlyPort) {
        return "mysos_" + readWritePort + "_" + readOnlyPort;
    }

    /**
     * The script that replaces {@code table} at once (one nft transaction): for each route with targets, new
     * connections from this host to {@code listen} (an IPv4 address; empty: any address of this host) at its port go
     * to its target; packets of connections to an endpoint port whose target is no longer routed are refused (reset).
     */
    public static String replace(String table, Optional<String> listen, List<Route> routes) {
        listen.ifPresent(ip -> {
            if (!isIpv4(ip)) {
                throw new IllegalArgumentException("kernel forwarding listens on an IPv4 address, not " + ip);
            }
        });
        var destination = listen.map(ip -> "ip daddr " + ip).orElse("fib daddr type local");
        var script = new StringBuilder(delete(table));
        script.append("table ip ").append(table).append(" {\n");
        var ports = routes.stream().map(r -> String.valueOf(r.port())).distinct().collect(Collectors.joining(", "));
        // Named and typed, so that `nft list` shows the ports as ports.
        script.append("  set ports {\n    type inet_service\n    elements = { ").append(ports).append(" }\n  }\n");
        script.append("  set live {\n    type inet_service . ipv4_addr . inet_service\n");
        var live = routes.stream().flatMap(r -> r.to().stream().map(a -> r.port() + " . " + a.ip() + " . " + a.port()))
                .distinct().toList();
        if (!live.isEmpty()) {
            script.append("    elements = { ").append(String.join(", ", live)).append(" }\n");
        }
        script.append("  }\n");
        script.append("  chain route {\n    type nat hook output priority -100; policy accept;\n");
        for (var route : routes) {
            if (!route.to().isEmpty()) {
                script.append("    ").append(destination).append(" tcp dport ").append(route.port()).append(" dnat ip to ")
                        .append(spread(route.to())).append('\n');
            }
        }
        script.append("  }\n");
        var guard = "    ct status dnat ct original protocol tcp ct original proto-dst @ports"
                + " ct original proto-dst . ct reply ip saddr . ct reply proto-src != @live reject with tcp reset\n";
        script.append("  chain guard_out {\n    type filter hook output priority 0; policy accept;\n").append(guard).append("  }\n");
        script.append("  chain guard_in {\n    type filter hook input priority 0; policy accept;\n").append(guard).append("  }\n");
        script.append("}\n");
        return script.toString();
    }

    /** The script that removes {@code table}, whether or not it exists. */
    public static String delete(String table) {
        return "table ip " + table + " {}\ndelete table ip " + table + "\n";
    }

    /**
     * The connections of these endpoint ports that are no longer routed, from {@code conntrack -L} lines
     * ({@code tcp 6 431999 ESTABLISHED src=C dst=E sport=c dport=e src=T dst=C sport=t dport=c [ASSURED] ...}).
     */
    public static List<Flow> stale(List<String> conntrack, Set<Integer> ports, List<Route> routes) {
        var stale = new ArrayList<Flow>();
        for (var line : conntrack) {
            parse(line).filter(f -> ports.contains(f.endpoint().port()) && !f.live(routes)).ifPresent(stale::add);
        }
        return stale;
    }

    /** A conntrack line's flow, when it is a TCP connection that was sent on to another address. */
    public static Optional<Flow> parse(String line) {
        var fields = line.trim().split("\\s+");
        if (fields.length == 0 || !fields[0].equals("tcp")) {
            return Optional.empty();
        }
        var src = new ArrayList<String>();
        var dst = new ArrayList<String>();
        var sport = new ArrayList<Integer>();
        var dport = new ArrayList<Integer>();
        try {
            for (var field : fields) {
                int eq = field.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                var value = field.substring(eq + 1);
                switch (field.substring(0, eq)) {
                    case "src" -> src.add(value);
                    case "dst" -> dst.add(value);
                    case "sport" -> sport.add(Integer.parseInt(value));
                    case "dport" -> dport.add(Integer.parseInt(value));
                    default -> { }
                }
            }
            if (src.size() < 2 || dst.size() < 2 || sport.size() < 2 || dport.size() < 2) {
                return Optional.empty();
            }
            var flow = new Flow(new Address(src.get(0), sport.get(0)), new Address(dst.get(0), dport.get(0)),
                    new Address(src.get(1), sport.get(1)));
            return flow.target().equals(flow.endpoint()) ? Optional.empty() : Optional.of(flow);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The {@code ss -K} filter that closes both ends of these connections on this host (the client's socket, and the
     * target's when it runs here); an end on another host is not matched, and the guard resets it at its next packet.
     */
    public static String closeFilter(List<Flow> flows) {
        return flows.stream().map(f -> "( src " + f.client().ip() + " and sport = :" + f.client().port() + " and dst "
                        + f.endpoint().ip() + " and dport = :" + f.endpoint().port() + " ) or ( src " + f.target().ip()
                        + " and sport = :" + f.target().port() + " and dst " + f.client().ip() + " and dport = :"
                        + f.client().port() + " )")
                .collect(Collectors.joining(" or "));
    }

    public static boolean isIpv4(String text) {
        var m = IPV4.matcher(text);
        if (!m.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }

    private static String spread(List<Address> to) {
        if (to.size() == 1) {
            return to.get(0).toString();
        }
        var entries = new ArrayList<String>();
        for (int i = 0; i < to.size(); i++) {
            entries.add(i + " : " + to.get(i).ip() + " . " + to.get(i).port());
        }
        return "numgen inc mod " + to.size() + " map { " + String.join(", ", entries) + " }";
    }
}

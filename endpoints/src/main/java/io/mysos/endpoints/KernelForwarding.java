package io.mysos.endpoints;

import io.mysos.core.endpoint.KernelRoutes;
import io.mysos.core.endpoint.KernelRoutes.Address;
import io.mysos.core.endpoint.KernelRoutes.Flow;
import io.mysos.core.endpoint.KernelRoutes.Route;
import io.mysos.core.endpoint.Target;
import io.mysos.core.endpoint.Targets;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel half of an endpoint forwarded with {@code forwarding = kernel}: an nftables table
 * ({@link KernelRoutes}) that sends connections from this host straight to the target, so their
 * packets never pass through Mysos, and that closes (with {@code ss -K}) the connections whose
 * target is no longer routed. Connections the table does not take (from other hosts, or while
 * fenced) reach the endpoint's listener and are forwarded in user space. Needs {@code nft},
 * {@code conntrack} and {@code ss} and the right to change the host's netfilter tables (root or
 * CAP_NET_ADMIN).
 */
final class KernelForwarding {
    private static final Logger LOG = LoggerFactory.getLogger(KernelForwarding.class);
    private static final long COMMAND_SECONDS = 10;
    /** Connections closed per {@code ss -K} call (its filter grows with each). */
    private static final int CLOSE_BATCH = 64;

    /** Kernel forwarding cannot run here: the message says what to install or grant. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    private final String cluster;
    private final String table;
    private final Optional<String> listen;
    private final Set<Integer> ports;
    private final int readWritePort;
    private final int readOnlyPort;
    private List<Route> routes;

    private KernelForwarding(String cluster, Optional<String> listen, int readWritePort, int readOnlyPort) {
        this.cluster = cluster;
        this.listen = listen;
        this.readWritePort = readWritePort;
        this.readOnlyPort = readOnlyPort;
        this.table = KernelRoutes.table(readWritePort, readOnlyPort);
        this.ports = Set.of(readWritePort, readOnlyPort);
        this.routes = nothingRouted();
    }

    /**
     * Takes over the table of these ports with nothing routed (a table left by an endpoint that did not stop, on the
     * same ports, is replaced and its connections closed), or says why the kernel cannot forward here.
     */
    static KernelForwarding start(String cluster, String listenHost, int readWritePort, int readOnlyPort) {
        requireTools();
        var forwarding = new KernelForwarding(cluster, listenAddress(listenHost), readWritePort, readOnlyPort);
        forwarding.apply();
        return forwarding;
    }

    /** Why the kernel cannot forward endpoints listening on {@code listenHost} here, or nothing when it can. */
    static Optional<String> unavailable(String listenHost) {
        try {
            listenAddress(listenHost);
            requireTools();
            return Optional.empty();
        } catch (Unavailable e) {
            return Optional.of(e.getMessage());
        }
    }

    /** nft, conntrack and ss are there, and this process may change netfilter tables and read conntrack's. */
    private static void requireTools() {
        run(List.of("nft", "list", "tables"), "");
        run(List.of("conntrack", "-L", "-p", "tcp", "--orig-port-dst", "1"), "");
        run(List.of("ss", "-V"), "");
    }

    private List<Route> nothingRouted() {
        return List.of(new Route(readWritePort, List.of()), new Route(readOnlyPort, List.of()));
    }

    /** Routes by {@code targets}: new connections go to them, connections to any other target are closed. */
    synchronized void route(Targets targets) {
        routes = List.of(new Route(readWritePort, addresses(targets.readWrite().stream().toList())),
                new Route(readOnlyPort, addresses(targets.readOnly())));
        apply();
    }

    /** Removes the table and closes every connection it forwarded. */
    synchronized void close() {
        routes = nothingRouted();
        try {
            closeStale();
            run(List.of("nft", "-f", "-"), KernelRoutes.delete(table));
        } catch (Unavailable e) {
            LOG.error("Endpoints of {}: could not remove nftables table {}: {}", cluster, table, e.getMessage());
        }
    }

    private void apply() {
        try {
            run(List.of("nft", "-f", "-"), KernelRoutes.replace(table, listen, routes));
        } catch (Unavailable e) {
            // Never leave a rule to a target the endpoint has left: without the table every connection reaches the
            // listener, which forwards in user space by the same targets.
            LOG.error("Endpoints of {}: the kernel routes could not be set ({}); connections are forwarded in user space",
                    cluster, e.getMessage());
            try {
                run(List.of("nft", "-f", "-"), KernelRoutes.delete(table));
            } catch (Unavailable again) {
                LOG.error("Endpoints of {}: nor could table {} be removed: {}", cluster, table, again.getMessage());
            }
            throw e;
        } finally {
            try {
                closeStale();
            } catch (Unavailable e) {
                LOG.error("Endpoints of {}: could not close connections to targets no longer routed: {}", cluster, e.getMessage());
            }
        }
    }

    /** Closes the connections of this endpoint's ports whose target is no longer routed (the guard already refuses their packets). */
    private void closeStale() {
        var lines = new ArrayList<String>();
        for (int port : ports) {
            lines.addAll(run(List.of("conntrack", "-L", "-p", "tcp", "--orig-port-dst", String.valueOf(port)), "").lines().toList());
        }
        var stale = KernelRoutes.stale(lines, ports, routes);
        for (int i = 0; i < stale.size(); i += CLOSE_BATCH) {
            List<Flow> batch = stale.subList(i, Math.min(stale.size(), i + CLOSE_BATCH));
            run(List.of("ss", "-K", "-t", "-n", "-H", KernelRoutes.closeFilter(batch)), "");
        }
        if (!stale.isEmpty()) {
            LOG.info("Endpoints of {}: closed {} connection(s) to targets no longer routed", cluster, stale.size());
        }
    }

    /** The endpoints' listen address as the table matches it: empty for every address of this host. */
    private static Optional<String> listenAddress(String host) {
        if (host.equals("0.0.0.0")) {
            return Optional.empty();
        }
        try {
            var address = InetAddress.getByName(host);
            if (address instanceof Inet4Address) {
                return Optional.of(address.getHostAddress());
            }
        } catch (UnknownHostException e) {
            // said below
        }
        throw new Unavailable("kernel forwarding needs an IPv4 listen address, not " + host);
    }

    /** The IPv4 addresses of {@code targets}; one that has none is left to the user-space forwarding. */
    private List<Address> addresses(List<Target> targets) {
        var addresses = new ArrayList<Address>();
        for (var target : targets) {
            try {
                var address = InetAddress.getByName(target.host());
                if (address instanceof Inet4Address) {
                    addresses.add(new Address(address.getHostAddress(), target.port()));
                    continue;
                }
            } catch (UnknownHostException e) {
                // below
            }
            LOG.warn("Endpoints of {}: {} has no IPv4 address; its connections are forwarded in user space", cluster, target.address());
        }
        return addresses;
    }

    /** Runs a netfilter tool, {@code input} on its standard input; its output, or why it failed. */
    static String run(List<String> command, String input) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new Unavailable(command.get(0) + " is not installed (apt-get install nftables conntrack iproute2): " + e.getMessage());
        }
        try {
            var output = drain(process.getInputStream());
            var errors = drain(process.getErrorStream());
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                throw new Unavailable(command.get(0) + " did not finish in " + COMMAND_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                var why = errors.get(COMMAND_SECONDS, TimeUnit.SECONDS).strip();
                throw new Unavailable(command.get(0) + " failed (exit " + process.exitValue() + "): "
                        + (why.isEmpty() ? "no message" : String.join("; ", why.lines().limit(3).toList()))
                        + (why.contains("Operation not permitted") ? " (kernel forwarding needs root or CAP_NET_ADMIN)" : ""));
            }
            return output.get(COMMAND_SECONDS, TimeUnit.SECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new Unavailable(command.get(0) + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable(command.get(0) + " was interrupted");
        } finally {
            process.destroyForcibly();
        }
    }

    /** Everything a tool writes on {@code stream}, read on a thread of its own so that neither pipe fills. */
    private static CompletableFuture<String> drain(InputStream stream) {
        var text = new CompletableFuture<String>();
        var reader = new Thread(() -> {
            try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        }, "mysos-netfilter-output");
        reader.setDaemon(true);
        reader.start();
        return text;
    }
}

package io.mysos.dist;

import io.mysos.core.InvalidInputException;
import io.mysos.core.cluster.ClusterName;
import io.mysos.endpoints.ApiFollower;
import io.mysos.endpoints.EndpointForwarder;
import io.mysos.endpoints.EndpointForwarder.Forwarding;
import io.mysos.endpoints.Role;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mysos router}: one cluster's read-write and read-only endpoints as a small process next to
 * the applications (as MySQL Router is deployed), following the cluster through the Mysos API.
 */
@Command(name = "router", mixinStandardHelpOptions = true,
        description = "Serve one cluster's read-write and read-only endpoints here, following its master through the Mysos API.")
final class RouterCommand implements Callable<Integer> {
    @Option(names = "--api", required = true, description = "The Mysos API, e.g. http://mysos.example.com:55001.")
    String api;

    @Option(names = "--cluster", required = true, description = "The cluster to follow.")
    String cluster;

    @Option(names = "--listen-host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--listen-rw", defaultValue = "6446", description = "Read-write port (default: ${DEFAULT-VALUE}; 0: any free port).")
    int readWritePort;

    @Option(names = "--listen-ro", defaultValue = "6447", description = "Read-only port (default: ${DEFAULT-VALUE}; 0: any free port).")
    int readOnlyPort;

    @Option(names = "--connect-wait", defaultValue = "10", description = "Seconds a new connection waits for a master during a "
            + "failover before it is closed (default: ${DEFAULT-VALUE}).")
    int connectWaitSeconds;

    @Option(names = "--forwarding", defaultValue = "user", description = "How connections from this host travel: 'user' through "
            + "the router, 'kernel' straight to the instance by nftables (needs root or CAP_NET_ADMIN, nft, conntrack and ss) "
            + "(default: ${DEFAULT-VALUE}).")
    String forwarding;

    @Override
    public Integer call() throws Exception {
        URI apiUrl;
        Forwarding how;
        try {
            ClusterName.validate(cluster);
            apiUrl = apiUrl(api);
            for (int port : new int[] {readWritePort, readOnlyPort}) {
                if (port < 0 || port > 65535) {
                    throw new InvalidInputException("ports must be within 0-65535, not " + port);
                }
            }
            how = EndpointOptions.forwarding("--forwarding", forwarding, java.util.Optional.of(host));
        } catch (InvalidInputException e) {
            System.err.println("mysos router: " + e.getMessage());
            return 2;
        }
        EndpointForwarder forwarder;
        try {
            forwarder = EndpointForwarder.start(cluster, host, readWritePort, readOnlyPort,
                    Duration.ofSeconds(connectWaitSeconds), how).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("mysos router: cannot listen on " + host + ":" + readWritePort + " and " + readOnlyPort + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            return 1;
        }
        var follower = ApiFollower.start(apiUrl, cluster, forwarder::update);
        var stopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            follower.close();
            forwarder.close();
            stopped.countDown();
        }, "mysos-router-shutdown"));
        System.out.println("mysos router: following " + cluster + " at " + apiUrl + "; read-write on " + host + ":"
                + forwarder.port(Role.READ_WRITE) + ", read-only on " + host + ":" + forwarder.port(Role.READ_ONLY));
        stopped.await();
        return 0;
    }

    static URI apiUrl(String text) {
        try {
            var url = new URI(text);
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new InvalidInputException("--api must be http(s)://host[:port], not '" + text + "'");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new InvalidInputException("--api must be http(s)://host[:port], not '" + text + "'");
        }
    }
}

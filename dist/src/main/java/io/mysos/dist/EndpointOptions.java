package io.mysos.dist;

import io.mysos.core.resources.PortRange;
import io.mysos.endpoints.EndpointForwarder.Forwarding;
import io.mysos.endpoints.serverset.ZkUrl;
import java.util.List;
import java.util.Optional;

/**
 * How Mysos serves and publishes the clusters' endpoints: {@code ports} for the endpoints it serves
 * itself in local mode (none: it serves none), {@code zk} the ZooKeeper URL to publish ServerSets under,
 * {@code forwarding} how the endpoints it serves carry connections from this host.
 */
public record EndpointOptions(List<PortRange> ports, Optional<ZkUrl> zk, Forwarding forwarding) {
    public static final String DEFAULT_PORTS = "30000-30999";

    public EndpointOptions {
        ports = List.copyOf(ports);
    }

    public EndpointOptions(List<PortRange> ports, Optional<ZkUrl> zk) {
        this(ports, zk, Forwarding.USER);
    }

    /** Endpoints on the default ports, forwarded in user space, nothing published. */
    public static EndpointOptions defaults() {
        return new EndpointOptions(List.of(PortRange.parse(DEFAULT_PORTS)), Optional.empty());
    }

    public EndpointOptions withZk(ZkUrl url) {
        return new EndpointOptions(ports, Optional.of(url), forwarding);
    }

    public EndpointOptions withForwarding(Forwarding how) {
        return new EndpointOptions(ports, zk, how);
    }
}

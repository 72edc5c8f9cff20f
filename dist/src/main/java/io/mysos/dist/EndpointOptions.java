package io.mysos.dist;

import io.mysos.core.InvalidInputException;
import io.mysos.core.resources.PortRange;
import io.mysos.endpoints.EndpointForwarder;
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

    /**
     * The value of {@code flag} ({@code user} or {@code kernel}); {@code kernel} is refused, saying why, where the kernel
     * cannot forward endpoints listening on {@code host} (empty: none are served, nothing to check).
     */
    static Forwarding forwarding(String flag, String value, Optional<String> host) {
        Forwarding how;
        try {
            how = Forwarding.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(flag + " is 'user' or 'kernel', not '" + value + "'");
        }
        if (how == Forwarding.KERNEL && host.isPresent()) {
            EndpointForwarder.kernelUnavailable(host.get()).ifPresent(why -> {
                throw new InvalidInputException(flag + " kernel: " + why);
            });
        }
        return how;
    }

    public EndpointOptions withForwarding(Forwarding how) {
        return new EndpointOptions(ports, zk, how);
    }
}

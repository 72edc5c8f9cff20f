package io.mysos.endpoints;

import java.util.Optional;

/**
 * Where clients reach a cluster: the stable endpoints Mysos serves for it (local mode), and the
 * {@code cluster_url} to give out when it is not the API's (a ZooKeeper URL with {@code --zk}).
 */
public interface EndpointDirectory {
    /** {@code host:port} of each endpoint. */
    record Addresses(String readWrite, String readOnly) {}

    /** The cluster's endpoints, allocated on first ask where Mysos serves them. */
    Optional<Addresses> addresses(String cluster);

    default Optional<String> clusterUrl(String cluster) {
        return Optional.empty();
    }

    EndpointDirectory NONE = cluster -> Optional.empty();

    /** {@code endpoints}, with {@code clusterUrl} from {@code urls}. */
    static EndpointDirectory of(EndpointDirectory endpoints, java.util.function.Function<String, Optional<String>> urls) {
        return new EndpointDirectory() {
            @Override
            public Optional<Addresses> addresses(String cluster) {
                return endpoints.addresses(cluster);
            }

            @Override
            public Optional<String> clusterUrl(String cluster) {
                return urls.apply(cluster);
            }
        };
    }
}

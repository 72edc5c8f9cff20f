package io.mysos.dist;

import io.mysos.endpoints.serverset.ZkUrl;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --zk URL} for {@code mysos local} and {@code mysos scheduler}: where clusters are published as ServerSets. */
final class ServerSetOption {
    @Option(names = "--zk", description = "Publish every cluster as ServerSets under zk://HOST:PORT[,HOST:PORT...]/path "
            + "(as original Mysos did); cluster_url is then <url>/<cluster>.")
    String url;

    /** The ZooKeeper URL given, parsed; empty: no publishing. */
    Optional<ZkUrl> zk() {
        return Optional.ofNullable(url).map(ZkUrl::parse);
    }
}

package io.mysos.dist;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.endpoints.EndpointDirectory;
import io.mysos.endpoints.EndpointPortBook;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What Mysos runs so applications follow the master: the endpoints it serves itself (local mode)
 * and the ServerSets it publishes in ZooKeeper ({@code --zk}); and what the API says of both.
 */
final class Endpoints implements AutoCloseable {
    static final Endpoints NONE = new Endpoints(EndpointDirectory.NONE, List.of());

    private final EndpointDirectory directory;
    private final List<AutoCloseable> parts;

    private Endpoints(EndpointDirectory directory, List<AutoCloseable> parts) {
        this.directory = directory;
        this.parts = List.copyOf(parts);
    }

    /** Local mode: endpoints on {@code options}' ports, ServerSets if asked for. */
    static Endpoints start(ActorSystem<?> system, ActorRef<ClusterRegistry.Command> registry, LocalSettings settings,
                           EndpointOptions options) {
        var parts = new ArrayList<AutoCloseable>();
        EndpointDirectory served = EndpointDirectory.NONE;
        if (!options.ports().isEmpty()) {
            var book = EndpointPortBook.open(settings.dataDir().resolve("endpoints.json"), options.ports());
            var local = new LocalEndpoints(system, registry, settings.host(), shownHost(settings.host(), settings.advertisedUrl()), book,
                    options.forwarding());
            parts.add(local);
            served = local;
        }
        return published(system, registry, served, options, parts);
    }

    /** Under Mesos: no endpoints served here (use {@code mysos router}); ServerSets if asked for. */
    static Endpoints start(ActorSystem<?> system, ActorRef<ClusterRegistry.Command> registry, EndpointOptions options) {
        return published(system, registry, EndpointDirectory.NONE, options, new ArrayList<>());
    }

    private static Endpoints published(ActorSystem<?> system, ActorRef<ClusterRegistry.Command> registry, EndpointDirectory served,
                                       EndpointOptions options, List<AutoCloseable> parts) {
        if (options.zk().isEmpty()) {
            return new Endpoints(served, parts);
        }
        var zk = options.zk().get();
        parts.add(ServerSets.start(system, registry, zk));
        return new Endpoints(EndpointDirectory.of(served, cluster -> Optional.of(zk.clusterUrl(cluster))), parts);
    }

    EndpointDirectory directory() {
        return directory;
    }

    /** The host clients reach the endpoints at: where they listen, or the advertised name for a wildcard. */
    static String shownHost(String host, URI advertised) {
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        return wildcard ? advertised.getHost() : host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    @Override
    public void close() {
        for (var part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Endpoints.class).warn("Closing {}: {}", part, e.getMessage());
            }
        }
    }
}

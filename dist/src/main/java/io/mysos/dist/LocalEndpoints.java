package io.mysos.dist;

import akka.actor.Cancellable;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.actors.cluster.ClusterView;
import io.mysos.endpoints.EndpointDirectory;
import io.mysos.endpoints.EndpointForwarder;
import io.mysos.endpoints.EndpointPortBook;
import io.mysos.endpoints.EndpointSettings;
import io.mysos.http.EndpointRoutes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints Mysos serves itself in local mode: for every cluster a read-write and a read-only
 * port from {@code --endpoint-ports} (kept in {@code endpoints.json} under the data directory, so a
 * restart serves them on the same ports), forwarding to where the cluster's view says. It follows
 * the clusters through the registry's views, as {@code mysos router} follows one through the API.
 */
final class LocalEndpoints implements EndpointDirectory, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalEndpoints.class);
    /** Ports of a cluster not seen since the start are kept this long (the registry may still be recovering). */
    private static final Duration UNSEEN_GRACE = Duration.ofMinutes(1);
    private static final Duration RETRY_BIND = Duration.ofSeconds(10);

    private final ActorSystem<?> system;
    private final ActorRef<ClusterRegistry.Command> registry;
    private final String listenHost;
    private final String shownHost;
    private final EndpointPortBook book;
    private final EndpointSettings settings;
    private final EndpointForwarder.Forwarding forwarding;
    private final Instant started = Instant.now();
    private final Map<String, EndpointForwarder> forwarders = new ConcurrentHashMap<>();
    private final Map<String, Instant> failedAt = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Cancellable poll;
    /**
     * Where the views are applied: with kernel forwarding an update runs nft, conntrack and ss (tens of
     * milliseconds), which must not hold a thread of the actors' dispatcher.
     */
    private final java.util.concurrent.ExecutorService applying = java.util.concurrent.Executors.newSingleThreadExecutor(task -> {
        var thread = new Thread(task, "mysos-endpoints-follow");
        thread.setDaemon(true);
        return thread;
    });

    LocalEndpoints(ActorSystem<?> system, ActorRef<ClusterRegistry.Command> registry, String listenHost, String shownHost,
                   EndpointPortBook book, EndpointForwarder.Forwarding forwarding) {
        this.forwarding = forwarding;
        this.system = system;
        this.registry = registry;
        this.listenHost = listenHost;
        this.shownHost = shownHost;
        this.book = book;
        this.settings = EndpointSettings.fromConfig(system.settings().config());
        book.all().keySet().forEach(this::serve);
        this.poll = system.scheduler().scheduleWithFixedDelay(settings.pollInterval(), settings.pollInterval(), this::follow,
                system.executionContext());
    }

    @Override
    public Optional<Addresses> addresses(String cluster) {
        try {
            var ports = book.allocate(cluster, LocalEndpoints::bindable);
            serve(cluster);
            return Optional.of(new Addresses(shownHost + ":" + ports.readWrite(), shownHost + ":" + ports.readOnly()));
        } catch (EndpointPortBook.NoFreePorts | java.io.UncheckedIOException e) {
            LOG.error("No endpoints for {}: {}", cluster, e.getMessage());
            return Optional.empty();
        }
    }

    /** One look at every cluster: new targets to the forwarders, endpoints for new clusters, none for those gone. */
    private void follow() {
        CompletionStage<List<ClusterView>> list = AskPattern.ask(registry, ClusterRegistry.ListClusters::new, Duration.ofSeconds(5),
                system.scheduler());
        list.whenCompleteAsync((views, failure) -> {
                    if (failure != null) {
                        LOG.debug("Endpoints: the registry did not answer ({})", failure.getMessage());
                        return;
                    }
                    var present = new HashSet<String>();
                    for (var view : views) {
                        present.add(view.name());
                        seen.add(view.name());
                        if (book.get(view.name()).isEmpty()) {
                            addresses(view.name());
                        }
                        serve(view.name());
                        var forwarder = forwarders.get(view.name());
                        if (forwarder != null) {
                            forwarder.update(EndpointRoutes.targets(view, settings));
                        }
                    }
                    boolean graceOver = Instant.now().isAfter(started.plus(UNSEEN_GRACE));
                    book.all().keySet().stream().filter(name -> !present.contains(name))
                            .filter(name -> seen.contains(name) || graceOver)
                            .forEach(this::retire);
                }, applying);
    }

    /** Listens on the cluster's ports, once (again after a failed bind, every few seconds). */
    private synchronized void serve(String cluster) {
        var ports = book.get(cluster);
        if (ports.isEmpty() || forwarders.containsKey(cluster)) {
            return;
        }
        var failed = failedAt.get(cluster);
        if (failed != null && Instant.now().isBefore(failed.plus(RETRY_BIND))) {
            return;
        }
        try {
            var forwarder = EndpointForwarder.start(cluster, listenHost, ports.get().readWrite(), ports.get().readOnly(),
                    settings.connectWait(), forwarding).toCompletableFuture().get(10, TimeUnit.SECONDS);
            forwarders.put(cluster, forwarder);
            failedAt.remove(cluster);
            LOG.info("Endpoints of {}: read-write {}:{}, read-only {}:{}", cluster, shownHost, ports.get().readWrite(),
                    shownHost, ports.get().readOnly());
        } catch (Exception e) {
            failedAt.put(cluster, Instant.now());
            LOG.error("Cannot serve the endpoints of {} on ports {} and {}: {}", cluster, ports.get().readWrite(),
                    ports.get().readOnly(), e.getMessage());
        }
    }

    private synchronized void retire(String cluster) {
        var forwarder = forwarders.remove(cluster);
        if (forwarder != null) {
            forwarder.close();
        }
        book.release(cluster);
        seen.remove(cluster);
        LOG.info("Endpoints of {} closed: the cluster is gone", cluster);
    }

    private static boolean bindable(int port) {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        poll.cancel();
        // A look at the views under way finishes first: none may serve a cluster again after this.
        applying.shutdown();
        try {
            if (!applying.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Endpoints: a look at the clusters did not finish in 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forwarders.values().forEach(f -> {
            try {
                f.close().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Endpoints did not close in time: {}", e.getMessage());
            }
        });
        forwarders.clear();
    }
}

package io.mysos.dist;

import akka.actor.Cancellable;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.actors.cluster.ClusterView;
import io.mysos.endpoints.EndpointSettings;
import io.mysos.endpoints.serverset.ServerSet;
import io.mysos.endpoints.serverset.ServerSetPublisher;
import io.mysos.endpoints.serverset.ZkUrl;
import io.mysos.http.EndpointRoutes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Publishes every cluster as ServerSets in ZooKeeper ({@code --zk}), following the registry's
 * views: the master once writable, the running replicas, and no znode for a cluster that is gone
 * (also one deleted while Mysos was down, once the registry has had a minute to recover).
 */
final class ServerSets implements AutoCloseable {
    private static final Duration RECOVERY_GRACE = Duration.ofMinutes(1);

    private final ServerSetPublisher publisher;
    private final Cancellable poll;

    private ServerSets(ServerSetPublisher publisher, Cancellable poll) {
        this.publisher = publisher;
        this.poll = poll;
    }

    static ServerSets start(ActorSystem<?> system, ActorRef<ClusterRegistry.Command> registry, ZkUrl zk) {
        var publisher = ServerSetPublisher.start(zk);
        var settings = EndpointSettings.fromConfig(system.settings().config());
        var started = Instant.now();
        var interval = settings.pollInterval().multipliedBy(2);
        Runnable follow = () -> {
            CompletionStage<List<ClusterView>> list = AskPattern.ask(registry, ClusterRegistry.ListClusters::new,
                    Duration.ofSeconds(5), system.scheduler());
            list.thenAccept(views -> {
                var sets = new HashMap<String, ServerSet>();
                views.forEach(v -> sets.put(v.name(), ServerSet.of(v.routing(), EndpointRoutes.targets(v, settings))));
                publisher.publish(sets, Instant.now().isAfter(started.plus(RECOVERY_GRACE)));
            });
        };
        var poll = system.scheduler().scheduleWithFixedDelay(interval, interval, follow, system.executionContext());
        return new ServerSets(publisher, poll);
    }

    @Override
    public void close() {
        poll.cancel();
        publisher.close();
    }
}

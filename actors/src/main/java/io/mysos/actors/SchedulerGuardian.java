package io.mysos.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.actors.resource.ResourceSide;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The root of the scheduler's actors: the resource side (local agent or Mesos gateway), the offer
 * router and the cluster registry, wired to each other. Hands their refs out through a future.
 */
public final class SchedulerGuardian {
    /** The actors the HTTP layer talks to. */
    public record Refs(ActorRef<ClusterRegistry.Command> registry, ActorRef<OfferRouter.Command> router) {}

    private SchedulerGuardian() {}

    public static Behavior<Void> create(Behavior<ResourceSide.Command> resourceSide, ClusterActor.Settings clusterSettings,
                                        CompletableFuture<Refs> refs) {
        return Behaviors.setup(context -> {
            var side = context.spawn(resourceSide, "resources");
            var router = context.spawn(OfferRouter.create(Duration.ofSeconds(5)), "offer-router");
            var registry = context.spawn(ClusterRegistry.create(router, side, clusterSettings), "registry");
            side.tell(new ResourceSide.Attach(router, registry));
            refs.complete(new Refs(registry, router));
            return Behaviors.empty();
        });
    }
}

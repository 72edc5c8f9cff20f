package io.mysos.actors.scheduler;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.ChildFailed;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import io.mysos.actors.DeepStackExecutor;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.actors.resource.ResourceSide;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The root of the scheduler's actors: the resource side (local agent or Mesos gateway), the offer
 * router and the cluster registry. Hands their refs out through a future. It watches the three: the
 * registry comes back from journal failures by itself and the router restarts a few times, but if
 * one of them stops for good the scheduler cannot work, so the guardian stops the actor system and
 * completes {@code fatal} with the reason; the process then exits non-zero for its supervisor
 * (systemd, Marathon) to start it again.
 */
public final class SchedulerGuardian {
    /** The actors the HTTP layer talks to. */
    public record Refs(ActorRef<ClusterRegistry.Command> registry, ActorRef<OfferRouter.Command> router) {}

    /** The timeouts of the {@code mysos.scheduler} section (see the actors' reference.conf). */
    public record Timeouts(Duration create, Duration place) {
        public static Timeouts fromConfig(com.typesafe.config.Config config) {
            var scheduler = config.getConfig("mysos.scheduler");
            return new Timeouts(scheduler.getDuration("create-timeout"), scheduler.getDuration("place-timeout"));
        }
    }

    /** A router or registry that fails this often within this window (journal failures aside) is not restarted again. */
    static final int RESTARTS = 3;
    static final Duration RESTART_WINDOW = Duration.ofMinutes(1);

    private SchedulerGuardian() {}

    /** With the timeouts of the actor system's configuration. */
    public static Behavior<Void> create(Behavior<ResourceSide.Command> resourceSide, ClusterActor.Settings clusterSettings,
                                        CompletableFuture<Refs> refs, CompletableFuture<String> fatal) {
        return Behaviors.setup(context -> start(context, resourceSide, clusterSettings,
                Timeouts.fromConfig(context.getSystem().settings().config()), refs, fatal));
    }

    public static Behavior<Void> create(Behavior<ResourceSide.Command> resourceSide, ClusterActor.Settings clusterSettings,
                                        Timeouts timeouts, CompletableFuture<Refs> refs, CompletableFuture<String> fatal) {
        return Behaviors.setup(context -> start(context, resourceSide, clusterSettings, timeouts, refs, fatal));
    }

    private static Behavior<Void> start(ActorContext<Void> context, Behavior<ResourceSide.Command> resourceSide,
                                        ClusterActor.Settings clusterSettings, Timeouts timeouts,
                                        CompletableFuture<Refs> refs, CompletableFuture<String> fatal) {
        // The resource side may be persistent (the Mesos framework records its framework id).
        var side = context.spawn(resourceSide, "resources", DeepStackExecutor.PROPS);
        var router = context.spawn(Behaviors.supervise(OfferRouter.create(side, timeouts.place()))
                .onFailure(SupervisorStrategy.restart().withLimit(RESTARTS, RESTART_WINDOW)), "offer-router");
        // Journal failures restart the registry with backoff from within; anything else a few times here.
        var registry = context.spawn(Behaviors.supervise(ClusterRegistry.create(router, side, clusterSettings, timeouts.create()))
                .onFailure(SupervisorStrategy.restart().withLimit(RESTARTS, RESTART_WINDOW)), "registry", DeepStackExecutor.PROPS);
        var roles = Map.<ActorRef<?>, String>of(side, "the resource side", router, "the offer router", registry, "the cluster registry");
        roles.keySet().forEach(context::watch);
        refs.complete(new Refs(registry, router));
        return Behaviors.<Void>receive(Void.class)
                .onSignal(Terminated.class, signal -> {
                    var reason = roles.getOrDefault(signal.getRef(), signal.getRef().path().name()) + " stopped"
                            + (signal instanceof ChildFailed failed ? ": " + failed.getCause() : "");
                    context.getLog().error("The scheduler cannot go on without its parts: {}; stopping", reason);
                    fatal.complete(reason);
                    return Behaviors.stopped();
                })
                .build();
    }
}

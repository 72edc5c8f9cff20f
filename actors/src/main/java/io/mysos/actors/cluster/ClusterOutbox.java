package io.mysos.actors.cluster;

import akka.actor.typed.ActorRef;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.cluster.Instance;
import io.mysos.core.cluster.Volume;
import io.mysos.core.cluster.Volumes;
import io.mysos.core.failover.Action;
import io.mysos.core.failover.Observed;
import io.mysos.core.offer.Demand;
import io.mysos.core.resources.Resources;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Everything a cluster actor tells others: actions to the resource side, its demand to the router, its view to the registry. */
final class ClusterOutbox {
    private final String name;
    private final ClusterActor.Peers peers;
    /** Where the router's placement requests and shortfalls reach the cluster actor (an adapter). */
    private final ActorRef<OfferRouter.ToCluster> fromRouter;
    private final org.slf4j.Logger log;
    private final Clock clock;
    /** The persistent volumes last said to be held. */
    private List<String> lastHeld = List.of();
    private final ClusterBackups backups;

    ClusterOutbox(String name, ClusterActor.Peers peers, ActorRef<OfferRouter.ToCluster> fromRouter, org.slf4j.Logger log,
                  Clock clock, ClusterBackups backups) {
        this.backups = backups;
        this.name = name;
        this.peers = peers;
        this.fromRouter = fromRouter;
        this.log = log;
        this.clock = clock;
    }

    void act(List<Action> actions) {
        for (var action : actions) {
            if (action instanceof Action.Send send) {
                peers.resources().tell(new ResourceSide.Send(send.task(), send.command()));
            } else if (action instanceof Action.Kill kill) {
                log.info("Killing task {} of cluster {}", kill.task(), name);
                peers.resources().tell(new ResourceSide.Kill(kill.task()));
            } else if (action instanceof Action.Release release) {
                peers.resources().tell(new ResourceSide.Release(release.task()));
            } else if (action instanceof Action.Reconcile reconcile) {
                peers.resources().tell(new ResourceSide.Reconcile(reconcile.tasks()));
            }
        }
    }

    /**
     * What the router should place for this cluster: nothing while it is being deleted or has ended,
     * or while the back-off holds the next replacement.
     */
    void tellDemand(ClusterState state) {
        var now = clock.instant();
        var demand = state.current().map(life -> new Demand(name, backups.needed(state, life, now),
                        life.spec().size(), life.live().stream().map(Instance::host).collect(Collectors.toSet()),
                        life.createdAt().toEpochMilli(),
                        Volumes.reusable(life).stream().map(Volume::id).toList()))
                .orElse(new Demand(name, 0, Resources.NONE, Set.of(), 0));
        peers.router().tell(new OfferRouter.UpdateDemand(demand, fromRouter));
        // Again on every tick while it holds some (a restarted resource side learns it), and once when it holds none any more.
        var held = state.current().map(Volumes::held).orElse(List.of());
        if (!held.isEmpty() || !lastHeld.isEmpty()) {
            peers.resources().tell(new ResourceSide.HoldVolumes(name, held));
        }
        lastHeld = held;
    }

    /** Passes a relayed message on: the actor handles it only after the events of the command before it are written. */
    <R> R relay(ClusterProtocol.Relay relay, R effect) {
        relay.to().tell(relay.message());
        return effect;
    }

    /** What the API should show. */
    void publish(ClusterState state, Observed observed) {
        peers.registry().tell(new ClusterRegistry.ViewChanged(name, ClusterViews.view(name, state, observed, clock.instant())));
    }

    /** The cluster's life ended (or had ended before a restart): the registry forgets the name. */
    void gone() {
        peers.registry().tell(new ClusterRegistry.ClusterGone(name));
    }
}

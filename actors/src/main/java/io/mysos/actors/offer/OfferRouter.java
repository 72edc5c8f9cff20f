package io.mysos.actors.offer;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.mysos.actors.JsonSerializable;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.offer.Demand;
import io.mysos.core.offer.Offer;
import io.mysos.core.offer.OfferMatcher;
import io.mysos.core.offer.Placement;
import io.mysos.core.protocol.TaskData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches resource offers to the clusters that need instances, first come first served (the
 * decision is {@link OfferMatcher}'s). Each placement is put to its cluster actor, which records
 * the instance before anything is launched; the router then launches the accepted tasks of an
 * offer in one call and declines what nobody took. With no demand it suppresses offers.
 */
public final class OfferRouter extends AbstractBehavior<OfferRouter.Command> {

    public sealed interface Command extends JsonSerializable {}

    /** A resource side is up and will send offers. */
    public record ResourcesConnected(ActorRef<ResourceSide.Command> side) implements Command {}

    /** The resource side lost its connection; offers it sent are void. */
    public enum ResourcesDisconnected implements Command { INSTANCE }

    public record OffersReceived(List<Offer> offers) implements Command {}

    public record OfferRescinded(String offerId) implements Command {}

    /** A cluster's current need; {@code instances == 0} withdraws it. */
    public record UpdateDemand(Demand demand, ActorRef<ClusterActor.Command> cluster) implements Command {}

    public record GetStatus(ActorRef<Status> replyTo) implements Command {}

    /** Whether resources are connected, and how many instances clusters are waiting for. */
    public record Status(boolean connected, int instancesWanted) implements JsonSerializable {}

    private record PlacementAnswered(Placement placement, Optional<TaskData> task) implements Command {}

    /** One offer whose placements are being put to their clusters. */
    private record PendingOffer(Offer offer, int awaiting, List<TaskData> accepted) {}

    private final Duration placeTimeout;
    private Optional<ActorRef<ResourceSide.Command>> side = Optional.empty();
    private final Map<String, UpdateDemand> demands = new LinkedHashMap<>();
    private final Map<String, PendingOffer> pending = new HashMap<>();
    private boolean suppressed = true;

    public static Behavior<Command> create(Duration placeTimeout) {
        return Behaviors.setup(context -> new OfferRouter(context, placeTimeout));
    }

    private OfferRouter(ActorContext<Command> context, Duration placeTimeout) {
        super(context);
        this.placeTimeout = placeTimeout;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(ResourcesConnected.class, this::onConnected)
                .onMessageEquals(ResourcesDisconnected.INSTANCE, this::onDisconnected)
                .onMessage(OffersReceived.class, this::onOffers)
                .onMessage(OfferRescinded.class, this::onRescinded)
                .onMessage(UpdateDemand.class, this::onDemand)
                .onMessage(PlacementAnswered.class, this::onAnswered)
                .onMessage(GetStatus.class, this::onGetStatus)
                .build();
    }

    private Behavior<Command> onConnected(ResourcesConnected msg) {
        side = Optional.of(msg.side());
        suppressed = true;
        reviveOrSuppress();
        return this;
    }

    private Behavior<Command> onDisconnected() {
        side = Optional.empty();
        pending.clear();
        demands.values().forEach(d -> d.cluster().tell(new ClusterActor.Shortfall(
                Optional.of("waiting for resources: no resources are connected"))));
        return this;
    }

    private Behavior<Command> onDemand(UpdateDemand msg) {
        var name = msg.demand().cluster();
        var before = Optional.ofNullable(demands.get(name)).map(UpdateDemand::demand);
        if (msg.demand().instances() <= 0) {
            demands.remove(name);
            if (before.isPresent()) {
                msg.cluster().tell(new ClusterActor.Shortfall(Optional.empty()));
            }
        } else {
            demands.put(name, msg);
            if (side.isEmpty()) {
                msg.cluster().tell(new ClusterActor.Shortfall(Optional.of("waiting for resources: no resources are connected")));
            }
        }
        // Clusters repeat their demand periodically; only a change is news to the resource side.
        if (!before.equals(Optional.of(msg.demand()).filter(d -> d.instances() > 0))) {
            reviveOrSuppress();
        }
        return this;
    }

    private Behavior<Command> onOffers(OffersReceived msg) {
        if (side.isEmpty()) {
            return this;
        }
        var wanted = demands.values().stream().map(UpdateDemand::demand).toList();
        var match = OfferMatcher.match(msg.offers(), wanted);
        if (!match.unusedOffers().isEmpty()) {
            side.get().tell(new ResourceSide.Decline(match.unusedOffers()));
        }
        var offersById = new HashMap<String, Offer>();
        msg.offers().forEach(o -> offersById.put(o.id(), o));
        var placedPerCluster = new HashMap<String, Integer>();
        OfferMatcher.byOffer(match.placements()).forEach((offerId, placements) -> {
            pending.put(offerId, new PendingOffer(offersById.get(offerId), placements.size(), List.of()));
            placements.forEach(p -> {
                placedPerCluster.merge(p.cluster(), 1, Integer::sum);
                ask(p);
            });
        });
        for (var demand : demands.values()) {
            var placed = placedPerCluster.getOrDefault(demand.demand().cluster(), 0);
            var reason = placed >= demand.demand().instances()
                    ? Optional.<String>empty()
                    : Optional.of(OfferMatcher.shortfall(demand.demand(), msg.offers()));
            demand.cluster().tell(new ClusterActor.Shortfall(reason));
        }
        return this;
    }

    private void ask(Placement placement) {
        var cluster = demands.get(placement.cluster()).cluster();
        getContext().ask(ClusterActor.PlaceResult.class, cluster, placeTimeout,
                replyTo -> new ClusterActor.Place(placement, replyTo),
                (result, failure) -> new PlacementAnswered(placement,
                        result instanceof ClusterActor.Accepted accepted ? Optional.of(accepted.task()) : Optional.empty()));
    }

    private Behavior<Command> onAnswered(PlacementAnswered msg) {
        var offerId = msg.placement().offerId();
        var entry = pending.get(offerId);
        if (entry == null) {
            return this;
        }
        var accepted = new ArrayList<>(entry.accepted());
        msg.task().ifPresent(accepted::add);
        if (entry.awaiting() > 1) {
            pending.put(offerId, new PendingOffer(entry.offer(), entry.awaiting() - 1, accepted));
            return this;
        }
        pending.remove(offerId);
        side.ifPresent(s -> s.tell(accepted.isEmpty()
                ? new ResourceSide.Decline(List.of(offerId))
                : new ResourceSide.Launch(offerId, List.copyOf(accepted))));
        return this;
    }

    private Behavior<Command> onRescinded(OfferRescinded msg) {
        pending.remove(msg.offerId());
        return this;
    }

    private Behavior<Command> onGetStatus(GetStatus msg) {
        msg.replyTo().tell(new Status(side.isPresent(), wanted()));
        return this;
    }

    private int wanted() {
        return demands.values().stream().mapToInt(d -> d.demand().instances()).sum();
    }

    private void reviveOrSuppress() {
        if (side.isEmpty()) {
            return;
        }
        boolean wantOffers = wanted() > 0;
        if (wantOffers) {
            // Revive on every new demand: a resource side may be holding back after declines.
            side.get().tell(ResourceSide.Revive.INSTANCE);
            suppressed = false;
        } else if (!suppressed) {
            side.get().tell(ResourceSide.Suppress.INSTANCE);
            suppressed = true;
        }
    }
}

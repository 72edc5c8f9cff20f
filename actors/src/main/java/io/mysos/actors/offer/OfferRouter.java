package io.mysos.actors.offer;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.mysos.actors.JsonSerializable;
import io.mysos.actors.Instruments;
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
 *
 * <p>The router owns the placement protocol: a cluster tells it its {@link UpdateDemand demand},
 * the router asks the cluster to take a {@link Place placement} and tells it its {@link Shortfall}.
 * Clusters adapt {@link ToCluster} into their own protocol, so this package knows no cluster type.
 * Offers arrive as the resource side's {@link ResourceSide.OfferEvent}s, adapted here.
 */
public final class OfferRouter extends AbstractBehavior<OfferRouter.Command> {

    public sealed interface Command extends JsonSerializable {}

    /** A cluster's current need; {@code instances == 0} withdraws it. Placements and shortfalls go to {@code cluster}. */
    public record UpdateDemand(Demand demand, ActorRef<ToCluster> cluster) implements Command {}

    public record GetStatus(ActorRef<Status> replyTo) implements Command {}

    /** Whether resources are connected, and how many instances clusters are waiting for. */
    public record Status(boolean connected, int instancesWanted) implements JsonSerializable {}

    // ---------------------------------------------------------------- to the clusters

    /** What the router says to a cluster that has a demand. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
    @JsonSubTypes({@JsonSubTypes.Type(value = Place.class, name = "place"), @JsonSubTypes.Type(value = Shortfall.class, name = "shortfall")})
    public sealed interface ToCluster extends JsonSerializable {}

    /** Take this placement (one instance on one offer), recording it before answering. */
    public record Place(Placement placement, ActorRef<PlaceResult> replyTo) implements ToCluster {}

    /** Why the router cannot place this cluster's demand, or empty once it can. */
    public record Shortfall(Optional<String> reason) implements ToCluster {}

    public sealed interface PlaceResult extends JsonSerializable {}

    /** The cluster recorded the instance; launch this task. */
    public record Accepted(Placement placement, TaskData task) implements PlaceResult {}

    public record Rejected(Placement placement, String why) implements PlaceResult {}

    // ---------------------------------------------------------------- internal

    private record FromResources(ResourceSide.OfferEvent event) implements Command {}

    private record PlacementAnswered(Placement placement, Optional<TaskData> task) implements Command {}

    /** One offer whose placements are being put to their clusters. */
    private record PendingOffer(Offer offer, int awaiting, List<TaskData> accepted, List<ResourceSide.TaskVolume> volumes) {}

    private static final String NOT_CONNECTED = "waiting for resources: no resources are connected";

    private final Duration placeTimeout;
    private final ActorRef<ResourceSide.Command> resources;
    /** The resource side while it is connected. */
    private Optional<ActorRef<ResourceSide.Command>> side = Optional.empty();
    private final Map<String, UpdateDemand> demands = new LinkedHashMap<>();
    private final Map<String, PendingOffer> pending = new HashMap<>();
    private boolean suppressed = true;

    /** A router for the offers of {@code resources}, to which it subscribes at once (again after a restart). */
    public static Behavior<Command> create(ActorRef<ResourceSide.Command> resources, Duration placeTimeout) {
        return Behaviors.setup(context -> new OfferRouter(context, resources, placeTimeout));
    }

    private OfferRouter(ActorContext<Command> context, ActorRef<ResourceSide.Command> resources, Duration placeTimeout) {
        super(context);
        this.resources = resources;
        this.placeTimeout = placeTimeout;
        resources.tell(new ResourceSide.SubscribeOffers(context.messageAdapter(ResourceSide.OfferEvent.class, FromResources::new)));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(FromResources.class, this::onResources)
                .onMessage(UpdateDemand.class, this::onDemand)
                .onMessage(PlacementAnswered.class, this::onAnswered)
                .onMessage(GetStatus.class, this::onGetStatus)
                .build();
    }

    private Behavior<Command> onResources(FromResources msg) {
        var event = msg.event();
        if (event instanceof ResourceSide.OffersReceived offers) {
            return onOffers(offers);
        }
        if (event instanceof ResourceSide.OfferRescinded rescinded) {
            return onRescinded(rescinded);
        }
        return event == ResourceSide.Connected.INSTANCE ? onConnected() : onDisconnected();
    }

    private Behavior<Command> onConnected() {
        side = Optional.of(resources);
        suppressed = true;
        reviveOrSuppress();
        return this;
    }

    private Behavior<Command> onDisconnected() {
        side = Optional.empty();
        pending.clear();
        demands.values().forEach(d -> d.cluster().tell(new Shortfall(Optional.of(NOT_CONNECTED))));
        return this;
    }

    private Behavior<Command> onDemand(UpdateDemand msg) {
        var name = msg.demand().cluster();
        var before = Optional.ofNullable(demands.get(name)).map(UpdateDemand::demand);
        if (msg.demand().instances() <= 0) {
            demands.remove(name);
            if (before.isPresent()) {
                msg.cluster().tell(new Shortfall(Optional.empty()));
            }
        } else {
            demands.put(name, msg);
            if (side.isEmpty()) {
                msg.cluster().tell(new Shortfall(Optional.of(NOT_CONNECTED)));
            }
        }
        // Clusters repeat their demand periodically; only a change is news to the resource side.
        if (!before.equals(Optional.of(msg.demand()).filter(d -> d.instances() > 0))) {
            reviveOrSuppress();
        }
        return this;
    }

    private Behavior<Command> onOffers(ResourceSide.OffersReceived msg) {
        if (side.isEmpty()) {
            return this;
        }
        var wanted = demands.values().stream().map(UpdateDemand::demand).toList();
        var match = OfferMatcher.match(msg.offers(), wanted);
        Instruments.of(getContext().getSystem()).offersReceived(msg.offers().size());
        if (!match.unusedOffers().isEmpty()) {
            Instruments.of(getContext().getSystem()).offersDeclined(match.unusedOffers().size());
            side.get().tell(new ResourceSide.Decline(match.unusedOffers()));
        }
        var offersById = new HashMap<String, Offer>();
        msg.offers().forEach(o -> offersById.put(o.id(), o));
        var placedPerCluster = new HashMap<String, Integer>();
        OfferMatcher.byOffer(match.placements()).forEach((offerId, placements) -> {
            pending.put(offerId, new PendingOffer(offersById.get(offerId), placements.size(), List.of(), List.of()));
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
            demand.cluster().tell(new Shortfall(reason));
        }
        return this;
    }

    private void ask(Placement placement) {
        var cluster = demands.get(placement.cluster()).cluster();
        getContext().ask(PlaceResult.class, cluster, placeTimeout,
                replyTo -> new Place(placement, replyTo),
                (result, failure) -> new PlacementAnswered(placement,
                        result instanceof Accepted accepted ? Optional.of(accepted.task()) : Optional.empty()));
    }

    private Behavior<Command> onAnswered(PlacementAnswered msg) {
        var offerId = msg.placement().offerId();
        var entry = pending.get(offerId);
        if (entry == null) {
            return this;
        }
        var accepted = new ArrayList<>(entry.accepted());
        msg.task().ifPresent(accepted::add);
        var volumes = new ArrayList<>(entry.volumes());
        msg.task().flatMap(t -> msg.placement().volumeFor(t.taskId()))
                .ifPresent(v -> volumes.add(new ResourceSide.TaskVolume(msg.task().get().taskId(), v.id(), v.create())));
        if (entry.awaiting() > 1) {
            pending.put(offerId, new PendingOffer(entry.offer(), entry.awaiting() - 1, accepted, volumes));
            return this;
        }
        pending.remove(offerId);
        if (accepted.isEmpty()) {
            Instruments.of(getContext().getSystem()).offersDeclined(1);
        } else {
            Instruments.of(getContext().getSystem()).offersUsed(1);
        }
        side.ifPresent(s -> s.tell(accepted.isEmpty()
                ? new ResourceSide.Decline(List.of(offerId))
                : new ResourceSide.Launch(offerId, List.copyOf(accepted), volumes)));
        return this;
    }

    private Behavior<Command> onRescinded(ResourceSide.OfferRescinded msg) {
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

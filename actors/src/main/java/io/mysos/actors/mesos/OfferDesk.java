package io.mysos.actors.mesos;

import io.mysos.actors.resource.ResourceSide;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * The gateway's offers between their arrival and their use: which are held (handed to the offer
 * router, not yet accepted, declined or rescinded), which carry volumes no cluster claims (those are
 * destroyed and unreserved at once), which are declined for now (a reconciliation is not done), and
 * the refuse filter of a decline. Runs inside the gateway actor.
 */
final class OfferDesk {
    private final Map<String, Protos.Offer> held = new HashMap<>();
    private final MesosSettings settings;
    private final String role;
    private final Consumer<Call> send;
    private final org.slf4j.Logger log;
    private VolumeClaims claims = VolumeClaims.none();
    /**
     * Volumes a cluster let go of (deleted, shrunk, replaced elsewhere) that no offer has shown yet:
     * they are destroyed when offered, so offers must keep coming (no SUPPRESS) until each was.
     */
    private final Set<String> letGo = new HashSet<>();

    OfferDesk(MesosSettings settings, Consumer<Call> send, org.slf4j.Logger log) {
        this.settings = settings;
        this.role = settings.framework().role();
        this.send = send;
        this.log = log;
    }

    /** {@code offersNeeded} runs when the cluster lets go of a volume it held: offers must come to destroy it. */
    void hold(ResourceSide.HoldVolumes msg, Runnable offersNeeded) {
        var before = claims.held().getOrDefault(msg.cluster(), Set.of());
        claims = claims.withHeld(msg.cluster(), msg.volumeIds());
        letGo.removeAll(msg.volumeIds());
        var dropped = before.stream().filter(v -> !msg.volumeIds().contains(v)).toList();
        if (!dropped.isEmpty()) {
            letGo.addAll(dropped);
            offersNeeded.run();
        }
    }

    /** Whether volumes wait to be offered for destruction. */
    boolean destroying() {
        return !letGo.isEmpty();
    }

    void known(ResourceSide.ClustersKnown msg) {
        claims = claims.withKnown(msg.names());
    }

    /**
     * The offers to hand to the router: the others are accepted right away to destroy volumes no
     * cluster claims, or declined briefly while launches must wait ({@code holdBack}). Once the last
     * volume let go is destroyed and no cluster wants offers ({@code wanted}), offers are suppressed.
     */
    List<Protos.Offer> arrived(List<Protos.Offer> offers, Protos.FrameworkID framework, boolean holdBack, boolean wanted) {
        boolean wasDestroying = destroying();
        var forward = new ArrayList<Protos.Offer>();
        var declined = new ArrayList<Protos.OfferID>();
        for (var offer : offers) {
            var unclaimed = MesosVolumes.offered(offer, role).stream()
                    .filter(v -> claims.unclaimed(v.cluster(), v.volumeId())).toList();
            if (!unclaimed.isEmpty()) {
                log.info("Destroying volumes {} on agent {}: no cluster holds them",
                        unclaimed.stream().map(MesosVolumes.Offered::volumeId).toList(), offer.getAgentId().getValue());
                send.accept(MesosCalls.acceptOperations(framework, offer.getId(),
                        unclaimed.stream().flatMap(v -> MesosVolumes.destroyAndUnreserve(v).stream()).toList(), Duration.ZERO));
                unclaimed.forEach(v -> letGo.remove(v.volumeId()));
            } else if (holdBack) {
                declined.add(offer.getId());
            } else {
                held.put(offer.getId().getValue(), offer);
                forward.add(offer);
            }
        }
        if (!declined.isEmpty()) {
            log.info("Declining {} offer(s) until the reconciliation is done", declined.size());
            send.accept(MesosCalls.decline(framework, declined, settings.declineRefuse()));
        }
        if (wasDestroying && !destroying() && !wanted) {
            send.accept(MesosCalls.suppress(framework));
        }
        return forward;
    }

    /** The ACCEPT launching these tasks on this offer (RESERVE and CREATE first for new volumes). */
    Call accept(Protos.Offer offer, ResourceSide.Launch launch, Protos.FrameworkID framework) {
        var operations = MesosTasks.launch(offer, launch.tasks(), launch.volumes(), role, settings.framework().principal(), framework,
                settings.executor());
        return MesosCalls.acceptOperations(framework, offer.getId(), operations, settings.acceptRefuse());
    }

    Optional<Protos.Offer> take(String offerId) {
        return Optional.ofNullable(held.remove(offerId));
    }

    boolean rescind(String offerId) {
        return held.remove(offerId) != null;
    }

    /** Every held offer is void (the subscription is gone). */
    void clear() {
        held.clear();
    }

    /** Short while a cluster waits for resources this offer could not give; long while nobody needs any. */
    Duration declineRefuse(boolean demand) {
        return demand ? settings.declineRefuse() : settings.declineRefuseIdle();
    }
}

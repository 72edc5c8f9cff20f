package io.mysos.core.offer;

import io.mysos.core.resources.Resources;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Matches offers to demands, first come first served across clusters. Each instance needs its size
 * and one port from an offer. Within a cluster it spreads instances over hosts: an instance goes on
 * a host that already runs one of the cluster only when no other offered host can take it.
 */
public final class OfferMatcher {
    private OfferMatcher() {}

    /** The placements made and the offers that got none (to be declined). */
    public record Match(List<Placement> placements, List<String> unusedOffers) {}

    public static Match match(List<Offer> offers, List<Demand> demands) {
        var left = new LinkedHashMap<String, Offer>();
        offers.forEach(offer -> left.put(offer.id(), offer));
        var used = new HashSet<String>();
        var placements = new ArrayList<Placement>();
        var ordered = demands.stream().sorted(Comparator.comparingLong(Demand::since)).toList();
        for (var demand : ordered) {
            var hosts = new HashSet<>(demand.hostsInUse());
            // Instances that ended keep their volumes: they are relaunched only where their volume is offered.
            int pinned = Math.min(demand.instances(), demand.reusable().size());
            for (var volume : demand.reusable().subList(0, pinned)) {
                var offer = left.values().stream().filter(o -> o.hasPort() && o.volumes().contains(volume)).findFirst();
                offer.ifPresent(o -> {
                    placements.add(new Placement(demand.cluster(), o.id(), o.agentId(), o.host(), o.firstPort(), demand.size(),
                            Optional.of(volume), true));
                    left.put(o.id(), o.reusing(volume, o.firstPort()));
                    hosts.add(o.host());
                    used.add(o.id());
                });
            }
            for (int i = pinned; i < demand.instances(); i++) {
                var offer = pick(left.values(), demand.size(), hosts);
                if (offer == null) {
                    break;
                }
                int port = offer.firstPort();
                placements.add(new Placement(demand.cluster(), offer.id(), offer.agentId(), offer.host(), port, demand.size(),
                        Optional.empty(), offer.persistent()));
                left.put(offer.id(), offer.taking(demand.size(), port));
                hosts.add(offer.host());
                used.add(offer.id());
            }
        }
        var unused = offers.stream().map(Offer::id).filter(id -> !used.contains(id)).toList();
        return new Match(List.copyOf(placements), unused);
    }

    /**
     * The first fitting offer on a host without an instance of the cluster, else the first fitting
     * offer that is not persistent (an agent of a Mesos cluster never runs two instances of one cluster).
     */
    private static Offer pick(Iterable<Offer> offers, Resources size, Set<String> hostsInUse) {
        Offer fresh = null;
        Offer reused = null;
        for (var offer : offers) {
            if (!offer.hasPort() || !offer.resources().covers(size)) {
                continue;
            }
            if (!hostsInUse.contains(offer.host())) {
                fresh = fresh == null ? offer : fresh;
            } else if (!offer.persistent()) {
                reused = reused == null ? offer : reused;
            }
        }
        return fresh != null ? fresh : reused;
    }

    /**
     * Why a demand is not met by these offers, in words a person can act on:
     * {@code waiting for resources: 3 x {cpus 1, mem 512mb, disk 2gb}; largest free offer has mem 300mb}.
     */
    public static String shortfall(Demand demand, List<Offer> offers) {
        var prefix = "waiting for resources: " + demand.instances() + " x " + demand.size().describe();
        if (offers.isEmpty()) {
            return prefix + "; no resources are offered";
        }
        var largest = largest(offers);
        var size = demand.size();
        var missing = new ArrayList<String>();
        if (largest.resources().cpus() + 1e-9 < size.cpus()) {
            missing.add("cpus " + Resources.formatCpus(largest.resources().cpus()));
        }
        if (!largest.resources().mem().isAtLeast(size.mem())) {
            missing.add("mem " + largest.resources().mem());
        }
        if (!largest.resources().disk().isAtLeast(size.disk())) {
            missing.add("disk " + largest.resources().disk());
        }
        if (!largest.hasPort()) {
            missing.add("no free port");
        }
        if (missing.isEmpty()) {
            return prefix + "; offers fit only part of it, the largest free offer has " + largest.resources().describe();
        }
        return prefix + "; largest free offer has " + String.join(", ", missing);
    }

    /** The offer with the most memory (then cpus, then disk): what people compare a demand with. */
    private static Offer largest(List<Offer> offers) {
        return offers.stream().max(Comparator
                .comparing((Offer o) -> o.resources().mem())
                .thenComparingDouble(o -> o.resources().cpus())
                .thenComparing(o -> o.resources().disk())).orElseThrow();
    }

    /** Groups placements by offer, keeping their order: one launch call per offer. */
    public static Map<String, List<Placement>> byOffer(List<Placement> placements) {
        var grouped = new LinkedHashMap<String, List<Placement>>();
        placements.forEach(p -> grouped.computeIfAbsent(p.offerId(), id -> new ArrayList<>()).add(p));
        return grouped;
    }
}

package io.mysos.core.offer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysos.core.resources.PortRange;
import io.mysos.core.resources.Resources;
import io.mysos.core.size.DataSize;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OfferMatcherTest {
    private static final Resources SMALL = Resources.DEFAULT_INSTANCE;
    private static final Resources BIG_HOST = res(8, "32gb", "500gb");

    private static Resources res(double cpus, String mem, String disk) {
        return new Resources(cpus, DataSize.parse(mem), DataSize.parse(disk));
    }

    private static Offer offer(String id, String host, Resources resources, String... ports) {
        return new Offer(id, "agent-" + host, host, resources, Arrays.stream(ports).map(PortRange::parse).toList());
    }

    private static Offer bigOffer(String id, String host) {
        return offer(id, host, BIG_HOST, "31000-31999");
    }

    private static Demand demand(String cluster, int instances, long since, String... hostsInUse) {
        return new Demand(cluster, instances, SMALL, Set.of(hostsInUse), since);
    }

    private static List<String> hosts(OfferMatcher.Match match) {
        return match.placements().stream().map(Placement::host).toList();
    }

    private static List<Integer> ports(OfferMatcher.Match match) {
        return match.placements().stream().map(Placement::port).toList();
    }

    @Test
    void placesAnInstanceWithEverythingNeededToLaunchIt() {
        var match = OfferMatcher.match(List.of(bigOffer("o1", "db1")), List.of(demand("orders", 1, 1)));
        assertEquals(List.of(new Placement("orders", "o1", "agent-db1", "db1", 31000, SMALL)), match.placements());
        assertEquals(List.of(), match.unusedOffers());
    }

    @Test
    void putsOneInstanceOnEachHost() {
        var offers = List.of(bigOffer("o1", "db1"), bigOffer("o2", "db2"), bigOffer("o3", "db3"));
        var match = OfferMatcher.match(offers, List.of(demand("orders", 3, 1)));
        assertEquals(List.of("db1", "db2", "db3"), hosts(match));
        assertEquals(List.of(31000, 31000, 31000), ports(match));
    }

    @Test
    void spreadsAcrossHostsEvenWhenOneHostSendsSeveralOffers() {
        var offers = List.of(bigOffer("o1", "db1"), bigOffer("o2", "db1"), bigOffer("o3", "db2"));
        var match = OfferMatcher.match(offers, List.of(demand("orders", 2, 1)));
        assertEquals(List.of("db1", "db2"), hosts(match));
        assertEquals(List.of("o2"), match.unusedOffers());
    }

    @Test
    void avoidsHostsThatAlreadyRunAnInstanceOfTheCluster() {
        var offers = List.of(bigOffer("o1", "db1"), bigOffer("o2", "db2"));
        var match = OfferMatcher.match(offers, List.of(demand("orders", 1, 1, "db1")));
        assertEquals(List.of("db2"), hosts(match));
        assertEquals(List.of("o1"), match.unusedOffers());
    }

    @Test
    void coLocatesInstancesWhenOnlyOneHostIsOffered() {
        var match = OfferMatcher.match(List.of(offer("o1", "db1", res(4, "4gb", "10gb"), "31000-31002")),
                List.of(demand("orders", 3, 1)));
        assertEquals(List.of("db1", "db1", "db1"), hosts(match));
        assertEquals(List.of(31000, 31001, 31002), ports(match));
    }

    @Test
    void usesAHostInUseWhenNoOtherHostFits() {
        var offers = List.of(bigOffer("o1", "db1"), offer("o2", "db2", res(0.5, "256mb", "1gb"), "31000-31999"));
        var match = OfferMatcher.match(offers, List.of(demand("orders", 1, 1, "db1")));
        assertEquals(List.of("db1"), hosts(match));
        assertEquals(List.of("o2"), match.unusedOffers());
    }

    @Test
    void neverGivesOutAPortTwiceAcrossClusters() {
        var match = OfferMatcher.match(List.of(offer("o1", "db1", BIG_HOST, "31000-31001", "32000-32000")),
                List.of(demand("orders", 2, 1), demand("billing", 2, 2)));
        assertEquals(List.of(31000, 31001, 32000), ports(match));
        assertEquals(List.of("orders", "orders", "billing"),
                match.placements().stream().map(Placement::cluster).toList());
    }

    @Test
    void placesNoMoreInstancesThanTheOfferHasPorts() {
        var match = OfferMatcher.match(List.of(offer("o1", "db1", BIG_HOST, "3306")), List.of(demand("orders", 2, 1)));
        assertEquals(List.of(3306), ports(match));
    }

    @Test
    void skipsOffersWithoutPorts() {
        var offers = List.of(offer("o1", "db1", BIG_HOST), bigOffer("o2", "db2"));
        var match = OfferMatcher.match(offers, List.of(demand("orders", 2, 1)));
        assertEquals(List.of("db2", "db2"), hosts(match));
        assertEquals(List.of("o1"), match.unusedOffers());
    }

    @Test
    void takesPlacedResourcesOutOfTheOffer() {
        var match = OfferMatcher.match(List.of(offer("o1", "db1", res(2, "1gb", "4gb"), "31000-31999")),
                List.of(demand("orders", 3, 1)));
        assertEquals(2, match.placements().size());
    }

    @Test
    void servesTheClusterThatAskedFirst() {
        var oneInstance = List.of(offer("o1", "db1", SMALL, "31000-31999"));
        var match = OfferMatcher.match(oneInstance, List.of(demand("late", 1, 200), demand("early", 1, 100)));
        assertEquals(List.of("early"), match.placements().stream().map(Placement::cluster).toList());
    }

    @Test
    void givesALaterClusterWhatTheEarlierOneLeft() {
        var twoInstances = List.of(offer("o1", "db1", res(2, "1gb", "4gb"), "31000-31999"));
        var match = OfferMatcher.match(twoInstances, List.of(demand("late", 2, 200), demand("early", 1, 100)));
        assertEquals(List.of("early", "late"), match.placements().stream().map(Placement::cluster).toList());
        assertEquals(List.of(31000, 31001), ports(match));
    }

    @Test
    void declinesOffersThatGetNothing() {
        var offers = List.of(bigOffer("o1", "db1"), offer("o2", "db2", res(0.5, "256mb", "1gb"), "31000-31999"), bigOffer("o3", "db3"));
        var match = OfferMatcher.match(offers, List.of(demand("orders", 1, 1)));
        assertEquals(List.of("o1"), match.placements().stream().map(Placement::offerId).toList());
        assertEquals(List.of("o2", "o3"), match.unusedOffers());
    }

    @Test
    void placesNothingForADemandTooBigForAnyOffer() {
        var huge = new Demand("orders", 1, res(16, "64gb", "1tb"), Set.of(), 1);
        var match = OfferMatcher.match(List.of(bigOffer("o1", "db1"), bigOffer("o2", "db2")), List.of(huge));
        assertEquals(List.of(), match.placements());
        assertEquals(List.of("o1", "o2"), match.unusedOffers());
    }

    @Test
    void aTooBigDemandDoesNotBlockTheNextCluster() {
        var huge = new Demand("huge", 1, res(16, "64gb", "1tb"), Set.of(), 1);
        var match = OfferMatcher.match(List.of(bigOffer("o1", "db1")), List.of(huge, demand("orders", 1, 2)));
        assertEquals(List.of("orders"), match.placements().stream().map(Placement::cluster).toList());
    }

    @Test
    void leavesEveryOfferUnusedWithoutDemand() {
        var match = OfferMatcher.match(List.of(bigOffer("o1", "db1"), bigOffer("o2", "db2")), List.of());
        assertEquals(List.of(), match.placements());
        assertEquals(List.of("o1", "o2"), match.unusedOffers());
    }

    @Test
    void explainsAShortfallByWhatTheLargestOfferLacks() {
        var offers = List.of(offer("o1", "db1", res(4, "300mb", "100gb"), "31000-31999"));
        assertEquals("waiting for resources: 3 x {cpus 1, mem 512mb, disk 2gb}; largest free offer has mem 300mb",
                OfferMatcher.shortfall(demand("orders", 3, 1), offers));
    }

    @Test
    void explainsAShortfallInEveryDimensionAndPorts() {
        var offers = List.of(offer("o1", "db1", res(0.5, "256mb", "1gb")));
        assertEquals("waiting for resources: 1 x {cpus 1, mem 512mb, disk 2gb}; "
                        + "largest free offer has cpus 0.5, mem 256mb, disk 1gb, no free port",
                OfferMatcher.shortfall(demand("orders", 1, 1), offers));
    }

    @Test
    void comparesTheDemandWithTheOfferWithTheMostMemory() {
        var offers = List.of(offer("o1", "db1", res(8, "300mb", "100gb"), "31000"),
                offer("o2", "db2", res(0.25, "1gb", "100gb"), "31000"));
        assertEquals("waiting for resources: 1 x {cpus 1, mem 512mb, disk 2gb}; largest free offer has cpus 0.25",
                OfferMatcher.shortfall(demand("orders", 1, 1), offers));
    }

    @Test
    void saysWhenNothingIsOffered() {
        assertEquals("waiting for resources: 2 x {cpus 1, mem 512mb, disk 2gb}; no resources are offered",
                OfferMatcher.shortfall(demand("orders", 2, 1), List.of()));
    }

    @Test
    void saysWhenOffersFitOnlyPartOfTheDemand() {
        var offers = List.of(offer("o1", "db1", res(1, "512mb", "2gb"), "31000"));
        assertEquals("waiting for resources: 3 x {cpus 1, mem 512mb, disk 2gb}; "
                        + "offers fit only part of it, the largest free offer has {cpus 1, mem 512mb, disk 2gb}",
                OfferMatcher.shortfall(demand("orders", 3, 1), offers));
    }

    @Test
    void groupsPlacementsByOfferInOrder() {
        var offers = List.of(offer("o1", "db1", res(4, "4gb", "10gb"), "31000-31999"), bigOffer("o2", "db2"));
        var match = OfferMatcher.match(offers, List.of(demand("orders", 3, 1)));
        var grouped = OfferMatcher.byOffer(match.placements());
        assertEquals(List.of("o1", "o2"), List.copyOf(grouped.keySet()));
        assertEquals(Map.of("o1", List.of(31000, 31001), "o2", List.of(31000)),
                Map.of("o1", grouped.get("o1").stream().map(Placement::port).toList(),
                        "o2", grouped.get("o2").stream().map(Placement::port).toList()));
    }

    // ---------------------------------------------------------------- persistent offers (Mesos)

    private static Offer persistentOffer(String id, String host, String... volumes) {
        return new Offer(id, "agent-" + host, host, BIG_HOST, List.of(PortRange.parse("31000-31999")), List.of(volumes), true);
    }

    @Test
    void anInstanceThatEndedIsRelaunchedOnItsVolumeAndOnlyThere() {
        var demand = new Demand("orders", 1, SMALL, Set.of("db1"), 1, List.of("mysos-orders-2"));
        var elsewhere = OfferMatcher.match(List.of(persistentOffer("o3", "db3")), List.of(demand));
        assertEquals(List.of(), elsewhere.placements(), "another agent does not get it while its volume may come back");
        assertEquals(List.of("o3"), elsewhere.unusedOffers());

        var back = OfferMatcher.match(List.of(persistentOffer("o3", "db3"), persistentOffer("o2", "db2", "mysos-orders-2")),
                List.of(demand));
        assertEquals(List.of(new Placement("orders", "o2", "agent-db2", "db2", 31000, SMALL, java.util.Optional.of("mysos-orders-2"), true)),
                back.placements());
        assertEquals(List.of("o3"), back.unusedOffers());
    }

    @Test
    void instancesBeyondTheReusableVolumesGetNewOnes() {
        var demand = new Demand("orders", 2, SMALL, Set.of(), 1, List.of("mysos-orders-2"));
        var match = OfferMatcher.match(List.of(persistentOffer("o2", "db2", "mysos-orders-2"), persistentOffer("o3", "db3")),
                List.of(demand));
        assertEquals(List.of(new Placement("orders", "o2", "agent-db2", "db2", 31000, SMALL, java.util.Optional.of("mysos-orders-2"), true),
                new Placement("orders", "o3", "agent-db3", "db3", 31000, SMALL, java.util.Optional.empty(), true)), match.placements());
    }

    @Test
    void aPersistentOfferNeverTakesASecondInstanceOfACluster() {
        var match = OfferMatcher.match(List.of(persistentOffer("o1", "db1"), persistentOffer("o1b", "db1")),
                List.of(demand("orders", 2, 1)));
        assertEquals(List.of("db1"), hosts(match));
        var none = OfferMatcher.match(List.of(persistentOffer("o1", "db1")), List.of(demand("orders", 1, 1, "db1")));
        assertEquals(List.of(), none.placements());
        assertEquals(List.of("o1"), none.unusedOffers());
    }

    @Test
    void aPlacementNamesTheVolumeItsTaskUses() {
        var task = io.mysos.core.task.TaskId.of("orders", 7);
        assertEquals(java.util.Optional.of(new Placement.VolumeUse("mysos-orders-7", true)),
                new Placement("orders", "o1", "a", "h", 1, SMALL, java.util.Optional.empty(), true).volumeFor(task));
        assertEquals(java.util.Optional.of(new Placement.VolumeUse("mysos-orders-2", false)),
                new Placement("orders", "o1", "a", "h", 1, SMALL, java.util.Optional.of("mysos-orders-2"), true).volumeFor(task));
        assertEquals(java.util.Optional.empty(), new Placement("orders", "o1", "a", "h", 1, SMALL).volumeFor(task));
    }
}

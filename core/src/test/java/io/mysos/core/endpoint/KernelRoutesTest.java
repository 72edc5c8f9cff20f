package io.mysos.core.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.endpoint.KernelRoutes.Address;
import io.mysos.core.endpoint.KernelRoutes.Flow;
import io.mysos.core.endpoint.KernelRoutes.Route;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KernelRoutesTest {
    private static final Address MASTER = new Address("127.0.0.1", 31101);
    private static final Address REPLICA1 = new Address("127.0.0.1", 31102);
    private static final Address REPLICA2 = new Address("10.0.0.7", 31103);

    @Test
    void theTableIsNamedByTheEndpointsPorts() {
        assertEquals("mysos_30000_30001", KernelRoutes.table(30000, 30001));
    }

    @Test
    void aMasterIsReachedByOneRuleAndReplicasInTurn() {
        var script = KernelRoutes.replace("mysos_30000_30001", Optional.of("127.0.0.1"),
                List.of(new Route(30000, List.of(MASTER)), new Route(30001, List.of(REPLICA1, REPLICA2))));
        assertTrue(script.startsWith("table ip mysos_30000_30001 {}\ndelete table ip mysos_30000_30001\n"), script);
        assertTrue(script.contains("ip daddr 127.0.0.1 tcp dport 30000 dnat ip to 127.0.0.1:31101\n"), script);
        assertTrue(script.contains("ip daddr 127.0.0.1 tcp dport 30001 dnat ip to numgen inc mod 2 map "
                + "{ 0 : 127.0.0.1 . 31102, 1 : 10.0.0.7 . 31103 }\n"), script);
        assertTrue(script.contains("elements = { 30000 . 127.0.0.1 . 31101, 30001 . 127.0.0.1 . 31102, 30001 . 10.0.0.7 . 31103 }"),
                script);
    }

    @Test
    void aFencedEndpointHasNoRuleAndNothingLiveSoItsConnectionsAreRefused() {
        var script = KernelRoutes.replace("t", Optional.empty(), List.of(new Route(30000, List.of()), new Route(30001, List.of())));
        assertFalse(script.contains("dnat ip to"), script);
        assertTrue(script.contains("set live {\n    type inet_service . ipv4_addr . inet_service\n  }"), "nothing live: " + script);
        assertTrue(script.contains("set ports {\n    type inet_service\n    elements = { 30000, 30001 }\n  }"), script);
        assertTrue(script.contains("ct original proto-dst @ports ct original proto-dst . ct reply ip saddr"
                + " . ct reply proto-src != @live reject with tcp reset"), script);
        assertTrue(script.contains("hook output") && script.contains("hook input"), script);
    }

    @Test
    void anyAddressOfThisHostIsMatchedWhenTheEndpointListensOnAll() {
        var script = KernelRoutes.replace("t", Optional.empty(), List.of(new Route(30000, List.of(MASTER))));
        assertTrue(script.contains("fib daddr type local tcp dport 30000 dnat ip to 127.0.0.1:31101"), script);
    }

    @Test
    void onlyIpv4IsForwardedByTheKernel() {
        assertThrows(IllegalArgumentException.class, () -> new Address("::1", 3306));
        assertThrows(IllegalArgumentException.class, () -> new Address("db1.example.com", 3306));
        assertThrows(IllegalArgumentException.class, () -> new Address("300.0.0.1", 3306));
        assertThrows(IllegalArgumentException.class, () -> KernelRoutes.replace("t", Optional.of("::1"), List.of()));
        assertTrue(KernelRoutes.isIpv4("192.168.10.255"));
    }

    @Test
    void aConntrackLineGivesTheClientTheEndpointAndTheTarget() {
        var flow = KernelRoutes.parse("tcp      6 431999 ESTABLISHED src=127.0.0.1 dst=127.0.0.1 sport=33848 dport=30000 "
                + "src=127.0.0.1 dst=127.0.0.1 sport=31101 dport=33848 [ASSURED] mark=0 use=1");
        assertEquals(Optional.of(new Flow(new Address("127.0.0.1", 33848), new Address("127.0.0.1", 30000), MASTER)), flow);
    }

    @Test
    void linesThatAreNotForwardedTcpConnectionsAreLeftOut() {
        assertEquals(Optional.empty(), KernelRoutes.parse("udp      17 29 src=127.0.0.1 dst=127.0.0.1 sport=5353 dport=53 "
                + "src=127.0.0.1 dst=127.0.0.1 sport=53 dport=5353 mark=0 use=1"));
        // Not sent on (no DNAT): the reply comes from the address the client connected to.
        assertEquals(Optional.empty(), KernelRoutes.parse("tcp 6 431999 ESTABLISHED src=127.0.0.1 dst=127.0.0.1 sport=40000 "
                + "dport=30000 src=127.0.0.1 dst=127.0.0.1 sport=30000 dport=40000 [ASSURED] mark=0 use=1"));
        assertEquals(Optional.empty(), KernelRoutes.parse("conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown."));
        assertEquals(Optional.empty(), KernelRoutes.parse("tcp 6 src=127.0.0.1 sport=notaport"));
    }

    @Test
    void connectionsToATargetNoLongerRoutedAreStale() {
        var lines = List.of(
                "tcp 6 431999 ESTABLISHED src=127.0.0.1 dst=127.0.0.1 sport=40001 dport=30000 src=127.0.0.1 dst=127.0.0.1 sport=31101 dport=40001 [ASSURED]",
                "tcp 6 431999 ESTABLISHED src=127.0.0.1 dst=127.0.0.1 sport=40002 dport=30001 src=127.0.0.1 dst=127.0.0.1 sport=31102 dport=40002 [ASSURED]",
                "tcp 6 431999 ESTABLISHED src=127.0.0.1 dst=127.0.0.1 sport=40003 dport=30001 src=127.0.0.1 dst=127.0.0.1 sport=31101 dport=40003 [ASSURED]",
                "tcp 6 431999 ESTABLISHED src=127.0.0.1 dst=127.0.0.1 sport=40004 dport=39999 src=127.0.0.1 dst=127.0.0.1 sport=31101 dport=40004 [ASSURED]");
        // The master moved to REPLICA1's address; the read-only endpoint kept REPLICA1 and lost the master.
        var routes = List.of(new Route(30000, List.of(REPLICA1)), new Route(30001, List.of(REPLICA1)));
        var stale = KernelRoutes.stale(lines, Set.of(30000, 30001), routes);
        assertEquals(List.of(40001, 40003), stale.stream().map(f -> f.client().port()).toList());
    }

    @Test
    void theCloseFilterMatchesBothEndsOfEachConnection() {
        var flow = new Flow(new Address("127.0.0.1", 40001), new Address("127.0.0.1", 30000), MASTER);
        assertEquals("( src 127.0.0.1 and sport = :40001 and dst 127.0.0.1 and dport = :30000 ) or "
                + "( src 127.0.0.1 and sport = :31101 and dst 127.0.0.1 and dport = :40001 )", KernelRoutes.closeFilter(List.of(flow)));
    }
}

package io.mysos.endpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.endpoint.KernelRoutes;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every behaviour of {@link EndpointForwarderTest} with the kernel forwarding (real nftables, conntrack and ss on this
 * host; bin/test installs them and runs as root), and what only the kernel forwarding does.
 */
class KernelForwardingTest extends EndpointForwarderTest {
    @Override
    EndpointForwarder.Forwarding forwarding() {
        return EndpointForwarder.Forwarding.KERNEL;
    }

    private String table() {
        return KernelRoutes.table(forwarder.port(Role.READ_WRITE), forwarder.port(Role.READ_ONLY));
    }

    private static String tables() {
        return KernelForwarding.run(List.of("nft", "list", "tables"), "");
    }

    @Test
    void aConnectionFromThisHostReachesTheMasterWithoutPassingThroughTheEndpoint() throws Exception {
        forwarder.update(healthy(0, master, replica1));
        try (var client = new Client(forwarder.port(Role.READ_WRITE))) {
            assertEquals("master", client.greeting());
            // The master sees the client's own port: no process of ours sits between them.
            assertEquals(List.of(client.socket.getLocalPort()), master.peerPorts);
            assertEquals("select 1", client.echo("select 1"));
        }
    }

    @Test
    void anEndpointListeningOnEveryAddressIsForwardedByTheKernelForEachOfThem() throws Exception {
        var everywhere = EndpointForwarder.start("orders", "0.0.0.0", 0, 0, Duration.ofSeconds(30), forwarding())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            everywhere.update(healthy(0, master, replica1));
            try (var client = new Client(everywhere.port(Role.READ_WRITE))) {
                assertEquals("master", client.greeting());
                assertEquals(List.of(client.socket.getLocalPort()), master.peerPorts, "no process in between");
            }
        } finally {
            everywhere.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theEndpointsTableLivesAsLongAsTheEndpointAndTakesItsConnectionsWithIt() throws Exception {
        var table = table();
        assertTrue(tables().contains("table ip " + table), tables());
        forwarder.update(healthy(0, master, replica1));
        try (var client = new Client(forwarder.port(Role.READ_WRITE))) {
            assertEquals("master", client.greeting());
            forwarder.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertTrue(client.closedByEndpoint());
        }
        assertFalse(tables().contains("table ip " + table + "\n"), tables());
    }

    @Test
    void aTableLeftByAnEndpointThatDidNotStopIsReplacedAtStart() throws Exception {
        int rw;
        int ro;
        try (var a = new ServerSocket(0); var b = new ServerSocket(0)) {
            rw = a.getLocalPort();
            ro = b.getLocalPort();
        }
        // What a killed Mysos leaves: its ports still sent to the master it last knew.
        var stale = KernelRoutes.table(rw, ro);
        KernelForwarding.run(List.of("nft", "-f", "-"), KernelRoutes.replace(stale, Optional.of("127.0.0.1"),
                List.of(new KernelRoutes.Route(rw, List.of(new KernelRoutes.Address("127.0.0.1", master.port()))))));
        var restarted = EndpointForwarder.start("orders", "127.0.0.1", rw, ro, Duration.ofSeconds(30), forwarding())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            var waiting = CompletableFuture.supplyAsync(() -> {
                try (var client = new Client(rw)) {
                    return client.greeting();
                } catch (java.io.IOException e) {
                    throw new RuntimeException(e);
                }
            });
            while (waiting(restarted) == 0) {
                Thread.sleep(10);
            }
            assertEquals(0, master.accepted.get(), "the old table's master got no connection");
            restarted.update(healthy(1, replica1));
            assertEquals("replica1", waiting.get(20, TimeUnit.SECONDS));
        } finally {
            restarted.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        assertFalse(tables().contains("table ip " + stale + "\n"), tables());
    }

    @Test
    void aConnectionThatWaitedThroughAFailoverIsForwardedInUserSpace() throws Exception {
        var waiting = CompletableFuture.supplyAsync(() -> {
            try (var client = new Client(forwarder.port(Role.READ_WRITE))) {
                return client.greeting() + " " + client.socket.getLocalPort();
            } catch (java.io.IOException e) {
                throw new RuntimeException(e);
            }
        });
        while (forwarderWaiting() == 0) {
            Thread.sleep(10);
        }
        forwarder.update(healthy(2, master));
        var answer = waiting.get(20, TimeUnit.SECONDS).split(" ");
        assertEquals("master", answer[0]);
        assertNotEquals(Integer.parseInt(answer[1]), master.peerPorts.get(0), "the endpoint process carried it");
    }

    private static int waiting(EndpointForwarder forwarder) throws Exception {
        var field = EndpointForwarder.class.getDeclaredField("table");
        field.setAccessible(true);
        return ((RouteTable) field.get(forwarder)).waiting();
    }
}

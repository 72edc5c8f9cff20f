package io.mysos.endpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.endpoint.Target;
import io.mysos.core.endpoint.Targets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoints forwarding in user space; {@link KernelForwardingTest} runs the same with the kernel forwarding. */
class EndpointForwarderTest {
    FakeServer master;
    FakeServer replica1;
    FakeServer replica2;
    EndpointForwarder forwarder;

    EndpointForwarder.Forwarding forwarding() {
        return EndpointForwarder.Forwarding.USER;
    }

    @BeforeEach
    void start() throws Exception {
        master = new FakeServer("master");
        replica1 = new FakeServer("replica1");
        replica2 = new FakeServer("replica2");
        forwarder = EndpointForwarder.start("orders", "127.0.0.1", 0, 0, Duration.ofSeconds(30), forwarding())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        forwarder.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        master.close();
        replica1.close();
        replica2.close();
    }

    static Target target(FakeServer server, long epoch) {
        return new Target(server.name, "127.0.0.1", server.port(), epoch);
    }

    Targets healthy(long epoch, FakeServer writer, FakeServer... readers) {
        return new Targets(epoch, Optional.of(target(writer, epoch)),
                java.util.Arrays.stream(readers).map(r -> target(r, epoch)).toList());
    }

    /** A client connection through an endpoint: the first line is the name of the server it reached. */
    static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;

        Client(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(20_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        String greeting() throws IOException {
            return in.readLine();
        }

        String echo(String line) throws IOException {
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            return in.readLine();
        }

        /** True once the endpoint closed the connection (end of stream or reset). */
        boolean closedByEndpoint() throws IOException {
            try {
                return in.readLine() == null;
            } catch (SocketException reset) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void readWriteForwardsBothWaysToTheMaster() throws Exception {
        forwarder.update(healthy(0, master, replica1));
        try (var client = new Client(forwarder.port(Role.READ_WRITE))) {
            assertEquals("master", client.greeting());
            assertEquals("insert 1", client.echo("insert 1"));
        }
    }

    @Test
    void aClientThatReadsLateGetsEveryByteWhileTheEndpointHoldsBackTheRest() throws Exception {
        forwarder.update(healthy(0, master));
        long total = 64L << 20;
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), forwarder.port(Role.READ_WRITE))) {
            socket.setSoTimeout(20_000);
            var in = socket.getInputStream();
            assertEquals("master\n", new String(in.readNBytes(7), StandardCharsets.UTF_8));
            var written = new AtomicLong();
            var sent = new CRC32();
            var writer = CompletableFuture.runAsync(() -> {
                var random = new java.util.Random(7);
                var chunk = new byte[64 * 1024];
                try {
                    var out = socket.getOutputStream();
                    while (written.get() < total) {
                        random.nextBytes(chunk);
                        out.write(chunk);
                        sent.update(chunk);
                        written.addAndGet(chunk.length);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // Nothing read yet: the echo comes back until every buffer on the way is full, then the endpoint
            // stops reading and the writer stalls, far from the end (the endpoint does not take it all in).
            long seen = -1;
            while (written.get() != seen) {
                seen = written.get();
                Thread.sleep(500);
            }
            assertTrue(seen < total, "the writer stalled after " + seen + " bytes");
            var received = new CRC32();
            var buffer = new byte[64 * 1024];
            for (long read = 0; read < total; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, total - read));
                assertTrue(n > 0, "the echo ended after " + read + " bytes");
                received.update(buffer, 0, n);
                read += n;
            }
            writer.get(20, TimeUnit.SECONDS);
            assertEquals(sent.getValue(), received.getValue());
        }
    }

    @Test
    void readOnlySpreadsOverTheReplicasAndNeverTheMasterWhileOneRuns() throws Exception {
        forwarder.update(healthy(0, master, replica1, replica2));
        var reached = new HashSet<String>();
        for (int i = 0; i < 6; i++) {
            try (var client = new Client(forwarder.port(Role.READ_ONLY))) {
                reached.add(client.greeting());
            }
        }
        assertEquals(java.util.Set.of("replica1", "replica2"), reached);
    }

    @Test
    void fencingClosesConnectionsToTheOldMasterAndNewOnesWaitForTheNewMaster() throws Exception {
        forwarder.update(healthy(3, master, replica1));
        try (var old = new Client(forwarder.port(Role.READ_WRITE))) {
            assertEquals("master", old.greeting());
            forwarder.update(new Targets(3, Optional.empty(), List.of()));
            assertEquals(true, old.closedByEndpoint());
        }
        int before = master.accepted.get();
        var waiting = CompletableFuture.supplyAsync(() -> {
            try (var client = new Client(forwarder.port(Role.READ_WRITE))) {
                return client.greeting();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        while (forwarderWaiting() == 0) {
            Thread.onSpinWait();
        }
        forwarder.update(healthy(4, replica1));
        assertEquals("replica1", waiting.get(20, TimeUnit.SECONDS));
        assertEquals(before, master.accepted.get(), "no connection reached the fenced master");
    }

    @Test
    void targetsOfAnOlderEpochAreIgnored() throws Exception {
        forwarder.update(healthy(5, replica1));
        assertFalse(forwarder.update(healthy(4, master)));
        try (var client = new Client(forwarder.port(Role.READ_WRITE))) {
            assertEquals("replica1", client.greeting());
        }
        assertEquals(0, master.accepted.get());
    }

    @Test
    void aConnectionThatFindsNoMasterInTimeIsClosed() throws Exception {
        var impatient = EndpointForwarder.start("ledger", "127.0.0.1", 0, 0, Duration.ZERO, forwarding())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        try (var client = new Client(impatient.port(Role.READ_WRITE))) {
            assertEquals(true, client.closedByEndpoint());
        } finally {
            impatient.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        assertEquals(0, master.accepted.get());
    }

    @Test
    void aReplicaThatLeavesTheReadOnlySetLosesItsConnections() throws Exception {
        forwarder.update(healthy(0, master, replica1));
        try (var client = new Client(forwarder.port(Role.READ_ONLY))) {
            assertEquals("replica1", client.greeting());
            forwarder.update(healthy(0, master, master));
            assertEquals(true, client.closedByEndpoint());
        }
        try (var client = new Client(forwarder.port(Role.READ_ONLY))) {
            assertEquals("master", client.greeting());
        }
    }

    int forwarderWaiting() throws Exception {
        var field = EndpointForwarder.class.getDeclaredField("table");
        field.setAccessible(true);
        return ((RouteTable) field.get(forwarder)).waiting();
    }
}

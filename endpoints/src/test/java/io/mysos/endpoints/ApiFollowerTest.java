package io.mysos.endpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.mysos.core.endpoint.Target;
import io.mysos.core.endpoint.Targets;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code mysos router}'s parts: a forwarder fed by a follower of an API that long-polls as Mysos's does. */
class ApiFollowerTest {
    @Test
    void theRouterFollowsTheMasterThroughTheApi() throws Exception {
        var api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        var answers = new LinkedBlockingQueue<Targets>();
        var handlers = java.util.concurrent.Executors.newCachedThreadPool();
        var asked = new CopyOnWriteArrayList<String>();
        try (var a = new FakeServer("a"); var b = new FakeServer("b")) {
            answers.add(new Targets(1, Optional.of(new Target("mysos-orders-1", "127.0.0.1", a.port(), 1)), List.of()));
            api.createContext("/clusters/orders/endpoints", exchange -> {
                asked.add(exchange.getRequestURI().toString());
                try {
                    // Each request takes the next answer, waiting for it as a long poll does.
                    var next = answers.poll(30, TimeUnit.SECONDS);
                    var body = TargetsJson.write("orders", next, Optional.empty()).toString().getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                } catch (InterruptedException e) {
                    exchange.sendResponseHeaders(503, -1);
                } finally {
                    exchange.close();
                }
            });
            api.setExecutor(handlers);
            api.start();
            var forwarder = EndpointForwarder.start("orders", "127.0.0.1", 0, 0, Duration.ofSeconds(20))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            var follower = ApiFollower.start(URI.create("http://127.0.0.1:" + api.getAddress().getPort()), "orders", forwarder::update);
            try {
                assertEquals("a", greeting(forwarder));
                answers.add(new Targets(2, Optional.of(new Target("mysos-orders-2", "127.0.0.1", b.port(), 2)), List.of()));
                while (forwarder.targets().epoch() < 2) {
                    Thread.sleep(10);
                }
                assertEquals("b", greeting(forwarder));
                assertEquals("/clusters/orders/endpoints", asked.get(0));
                assertEquals("/clusters/orders/endpoints?wait=1", asked.get(1));
            } finally {
                follower.close();
                forwarder.close().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        } finally {
            handlers.shutdownNow();  // ends the long poll still held
            api.stop(0);
        }
    }

    private static String greeting(EndpointForwarder forwarder) throws Exception {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), forwarder.port(Role.READ_WRITE))) {
            socket.setSoTimeout(20_000);
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }
}

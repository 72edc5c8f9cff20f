package io.mysos.executor.mesos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * A Mesos agent's {@code /api/v1/executor} for tests, on a free port of 127.0.0.1: takes protobuf
 * calls, answers SUBSCRIBE with a chunked RecordIO event stream the test writes to, and every other
 * call with 202. Closing a subscription is what an agent restart looks like to the executor.
 */
final class AgentStandIn implements AutoCloseable {
    private static final Object END = new Object();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private final List<Call> skipped = new ArrayList<>();
    private final BlockingQueue<Subscription> subscriptions = new LinkedBlockingQueue<>();
    private final List<Subscription> opened = new ArrayList<>();

    /** One SUBSCRIBE's event stream. */
    final class Subscription {
        final Call call;
        private final BlockingQueue<Object> out = new LinkedBlockingQueue<>();

        private Subscription(Call call) {
            this.call = call;
        }

        void send(Event event) {
            out.add(event);
        }

        /** Ends the stream, as an agent that stops does. */
        void close() {
            out.add(END);
        }
    }

    AgentStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/executor", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** What MESOS_AGENT_ENDPOINT says for this agent. */
    String endpoint() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())
                    || !"application/x-protobuf".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                exchange.sendResponseHeaders(415, -1);
                return;
            }
            var call = Call.parseFrom(exchange.getRequestBody().readAllBytes());
            if (call.getType() != Call.Type.SUBSCRIBE) {
                calls.add(call);
                exchange.sendResponseHeaders(202, -1);
                return;
            }
            var subscription = new Subscription(call);
            synchronized (opened) {
                opened.add(subscription);
            }
            subscriptions.add(subscription);
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, 0);
            var body = exchange.getResponseBody();
            while (true) {
                var next = subscription.out.take();
                if (next == END) {
                    return;
                }
                body.write(RecordIo.frame(((Event) next).toByteArray()));
                body.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next SUBSCRIBE, failing when none comes within {@code timeout}. */
    Subscription awaitSubscription(Duration timeout) throws InterruptedException {
        var subscription = subscriptions.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (subscription == null) {
            throw new AssertionError("no SUBSCRIBE within " + timeout.toMillis() + " ms");
        }
        return subscription;
    }

    /** The first call (other than SUBSCRIBE) that {@code matches}, failing when none comes within {@code timeout}. */
    Call awaitCall(Predicate<Call> matches, Duration timeout, String what) throws InterruptedException {
        synchronized (skipped) {
            for (var call : skipped) {
                if (matches.test(call)) {
                    skipped.remove(call);
                    return call;
                }
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var call = calls.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (call == null) {
                throw new AssertionError("no " + what + " within " + timeout.toMillis() + " ms; other calls: " + skipped);
            }
            if (matches.test(call)) {
                return call;
            }
            synchronized (skipped) {
                skipped.add(call);
            }
        }
    }

    /** The next UPDATE in {@code state}. */
    Call.Update awaitUpdate(org.apache.mesos.v1.Protos.TaskState state, Duration timeout) throws InterruptedException {
        return awaitCall(c -> c.getType() == Call.Type.UPDATE && c.getUpdate().getStatus().getState() == state, timeout,
                "UPDATE " + state).getUpdate();
    }

    /** A call that came and was not awaited, if one matches. */
    Optional<Call> received(Predicate<Call> matches) {
        calls.drainTo(skipped);
        synchronized (skipped) {
            return skipped.stream().filter(matches).findFirst();
        }
    }

    @Override
    public void close() {
        synchronized (opened) {
            opened.forEach(Subscription::close);
        }
        server.stop(0);
        threads.shutdownNow();
    }
}

package io.mysos.executor.mesos;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * The agent's {@code /api/v1/executor} over the JDK's HTTP client, in protobuf: SUBSCRIBE answers
 * 200 with a chunked RecordIO stream of events, every other call answers 202 on a connection of its own.
 */
final class HttpAgent implements Agent {
    private static final String PROTOBUF = "application/x-protobuf";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final int ERROR_BODY_BYTES = 2048;

    private final ExecutorEnvironment env;
    // HTTP/1.1 only: the agent's HTTP server does not speak HTTP/2, not even to refuse an upgrade.
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).build();

    HttpAgent(ExecutorEnvironment env) {
        this.env = env;
    }

    @Override
    public Events subscribe(Call subscribe) throws IOException {
        var response = post(subscribe, Optional.empty());
        if (response.statusCode() != 200) {
            throw refused(subscribe, response);
        }
        var body = response.body();
        return new Events() {
            @Override
            public Optional<Event> next() throws IOException {
                var record = RecordIo.read(body);
                return record.isEmpty() ? Optional.empty() : Optional.of(Event.parseFrom(record.get()));
            }

            @Override
            public void close() throws IOException {
                body.close();
            }
        };
    }

    @Override
    public void send(Call call) throws IOException {
        var response = post(call, Optional.of(CALL_TIMEOUT));
        try (var body = response.body()) {
            if (response.statusCode() != 202) {
                throw refused(call, response);
            }
        }
    }

    private HttpResponse<InputStream> post(Call call, Optional<Duration> timeout) throws IOException {
        var request = HttpRequest.newBuilder(env.executorApi())
                .header("Content-Type", PROTOBUF)
                .header("Accept", PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofByteArray(call.toByteArray()));
        timeout.ifPresent(request::timeout);
        env.authenticationToken().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while sending " + call.getType());
        }
    }

    private static RefusedException refused(Call call, HttpResponse<InputStream> response) throws IOException {
        try (var body = response.body()) {
            var text = new String(body.readNBytes(ERROR_BODY_BYTES), StandardCharsets.UTF_8);
            return new RefusedException(call.getType().name(), response.statusCode(), text);
        }
    }
}

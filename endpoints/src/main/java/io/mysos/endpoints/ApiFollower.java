package io.mysos.endpoints;

import io.mysos.core.endpoint.Targets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one cluster through the Mysos API: {@code GET /clusters/{name}/endpoints}, then the
 * same with {@code wait=<epoch>} (a long poll) again and again, handing every answer to a
 * forwarder. An unreachable API or an unknown cluster is retried, with a growing pause up to 5 s;
 * the forwarder keeps routing by what it was last told meanwhile.
 */
public final class ApiFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiFollower.class);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpointsUrl;
    private final Consumer<Targets> onTargets;
    private final Duration requestTimeout;
    private volatile boolean closed;
    private volatile Optional<Targets> known = Optional.empty();
    private Duration pause = Duration.ofMillis(200);

    private ApiFollower(URI api, String cluster, Consumer<Targets> onTargets, Duration requestTimeout) {
        var base = api.toString().endsWith("/") ? api.toString() : api + "/";
        this.endpointsUrl = URI.create(base + "clusters/" + cluster + "/endpoints");
        this.onTargets = onTargets;
        this.requestTimeout = requestTimeout;
    }

    /** Starts following; {@code onTargets} gets every answer, on the HTTP client's threads. */
    public static ApiFollower start(URI api, String cluster, Consumer<Targets> onTargets) {
        var follower = new ApiFollower(api, cluster, onTargets, Duration.ofSeconds(60));
        follower.next();
        return follower;
    }

    public Optional<Targets> known() {
        return known;
    }

    private void next() {
        if (closed) {
            return;
        }
        var url = known.map(t -> URI.create(endpointsUrl + "?wait=" + t.epoch() + (t.fenced() ? "&fenced=true" : "")))
                .orElse(endpointsUrl);
        var request = HttpRequest.newBuilder(url).timeout(requestTimeout).header("Accept", "application/json").GET().build();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            if (failure == null && response.statusCode() == 200) {
                try {
                    var targets = TargetsJson.read(TargetsJson.MAPPER.readTree(response.body()));
                    known = Optional.of(targets);
                    pause = Duration.ofMillis(200);
                    onTargets.accept(targets);
                    next();
                    return;
                } catch (Exception e) {
                    LOG.warn("The API answered {} with something else than endpoints: {}", url, e.getMessage());
                }
            } else if (failure != null) {
                LOG.warn("The API at {} did not answer: {}", url, failure.getMessage());
            } else {
                LOG.warn("The API answered {} with {}: {}", url, response.statusCode(), response.body());
            }
            retryLater();
        });
    }

    private void retryLater() {
        var wait = pause;
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS).execute(this::next);
    }

    @Override
    public void close() {
        closed = true;
    }
}

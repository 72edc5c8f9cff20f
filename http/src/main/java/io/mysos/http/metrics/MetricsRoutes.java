package io.mysos.http.metrics;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.actors.cluster.ClusterView;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /metrics} in the Prometheus text format, and the timing of every API request. The
 * clusters' gauges come from the registry's views at each scrape.
 */
public final class MetricsRoutes extends AllDirectives {
    private static final ContentType TEXT_FORMAT = ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");

    private final ActorSystem<?> system;
    private final ActorRef<ClusterRegistry.Command> registry;
    private final MysosMetrics metrics;
    private final Duration askTimeout;

    public MetricsRoutes(ActorSystem<?> system, ActorRef<ClusterRegistry.Command> registry, MysosMetrics metrics,
                         Duration askTimeout) {
        this.system = system;
        this.registry = registry;
        this.metrics = metrics;
        this.askTimeout = askTimeout;
    }

    public Route route() {
        return path("metrics", () -> get(() -> {
            CompletionStage<List<ClusterView>> views = AskPattern.ask(registry, ClusterRegistry.ListClusters::new, askTimeout,
                    system.scheduler());
            return onComplete(views, done -> done.isSuccess()
                    ? complete(HttpResponse.create().withEntity(HttpEntities.create(TEXT_FORMAT, metrics.scrape(done.get()))))
                    : complete(HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE).withEntity(
                            HttpEntities.create(ContentTypes.APPLICATION_JSON,
                                    "{\"error\":\"the scheduler did not answer in time; try again shortly\"}"))));
        }));
    }

    /** {@code inner}, with each request's route, method, status and time counted. */
    public Route instrument(Route inner) {
        return extractRequest(request -> {
            long started = System.nanoTime();
            var route = RouteLabel.of(request.getUri().path());
            var method = request.method().name();
            return mapResponse(response -> {
                metrics.requestAnswered(route, method, response.status().intValue(), Duration.ofNanos(System.nanoTime() - started));
                return response;
            }, () -> inner);
        });
    }
}

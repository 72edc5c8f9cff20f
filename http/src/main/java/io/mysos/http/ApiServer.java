package io.mysos.http;

import static akka.http.javadsl.server.Directives.concat;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.settings.ServerSettings;
import akka.http.javadsl.server.Directives;
import io.mysos.actors.scheduler.SchedulerGuardian;
import io.mysos.http.dashboard.DashboardRoutes;
import io.mysos.http.metrics.MetricsRoutes;
import io.mysos.http.metrics.MysosMetrics;
import io.mysos.core.password.SchedulerKey;
import io.mysos.endpoints.EndpointDirectory;
import java.net.URI;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** Binds the management API on a host and port. */
public final class ApiServer {
    private ApiServer() {}

    /** The API, advertised where it listens. */
    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, SchedulerGuardian.Refs refs, SchedulerKey key,
                                                       Executor blocking, String host, int port) {
        return start(system, refs, key, blocking, host, port, ApiSettings.urlOf(host, port));
    }

    /** The API, giving out {@code advertisedUrl} in {@code cluster_url} (a proxy's or a DNS name's, say). */
    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, SchedulerGuardian.Refs refs, SchedulerKey key,
                                                       Executor blocking, String host, int port, URI advertisedUrl) {
        return start(system, refs, key, blocking, host, port, advertisedUrl, EndpointDirectory.NONE);
    }

    /** The API, showing each cluster's endpoints and {@code cluster_url} as {@code endpoints} says. */
    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, SchedulerGuardian.Refs refs, SchedulerKey key,
                                                       Executor blocking, String host, int port, URI advertisedUrl,
                                                       EndpointDirectory endpoints) {
        var settings = ApiSettings.fromConfig(system.settings().config(), advertisedUrl);
        var routes = new ClusterRoutes(system, refs.registry(), refs.router(), key, blocking, settings, endpoints);
        var metrics = new MetricsRoutes(system, refs.registry(), MysosMetrics.install(system), settings.askTimeout());
        var server = ServerSettings.create(system.classicSystem());
        // Bodies over the limit are refused as they arrive (413), and requests too malformed to
        // reach a route are answered in JSON like every other error.
        server = server.withParserSettings(server.getParserSettings().withMaxContentLength(settings.maxBodyBytes()))
                .withParsingErrorHandler(ApiErrors.ParsingErrors.class.getName())
                // HEAD is answered as GET without the body (load balancers check /health with HEAD).
                .withTransparentHeadRequests(true);
        var endpointRoutes = new EndpointRoutes(system, refs.registry(), endpoints, settings);
        return Http.get(system).newServerAt(host, port).withSettings(server).bind(metrics.instrument(Directives.concat(
                new DashboardRoutes().route(),
                metrics.route(),
                endpointRoutes.route(),
                new AuditRoutes(system, settings).route(),
                new BackupRoutes(system, refs.registry(), settings).route(),
                routes.route())));
    }
}

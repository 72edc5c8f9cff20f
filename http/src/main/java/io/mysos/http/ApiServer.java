package io.mysos.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import io.mysos.actors.SchedulerGuardian;
import io.mysos.core.password.SchedulerKey;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** Binds the management API on a host and port. */
public final class ApiServer {
    private ApiServer() {}

    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, SchedulerGuardian.Refs refs, SchedulerKey key,
                                                       Executor blocking, String host, int port) {
        var routes = new ClusterRoutes(system, refs.registry(), refs.router(), key, blocking, Duration.ofSeconds(15));
        return Http.get(system).newServerAt(host, port).bind(routes.route());
    }
}

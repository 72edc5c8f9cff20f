package io.mysos.http;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.pattern.Patterns;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.actors.cluster.ClusterView;
import io.mysos.core.InvalidInputException;
import io.mysos.core.cluster.ClusterName;
import io.mysos.core.cluster.RequestFields;
import io.mysos.core.endpoint.EndpointRouting;
import io.mysos.core.endpoint.Targets;
import io.mysos.endpoints.EndpointDirectory;
import io.mysos.endpoints.EndpointSettings;
import io.mysos.endpoints.TargetsJson;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /clusters/{name}/endpoints}: where the cluster's endpoints route now. With
 * {@code wait=<epoch>} it answers once that is no longer "epoch {@code wait}, master writable"
 * (or, with {@code fenced=true}, no longer "epoch {@code wait}, fenced"), or when anything it would
 * answer changes, or after {@code mysos.endpoints.watch-timeout} at the latest: a long poll for
 * clients and sidecars that route by themselves ({@code mysos router}).
 */
public final class EndpointRoutes extends AllDirectives {
    private final ActorSystem<?> system;
    private final ActorRef<ClusterRegistry.Command> registry;
    private final EndpointDirectory directory;
    private final EndpointSettings settings;
    private final Duration askTimeout;
    private final ApiErrors errors;

    public EndpointRoutes(ActorSystem<?> system, ActorRef<ClusterRegistry.Command> registry, EndpointDirectory directory,
                          ApiSettings api) {
        this.system = system;
        this.registry = registry;
        this.directory = directory;
        this.settings = EndpointSettings.fromConfig(system.settings().config());
        this.askTimeout = api.askTimeout();
        this.errors = new ApiErrors(api.maxBodyBytes());
    }

    /** What the endpoints of a cluster route to, by the rule in {@code core}. */
    public static Targets targets(ClusterView view, EndpointSettings settings) {
        return EndpointRouting.targets(view.routing(), settings.limits());
    }

    public Route route() {
        // Errors and rejections are answered inside the path only: other paths fall through to the other routes.
        return path(PathMatchers.segment("clusters").slash(PathMatchers.segment()).slash("endpoints"), name ->
                handleExceptions(errors.exceptions(), () -> handleRejections(errors.rejections(), () ->
                        get(() -> parameterList("wait", waits -> parameterList("fenced", fenced ->
                                show(name, QueryParameters.single(waits, "wait").map(w -> epoch(w, "wait")), flag(QueryParameters.single(fenced, "fenced")))))))));
    }

    private Route show(String name, Optional<Long> wait, boolean fenced) {
        ClusterName.validate(name);
        if (wait.isEmpty()) {
            return show(name, wait, fenced, () -> {});
        }
        return OpenStreams.get(system).withPlace(place -> holding(() -> show(name, wait, fenced, place::close)));
    }

    /**
     * A long poll is held up to the watch timeout (30 s by default), longer than Akka HTTP lets a request run (20 s):
     * it gets the watch timeout and the time to ask for the answer, and a JSON 503 should even that pass.
     */
    private Route holding(java.util.function.Supplier<Route> inner) {
        var limit = settings.watchTimeout().plus(askTimeout).plusSeconds(5);
        return errors.within(limit, "the cluster's endpoints did not answer within " + limit.toSeconds() + " s; ask again", inner);
    }

    /** The answer, at once or (with {@code wait}) once it changes; {@code done} runs when it is there. */
    private Route show(String name, Optional<Long> wait, boolean fenced, Runnable done) {
        var deadline = Instant.now().plus(settings.watchTimeout());
        var answer = current(name).thenCompose(first -> first.map(t -> wait.isEmpty() || differs(t, wait.get(), fenced)
                        ? CompletableFuture.completedFuture(Optional.of(t))
                        : until(name, t, deadline))
                .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty())));
        answer.whenComplete((found, failure) -> done.run());
        return onSuccess(answer, found -> found
                .map(t -> errors.json(StatusCodes.OK, TargetsJson.write(name, t, directory.addresses(name))))
                .orElseThrow(() -> ApiError.notFound(name)));
    }

    /** The targets once they differ from {@code seen}, or {@code seen} again at the deadline. */
    private CompletionStage<Optional<Targets>> until(String name, Targets seen, Instant deadline) {
        return Patterns.after(settings.pollInterval(), system.classicSystem().scheduler(), system.executionContext(),
                () -> current(name).thenCompose(now -> now.isEmpty() || !now.get().equals(seen) || Instant.now().isAfter(deadline)
                        ? CompletableFuture.completedFuture(now)
                        : until(name, seen, deadline)));
    }

    private CompletionStage<Optional<Targets>> current(String name) {
        CompletionStage<Optional<ClusterView>> view = AskPattern.ask(registry,
                replyTo -> new ClusterRegistry.GetCluster(name, replyTo), askTimeout, system.scheduler());
        return view.thenApply(v -> v.map(found -> targets(found, settings)));
    }

    private static boolean differs(Targets now, long epoch, boolean fenced) {
        return now.epoch() != epoch || now.fenced() != fenced;
    }

    private static long epoch(String text, String field) {
        try {
            long epoch = Long.parseLong(text);
            if (epoch >= 0) {
                return epoch;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new InvalidInputException(field + " must be an epoch (a whole number, 0 or more), not '" + RequestFields.shown(text) + "'");
    }

    private static boolean flag(Optional<String> value) {
        if (value.isEmpty() || value.get().equals("false")) {
            return false;
        }
        if (value.get().equals("true")) {
            return true;
        }
        throw new InvalidInputException("fenced must be true or false, not '" + RequestFields.shown(value.get()) + "'");
    }
}

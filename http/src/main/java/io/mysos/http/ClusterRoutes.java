package io.mysos.http;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.marshallers.jackson.Jackson;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.actors.cluster.ClusterView;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.core.InvalidInputException;
import io.mysos.core.cluster.ClusterName;
import io.mysos.core.cluster.CreateRequest;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.password.Passwords;
import io.mysos.core.password.SchedulerKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API of the original Mysos user guide: create, list, show and delete clusters. It only
 * validates input and talks to the actors by messages; every error is a JSON {@code error}.
 */
public final class ClusterRoutes extends AllDirectives {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterRoutes.class);

    private final ActorSystem<?> system;
    private final ActorRef<ClusterRegistry.Command> registry;
    private final ActorRef<OfferRouter.Command> router;
    private final SchedulerKey key;
    private final Executor blocking;
    private final Duration askTimeout;

    public ClusterRoutes(ActorSystem<?> system, ActorRef<ClusterRegistry.Command> registry,
                         ActorRef<OfferRouter.Command> router, SchedulerKey key, Executor blocking, Duration askTimeout) {
        this.system = system;
        this.registry = registry;
        this.router = router;
        this.key = key;
        this.blocking = blocking;
        this.askTimeout = askTimeout;
    }

    public Route route() {
        return handleExceptions(exceptions(), () -> handleRejections(rejections(), () -> concat(
                pathPrefix("clusters", () -> concat(
                        pathEndOrSingleSlash(() -> get(this::list)),
                        path(PathMatchers.segment(), name -> concat(
                                post(() -> fields(f -> create(name, f))),
                                get(() -> show(name)),
                                patch(() -> fields(f -> resize(name, f))),
                                delete(() -> fields(f -> delete(name, f))))),
                        path(PathMatchers.segment().slash("failover"), name ->
                                post(() -> fields(f -> switchover(name, f)))))),
                path("health", () -> get(this::health)))));
    }

    // ---------------------------------------------------------------- handlers

    private Route create(String name, Map<String, Object> fields) {
        var request = CreateRequest.parse(name, decodeSize(fields));
        if (request.spec().backupId().isPresent()) {
            throw ApiError.badRequest("backups are not configured");
        }
        var password = request.password().orElseGet(Passwords::generate);
        var created = routerStatus().thenCompose(status -> {
            if (!status.connected()) {
                throw new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "no resources are connected; try again shortly");
            }
            return CompletableFuture.supplyAsync(() -> ClusterSecrets.create(password, key), blocking);
        }).thenCompose(secrets -> AskPattern.<ClusterRegistry.Command, ClusterRegistry.CreateResult>ask(registry,
                replyTo -> new ClusterRegistry.CreateCluster(request.spec(), secrets, replyTo), askTimeout, system.scheduler()));
        return extractUri(uri -> onSuccess(created, result -> {
            if (result instanceof ClusterRegistry.NameTaken) {
                return json(StatusCodes.CONFLICT, ClusterJson.error("cluster '" + name + "' already exists"));
            }
            if (result instanceof ClusterRegistry.CreateFailed failed) {
                LOG.error("Cluster {} was registered but not created: {}", name, failed.reason());
                return json(StatusCodes.SERVICE_UNAVAILABLE, ClusterJson.error(
                        "cluster '" + name + "' could not be recorded in time; it will be created when the journal answers"));
            }
            var body = ClusterJson.MAPPER.createObjectNode()
                    .put("cluster_url", clusterUrl(uri, name))
                    .put("cluster_password", password);
            return json(StatusCodes.OK, body);
        }));
    }

    private Route list() {
        CompletionStage<List<ClusterView>> views = AskPattern.ask(registry, ClusterRegistry.ListClusters::new, askTimeout,
                system.scheduler());
        return onSuccess(views, list -> json(StatusCodes.OK, ClusterJson.clusters(list)));
    }

    private Route show(String name) {
        ClusterName.validate(name);
        CompletionStage<Optional<ClusterView>> view = AskPattern.ask(registry,
                replyTo -> new ClusterRegistry.GetCluster(name, replyTo), askTimeout, system.scheduler());
        return onSuccess(view, found -> found
                .map(v -> json(StatusCodes.OK, ClusterJson.cluster(v)))
                .orElseThrow(() -> ApiError.notFound(name)));
    }

    private Route delete(String name, Map<String, Object> fields) {
        ClusterName.validate(name);
        var password = password(fields);
        return guarded(name, replyTo -> new ClusterActor.Delete(password, replyTo));
    }

    /** PATCH /clusters/{name}: grow or shrink to {@code num_nodes}. */
    private Route resize(String name, Map<String, Object> fields) {
        ClusterName.validate(name);
        var password = password(fields);
        var numNodes = Optional.ofNullable(fields.get("num_nodes")).map(String::valueOf)
                .map(CreateRequest::parseNodeCount)
                .orElseThrow(() -> ApiError.badRequest("num_nodes is required"));
        return guarded(name, replyTo -> new ClusterActor.Resize(numNodes, password, replyTo));
    }

    /** POST /clusters/{name}/failover: a planned switchover to {@code target} or the best replica. */
    private Route switchover(String name, Map<String, Object> fields) {
        ClusterName.validate(name);
        var password = password(fields);
        var target = Optional.ofNullable(fields.get("target")).map(String::valueOf).filter(t -> !t.isBlank());
        return guarded(name, replyTo -> new ClusterActor.Switchover(target, password, replyTo));
    }

    private static String password(Map<String, Object> fields) {
        return Optional.ofNullable(fields.get("password")).map(String::valueOf).filter(p -> !p.isEmpty())
                .orElseThrow(() -> ApiError.badRequest("password is required"));
    }

    /** Sends a password-guarded request to the cluster and answers with its outcome. */
    private Route guarded(String name, java.util.function.Function<ActorRef<ClusterActor.Outcome>, ClusterActor.Guarded> request) {
        CompletionStage<ClusterActor.Outcome> result = AskPattern.ask(registry,
                replyTo -> new ClusterRegistry.Guarded(name, request.apply(replyTo)), askTimeout, system.scheduler());
        return extractUri(uri -> onSuccess(result, outcome -> {
            if (outcome instanceof ClusterActor.WrongPassword) {
                return json(StatusCodes.FORBIDDEN, ClusterJson.error("wrong password for cluster '" + name + "'"));
            }
            if (outcome instanceof ClusterActor.NotFound) {
                throw ApiError.notFound(name);
            }
            if (outcome instanceof ClusterActor.Conflict conflict) {
                return json(StatusCodes.CONFLICT, ClusterJson.error(conflict.reason()));
            }
            if (outcome instanceof ClusterActor.Invalid invalid) {
                return json(StatusCodes.BAD_REQUEST, ClusterJson.error(invalid.reason()));
            }
            var done = (ClusterActor.Done) outcome;
            return json(StatusCodes.OK, ClusterJson.MAPPER.createObjectNode()
                    .put("cluster_url", clusterUrl(uri, name))
                    .put("detail", done.detail()));
        }));
    }

    private Route health() {
        return onSuccess(routerStatus(), status -> json(status.connected() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
                ClusterJson.MAPPER.createObjectNode()
                        .put("resources_connected", status.connected())
                        .put("instances_wanted", status.instancesWanted())));
    }

    private CompletionStage<OfferRouter.Status> routerStatus() {
        return AskPattern.ask(router, OfferRouter.GetStatus::new, askTimeout, system.scheduler());
    }

    // ---------------------------------------------------------------- input

    /** The request's fields from a JSON object body or from a form (urlencoded or multipart). */
    private Route fields(java.util.function.Function<Map<String, Object>, Route> inner) {
        return extractRequest(request -> isJson(request)
                ? entity(Unmarshaller.entityToString(), body -> inner.apply(parseJsonObject(body, "the request body")))
                : formFieldMap(form -> inner.apply(new HashMap<>(form))));
    }

    private static boolean isJson(HttpRequest request) {
        return request.entity().getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON);
    }

    /** A form's {@code size} field holds JSON text; a JSON body's holds an object already. */
    private static Map<String, Object> decodeSize(Map<String, Object> fields) {
        var size = fields.get("size");
        if (size instanceof String text && !text.isBlank()) {
            var decoded = new HashMap<>(fields);
            decoded.put("size", parseJsonObject(text, "size"));
            return decoded;
        }
        return fields;
    }

    private static Map<String, Object> parseJsonObject(String text, String what) {
        try {
            JsonNode node = ClusterJson.MAPPER.readTree(text.isBlank() ? "{}" : text);
            if (node == null || !node.isObject()) {
                throw new InvalidInputException(what.equals("size") ? CreateRequest.SIZE_FORM : what + " must be a JSON object");
            }
            return ClusterJson.MAPPER.convertValue(node, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(what.equals("size") ? CreateRequest.SIZE_FORM : what + " is not valid JSON");
        }
    }

    // ---------------------------------------------------------------- output

    private Route json(StatusCode status, Object body) {
        return complete(status, body, Jackson.marshaller(ClusterJson.MAPPER));
    }

    private static String clusterUrl(akka.http.javadsl.model.Uri uri, String name) {
        return uri.scheme() + "://" + uri.host().address() + ":" + uri.port() + "/clusters/" + name;
    }

    private ExceptionHandler exceptions() {
        return ExceptionHandler.newBuilder()
                .match(ApiError.class, e -> json(e.status(), ClusterJson.error(e.getMessage())))
                .match(InvalidInputException.class, e -> json(StatusCodes.BAD_REQUEST, ClusterJson.error(e.getMessage())))
                .match(CompletionException.class, e -> unwrap(e.getCause()))
                .match(TimeoutException.class, e -> busy())
                .match(akka.pattern.AskTimeoutException.class, e -> busy())
                .matchAny(e -> {
                    LOG.error("Request failed", e);
                    return json(StatusCodes.INTERNAL_SERVER_ERROR, ClusterJson.error("internal error; see the scheduler log"));
                })
                .build();
    }

    private Route unwrap(Throwable cause) {
        if (cause instanceof ApiError e) {
            return json(e.status(), ClusterJson.error(e.getMessage()));
        }
        if (cause instanceof InvalidInputException e) {
            return json(StatusCodes.BAD_REQUEST, ClusterJson.error(e.getMessage()));
        }
        if (cause instanceof TimeoutException || cause instanceof akka.pattern.AskTimeoutException) {
            return busy();
        }
        LOG.error("Request failed", cause);
        return json(StatusCodes.INTERNAL_SERVER_ERROR, ClusterJson.error("internal error; see the scheduler log"));
    }

    private Route busy() {
        return json(StatusCodes.SERVICE_UNAVAILABLE, ClusterJson.error("the scheduler did not answer in time; try again"));
    }

    /** Rejections as JSON errors, with the status Akka chose for them. */
    private static RejectionHandler rejections() {
        return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
            if (response.entity().getContentType().equals(ContentTypes.APPLICATION_JSON)) {
                return response;
            }
            var message = response.entity() instanceof akka.http.javadsl.model.HttpEntity.Strict strict
                    ? strict.getData().utf8String() : response.status().reason();
            return response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
                    ClusterJson.error(message).toString()));
        });
    }
}

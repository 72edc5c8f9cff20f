package io.mysos.http;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.actors.cluster.ClusterView;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.core.InvalidInputException;
import io.mysos.core.cluster.ClusterName;
import io.mysos.core.cluster.CreateRequest;
import io.mysos.core.cluster.RequestFields;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.password.Passwords;
import io.mysos.core.password.SchedulerKey;
import io.mysos.endpoints.EndpointDirectory;
import io.mysos.endpoints.TargetsJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
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
    private final ApiSettings settings;
    private final Duration askTimeout;
    private final ApiErrors errors;
    private final EndpointDirectory endpoints;

    public ClusterRoutes(ActorSystem<?> system, ActorRef<ClusterRegistry.Command> registry,
                         ActorRef<OfferRouter.Command> router, SchedulerKey key, Executor blocking, ApiSettings settings) {
        this(system, registry, router, key, blocking, settings, EndpointDirectory.NONE);
    }

    /** With each cluster's {@code endpoints} and {@code cluster_url} as {@code endpoints} says. */
    public ClusterRoutes(ActorSystem<?> system, ActorRef<ClusterRegistry.Command> registry,
                         ActorRef<OfferRouter.Command> router, SchedulerKey key, Executor blocking, ApiSettings settings,
                         EndpointDirectory endpoints) {
        this.endpoints = endpoints;
        this.system = system;
        this.registry = registry;
        this.router = router;
        this.key = key;
        this.blocking = blocking;
        this.settings = settings;
        this.askTimeout = settings.askTimeout();
        this.errors = new ApiErrors(settings.maxBodyBytes());
    }

    public Route route() {
        // Bodies over the limit fail as they stream in (413), before any handler reads them.
        return handleExceptions(errors.exceptions(), () -> handleRejections(errors.rejections(), () ->
                withSizeLimit(settings.maxBodyBytes(), this::paths)));
    }

    private Route paths() {
        return concat(
                pathPrefix("clusters", () -> concat(
                        pathEndOrSingleSlash(() -> get(this::list)),
                        path(PathMatchers.segment(), name -> concat(
                                post(() -> fields(f -> create(name, f))),
                                get(() -> show(name)),
                                patch(() -> fields(f -> resize(name, f))),
                                delete(() -> fields(f -> delete(name, f))))),
                        path(PathMatchers.segment().slash("failover"), name ->
                                post(() -> fields(f -> switchover(name, f)))))),
                path("health", () -> get(this::health)));
    }

    // ---------------------------------------------------------------- handlers

    private Route create(String name, Map<String, Object> fields) {
        var request = CreateRequest.parse(name, decodeSize(fields, settings.json()));
        var password = request.password().orElseGet(Passwords::generate);
        var created = BackupRoutes.checkRestorable(system, request.spec().backupId(), request.spec().restoreTo()).thenCompose(ok -> routerStatus()).thenCompose(status -> {
            if (!status.connected()) {
                throw new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "no resources are connected; try again shortly");
            }
            return CompletableFuture.supplyAsync(() -> ClusterSecrets.create(password, key), blocking);
        }).thenCompose(secrets -> AskPattern.<ClusterRegistry.Command, ClusterRegistry.CreateResult>ask(registry,
                replyTo -> new ClusterRegistry.CreateCluster(request.spec(), secrets,
                        Optional.of(Instant.now().plus(askTimeout)), replyTo), askTimeout, system.scheduler()));
        return onSuccess(created, result -> {
            if (result instanceof ClusterRegistry.NameTaken) {
                return json(StatusCodes.CONFLICT, ClusterJson.error("cluster '" + name + "' already exists"));
            }
            if (result instanceof ClusterRegistry.CreateFailed failed) {
                LOG.error("Cluster {} was registered but not created: {}", name, failed.reason());
                return json(StatusCodes.SERVICE_UNAVAILABLE, ClusterJson.error(
                        "cluster '" + name + "' could not be recorded in time; it will be created when the journal answers"));
            }
            var body = ClusterJson.MAPPER.createObjectNode()
                    .put("cluster_url", clusterUrl(name))
                    .put("cluster_password", password);
            return json(StatusCodes.OK, withEndpoints(body, name));
        });
    }

    private Route list() {
        CompletionStage<List<ClusterView>> views = AskPattern.ask(registry, ClusterRegistry.ListClusters::new, askTimeout,
                system.scheduler());
        return onSuccess(views, list -> {
            var body = ClusterJson.clusters(list);
            body.withArray("clusters").forEach(c -> withEndpoints((ObjectNode) c, c.path("name").asText()));
            return json(StatusCodes.OK, body);
        });
    }

    private Route show(String name) {
        ClusterName.validate(name);
        CompletionStage<Optional<ClusterView>> view = AskPattern.ask(registry,
                replyTo -> new ClusterRegistry.GetCluster(name, replyTo), askTimeout, system.scheduler());
        return onSuccess(view, found -> found
                .map(v -> json(StatusCodes.OK, withEndpoints(ClusterJson.cluster(v), name)))
                .orElseThrow(() -> ApiError.notFound(name)));
    }

    private Route delete(String name, Map<String, Object> fields) {
        ClusterName.validate(name);
        var password = password(fields);
        return guarded(name, replyTo -> new ClusterActor.Delete(password, replyTo));
    }

    /**
     * PATCH /clusters/{name}: grow or shrink to {@code num_nodes}, or change the backup schedule
     * ({@code backup_interval}, {@code backup_keep}, as PATCH .../backups does); one or the other, so
     * that a refused request changes nothing.
     */
    private Route resize(String name, Map<String, Object> fields) {
        ClusterName.validate(name);
        if (io.mysos.core.backup.BackupPolicy.mentionedIn(fields)) {
            if (fields.containsKey("num_nodes")) {
                throw ApiError.badRequest("change num_nodes or the backup schedule (backup_interval, backup_keep), one at a time");
            }
            return new BackupRoutes(system, registry, settings).changePolicy(name, fields);
        }
        var password = password(fields);
        var numNodes = CreateRequest.parseNodeCount(fields)
                .orElseThrow(() -> ApiError.badRequest("num_nodes is required"));
        return guarded(name, replyTo -> new ClusterActor.Resize(numNodes, password, replyTo));
    }

    /**
     * POST /clusters/{name}/failover: a planned switchover to {@code target} or the best replica;
     * with {@code force=true}, the promotion of {@code target} in a failover that cannot elect by
     * itself (the replicas' histories diverged).
     */
    private Route switchover(String name, Map<String, Object> fields) {
        ClusterName.validate(name);
        var password = password(fields);
        var target = RequestFields.string(fields, "target").filter(t -> !t.isBlank());
        boolean force = RequestFields.bool(fields, "force").orElse(false);
        if (force && target.isEmpty()) {
            throw ApiError.badRequest("force=true needs a target: the replica to promote");
        }
        return guarded(name, replyTo -> new ClusterActor.Switchover(target, force, password, replyTo));
    }

    private static String password(Map<String, Object> fields) {
        return RequestFields.string(fields, "password").filter(p -> !p.isEmpty())
                .orElseThrow(() -> ApiError.badRequest("password is required"));
    }

    /** Sends a password-guarded request to the cluster and answers with its outcome. */
    private Route guarded(String name, java.util.function.Function<ActorRef<ClusterActor.Outcome>, ClusterActor.Guarded> request) {
        // While the resources (the Mesos master) are away, reads still answer and changes wait: 503.
        CompletionStage<ClusterActor.Outcome> result = routerStatus().thenCompose(status -> {
            if (!status.connected()) {
                throw new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "no resources are connected; changes are refused until they are,"
                        + " try again shortly");
            }
            return AskPattern.ask(registry, replyTo -> new ClusterRegistry.Guarded(name, request.apply(replyTo)), askTimeout,
                    system.scheduler());
        });
        return onSuccess(result, outcome -> {
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
            if (outcome instanceof ClusterActor.TooManyAttempts refused) {
                return respondWithHeader(RawHeader.create("Retry-After", Long.toString(refused.retryAfterSeconds())),
                        () -> json(StatusCodes.TOO_MANY_REQUESTS, ClusterJson.error(refused.reason())));
            }
            var done = (ClusterActor.Done) outcome;
            return json(StatusCodes.OK, ClusterJson.MAPPER.createObjectNode()
                    .put("cluster_url", clusterUrl(name))
                    .put("detail", done.detail()));
        });
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

    /**
     * The request's fields from a JSON object body or from a form (urlencoded or multipart). A
     * form field given twice must say the same both times: which one counts is not a guess to make.
     */
    private Route fields(java.util.function.Function<Map<String, Object>, Route> inner) {
        return extractRequest(request -> isJson(request)
                ? entity(Unmarshaller.entityToString(), body -> inner.apply(JsonInput.object(body, "the request body", settings.json())))
                : formFieldMultiMap(form -> inner.apply(singleValues(form))));
    }

    private static Map<String, Object> singleValues(Map<String, List<String>> form) {
        var fields = new HashMap<String, Object>();
        form.forEach((name, values) -> {
            if (values.stream().distinct().count() > 1) {
                throw new InvalidInputException("the form field '" + RequestFields.shown(name) + "' is given more than once with different values");
            }
            fields.put(name, values.get(0));
        });
        return fields;
    }

    private static boolean isJson(HttpRequest request) {
        return request.entity().getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON);
    }

    /** A form's {@code size} field holds JSON text; a JSON body's holds an object already. */
    private static Map<String, Object> decodeSize(Map<String, Object> fields, JsonInput.Limits limits) {
        var size = fields.get("size");
        if (size instanceof String text && !text.isBlank()) {
            var decoded = new HashMap<>(fields);
            try {
                decoded.put("size", JsonInput.object(text, "size", limits));
            } catch (InvalidInputException e) {
                throw new InvalidInputException(e.getMessage() + "; " + CreateRequest.SIZE_FORM);
            }
            return decoded;
        }
        return fields;
    }

    // ---------------------------------------------------------------- output

    /** {@code cluster_url}: the API's, unless the cluster is published elsewhere (ZooKeeper). */
    private String clusterUrl(String name) {
        return endpoints.clusterUrl(name).orElseGet(() -> settings.clusterUrl(name));
    }

    /** Adds {@code endpoints} (read-write and read-only {@code host:port}) where Mysos serves them. */
    private ObjectNode withEndpoints(ObjectNode node, String name) {
        endpoints.addresses(name).ifPresent(a -> node.set("endpoints", TargetsJson.addresses(a)));
        return node;
    }

    private Route json(StatusCode status, Object body) {
        return errors.json(status, body);
    }
}

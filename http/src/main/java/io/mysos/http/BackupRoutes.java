package io.mysos.http;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mysos.actors.backup.BackupCatalog;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.core.InvalidInputException;
import io.mysos.core.backup.BackupLog;
import io.mysos.core.backup.BackupPolicy;
import io.mysos.core.backup.StoredBackup;
import io.mysos.core.binlog.GtidState;
import io.mysos.core.binlog.RestoreTarget;
import io.mysos.core.cluster.ClusterName;
import io.mysos.core.cluster.RequestFields;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The backup API: {@code POST /clusters/{name}/backups} (password) starts one and answers 202 with its id,
 * {@code GET} lists them (from the cluster's events, or the store's manifests once the cluster is gone),
 * {@code PATCH} changes {@code backup_interval} and {@code backup_keep}. Also the check that a
 * {@code backup_id} at create names a complete backup.
 */
public final class BackupRoutes extends AllDirectives {
    private final ActorSystem<?> system;
    private final ActorRef<ClusterRegistry.Command> registry;
    private final ApiSettings settings;
    private final Duration askTimeout;
    private final ApiErrors errors;

    public BackupRoutes(ActorSystem<?> system, ActorRef<ClusterRegistry.Command> registry, ApiSettings settings) {
        this.system = system;
        this.registry = registry;
        this.settings = settings;
        this.askTimeout = settings.askTimeout();
        this.errors = new ApiErrors(settings.maxBodyBytes());
    }

    /** Only {@code /clusters/{name}/backups}; everything else is left to the other routes. */
    public Route route() {
        return path(PathMatchers.segment("clusters").slash(PathMatchers.segment()).slash("backups"), name ->
                handleExceptions(errors.exceptions(), () -> handleRejections(errors.rejections(), () ->
                        withSizeLimit(settings.maxBodyBytes(), () -> concat(
                                post(() -> fields(f -> take(name, f))),
                                get(() -> list(name)),
                                patch(() -> fields(f -> changePolicy(name, f))))))));
    }

    /**
     * Completes when {@code backupId} (if any) names a complete backup in the store; fails with 400
     * when it names none, or when backups are not configured, and 503 when the store cannot be read.
     */
    public static CompletionStage<Void> checkRestorable(ActorSystem<?> system, Optional<String> backupId) {
        return checkRestorable(system, backupId, Optional.empty());
    }

    /**
     * Like {@link #checkRestorable(ActorSystem, Optional)}, and with a {@code restoreTo}: fails with 400 unless
     * it lies between the backup and the latest point the archived binary logs roll it forward to.
     */
    public static CompletionStage<Void> checkRestorable(ActorSystem<?> system, Optional<String> backupId, Optional<String> restoreTo) {
        if (restoreTo.isPresent() && backupId.isPresent()) {
            return checkRestorable(system, backupId).thenCompose(ok -> checkRecoverable(system, backupId.get(), restoreTo.get()));
        }
        if (backupId.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        var catalog = BackupCatalog.get(system);
        if (!catalog.configured()) {
            return CompletableFuture.failedFuture(ApiError.badRequest("backups are not configured (--backup-root)"));
        }
        return catalog.find(backupId.get()).handle((found, failure) -> {
            if (failure != null) {
                throw new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "the backup store cannot be read: " + rootMessage(failure));
            }
            if (found.isEmpty()) {
                throw ApiError.badRequest("backup " + backupId.get() + " is unknown or incomplete in " + catalog.root().orElseThrow());
            }
            return null;
        });
    }

    private static CompletionStage<Void> checkRecoverable(ActorSystem<?> system, String backupId, String restoreTo) {
        var target = RestoreTarget.parse(restoreTo);
        return BackupCatalog.get(system).recoverable(backupId).handle((found, failure) -> {
            if (failure != null) {
                throw new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "the backup store cannot be read: " + rootMessage(failure));
            }
            var recoverable = found.orElseThrow(() -> ApiError.badRequest("backup " + backupId + " is unknown or incomplete"));
            var backup = recoverable.backup();
            try {
                target.checkWithin(backupId, GtidState.parse(backup.position()), Instant.parse(backup.finishedAt()), recoverable.latest());
            } catch (InvalidInputException e) {
                throw ApiError.badRequest(e.getMessage() + recoverable.gap().map(g -> " (the archive has a gap: " + g + ")").orElse(""));
            }
            return null;
        });
    }

    private Route take(String name, Map<String, Object> fields) {
        ClusterName.validate(name);
        var password = password(fields);
        return onSuccess(ask(name, replyTo -> new ClusterActor.TakeBackup(password, replyTo)), outcome -> {
            if (outcome instanceof ClusterActor.BackupAccepted accepted) {
                return errors.json(StatusCodes.ACCEPTED, ClusterJson.MAPPER.createObjectNode()
                        .put("id", accepted.id())
                        .put("backup_id", name + "/" + accepted.id())
                        .put("state", BackupLog.State.RUNNING.name()));
            }
            return refused(name, outcome);
        });
    }

    Route changePolicy(String name, Map<String, Object> fields) {
        ClusterName.validate(name);
        var password = password(fields);
        if (!BackupPolicy.mentionedIn(fields)) {
            throw ApiError.badRequest("give backup_interval (e.g. 6h, or off) and/or backup_keep (0 keeps all)");
        }
        var changed = ask(name, ClusterActor.ListBackups::new).thenCompose(outcome -> {
            if (!(outcome instanceof ClusterActor.BackupListing listing)) {
                return CompletableFuture.completedFuture(outcome);
            }
            var policy = listing.backups().policy().with(fields);
            return ask(name, replyTo -> new ClusterActor.ChangeBackupPolicy(policy, password, replyTo));
        });
        return onSuccess(changed, outcome -> outcome instanceof ClusterActor.Done done
                ? errors.json(StatusCodes.OK, ClusterJson.MAPPER.createObjectNode().put("detail", done.detail()))
                : refused(name, outcome));
    }

    private Route list(String name) {
        ClusterName.validate(name);
        return onSuccess(ask(name, ClusterActor.ListBackups::new), outcome -> {
            if (outcome instanceof ClusterActor.BackupListing listing) {
                return withStoreCheck(name, listing(name, listing.backups()));
            }
            // The cluster is gone; its backups are not.
            var catalog = BackupCatalog.get(system);
            if (!catalog.configured()) {
                throw ApiError.notFound(name);
            }
            return onSuccess(catalog.list(name), stored -> {
                if (stored.isEmpty()) {
                    throw ApiError.notFound(name);
                }
                return withRecoverable(name, stored(name, stored));
            });
        });
    }

    /**
     * A cluster's listing (from its events) with, for every completed backup, whether the store still holds it
     * ({@code in_store}): one deleted or damaged outside Mysos cannot be restored, and the listing must not hide that.
     * Left out when the store cannot be read (then {@code recoverable} says why).
     */
    private Route withStoreCheck(String name, ObjectNode body) {
        var catalog = BackupCatalog.get(system);
        if (!catalog.configured()) {
            return withRecoverable(name, body);
        }
        var checked = catalog.list(name).handle((stored, failure) -> {
            if (failure == null) {
                var held = stored.stream().map(StoredBackup::id).collect(java.util.stream.Collectors.toSet());
                for (var item : body.withArray("backups")) {
                    if (BackupLog.State.COMPLETED.name().equals(item.path("state").asText())) {
                        var inStore = held.contains(item.path("id").asText());
                        ((ObjectNode) item).put("in_store", inStore);
                        if (!inStore) {
                            ((ObjectNode) item).put("problem", "not in the store any more, or its manifest is damaged (deleted outside"
                                    + " Mysos?): it cannot be restored");
                        }
                    }
                }
            }
            return body;
        });
        return onSuccess(checked, done -> withRecoverable(name, done));
    }

    /** The listing with the latest point its newest backup can be restored to ({@code restore_to}), when the store tells. */
    private Route withRecoverable(String name, ObjectNode body) {
        var catalog = BackupCatalog.get(system);
        if (!catalog.configured()) {
            return errors.json(StatusCodes.OK, body);
        }
        var latest = catalog.latestRecoverable(name).handle((found, failure) -> {
            if (failure != null) {
                body.putObject("recoverable").put("error", "the backup store cannot be read: " + rootMessage(failure));
                return body;
            }
            found.ifPresentOrElse(r -> {
                var point = body.putObject("recoverable").put("backup_id", r.backup().fullId())
                        .put("time", r.latest().time().toString()).put("position", r.latest().position().toString());
                r.gap().ifPresent(g -> point.put("gap", g));
            }, () -> body.putNull("recoverable"));
            return body;
        });
        return onSuccess(latest, done -> errors.json(StatusCodes.OK, done));
    }

    private static ObjectNode listing(String name, BackupLog log) {
        var body = ClusterJson.MAPPER.createObjectNode();
        body.put("cluster", name).put("backup_interval", log.policy().describeInterval()).put("backup_keep", log.policy().keep());
        var list = body.putArray("backups");
        for (var e : log.entries()) {
            var item = list.addObject().put("id", e.id()).put("backup_id", name + "/" + e.id()).put("state", e.state().name())
                    .put("cause", e.cause()).put("started", e.requestedAt().toString());
            e.finishedAt().ifPresentOrElse(at -> item.put("finished", at.toString()), () -> item.putNull("finished"));
            e.source().ifPresent(task -> item.put("source", task.toString()));
            if (e.state() == BackupLog.State.COMPLETED || e.state() == BackupLog.State.DELETED) {
                item.put("bytes", e.bytes()).put("position", e.position()).put("location", e.location());
            }
            if (e.state() == BackupLog.State.FAILED) {
                item.put("reason", e.reason());
            }
        }
        return body;
    }

    private static ObjectNode stored(String name, List<StoredBackup> stored) {
        var body = ClusterJson.MAPPER.createObjectNode();
        body.put("cluster", name);
        var list = body.putArray("backups");
        for (var b : stored) {
            list.addObject().put("id", b.id()).put("backup_id", b.fullId()).put("state", BackupLog.State.COMPLETED.name())
                    .put("started", b.startedAt()).put("finished", b.finishedAt()).put("bytes", b.bytes())
                    .put("position", b.position()).put("location", b.location()).put("source", b.sourceTask());
        }
        return body;
    }

    private Route refused(String name, ClusterActor.Outcome outcome) {
        if (outcome instanceof ClusterActor.WrongPassword) {
            return errors.json(StatusCodes.FORBIDDEN, ClusterJson.error("wrong password for cluster '" + name + "'"));
        }
        if (outcome instanceof ClusterActor.Conflict conflict) {
            return errors.json(StatusCodes.CONFLICT, ClusterJson.error(conflict.reason()));
        }
        if (outcome instanceof ClusterActor.TooManyAttempts refused) {
            return errors.json(StatusCodes.TOO_MANY_REQUESTS, ClusterJson.error(refused.reason()));
        }
        if (outcome instanceof ClusterActor.Invalid invalid) {
            return errors.json(StatusCodes.BAD_REQUEST, ClusterJson.error(invalid.reason()));
        }
        throw ApiError.notFound(name);
    }

    private CompletionStage<ClusterActor.Outcome> ask(String name, Function<ActorRef<ClusterActor.Outcome>, ClusterActor.Guarded> request) {
        return AskPattern.ask(registry, replyTo -> new ClusterRegistry.Guarded(name, request.apply(replyTo)), askTimeout,
                system.scheduler());
    }

    private static String password(Map<String, Object> fields) {
        return RequestFields.string(fields, "password").filter(p -> !p.isEmpty())
                .orElseThrow(() -> ApiError.badRequest("password is required"));
    }

    /** The request's fields from a JSON object body or a form (a field given twice must say the same). */
    private Route fields(Function<Map<String, Object>, Route> inner) {
        return extractRequest(request -> isJson(request)
                ? entity(Unmarshaller.entityToString(), body -> inner.apply(JsonInput.object(body, "the request body", settings.json())))
                : formFieldMultiMap(form -> {
                    var fields = new HashMap<String, Object>();
                    form.forEach((key, values) -> {
                        if (values.stream().distinct().count() > 1) {
                            throw ApiError.badRequest("the form field '" + RequestFields.shown(key) + "' is given more than once with different values");
                        }
                        fields.put(key, values.get(0));
                    });
                    return inner.apply(fields);
                }));
    }

    private static boolean isJson(HttpRequest request) {
        return request.entity().getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON);
    }

    private static String rootMessage(Throwable e) {
        var cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}

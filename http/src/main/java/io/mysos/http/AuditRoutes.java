package io.mysos.http;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.marshallers.jackson.Jackson;
import akka.http.javadsl.marshalling.sse.EventStreamMarshalling;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.stream.javadsl.Sink;
import io.mysos.actors.audit.AuditJournal;
import io.mysos.actors.audit.ClusterHistory;
import io.mysos.actors.audit.EventFields;
import io.mysos.core.audit.FailoverRecords;
import io.mysos.core.cluster.ClusterName;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail over HTTP, read from the journal (never from the actors), so it also answers for
 * deleted clusters: {@code GET /clusters/{name}/events}, {@code GET /clusters/{name}/failovers} and
 * {@code GET /events} (pages, or Server-Sent Events with {@code Last-Event-ID} resumption).
 * Unmatched requests fall through to {@link ClusterRoutes}.
 */
public final class AuditRoutes extends AllDirectives {
    private static final Logger LOG = LoggerFactory.getLogger(AuditRoutes.class);
    static final int DEFAULT_LIMIT = 100;
    /**
     * How often an idle event stream sends a heartbeat. Akka HTTP notices that a client closed its
     * stream only when writing to it, after one or two heartbeats: this is how soon a closed stream
     * gives its place back (see {@link OpenStreams}).
     */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    static final int MAX_LIMIT = 1000;
    static final Duration SCAN_TIMEOUT = Duration.ofMinutes(2);

    private final ActorSystem<?> system;
    private final ApiErrors errors;
    /** Made on first use: a scheduler whose journal has no query plugin configured still serves the rest of the API. */
    private volatile AuditJournal journal;
    private volatile EventFields fields;

    public AuditRoutes(ActorSystem<?> system, ApiSettings settings) {
        this.system = system;
        this.errors = new ApiErrors(settings.maxBodyBytes());
    }

    public Route route() {
        return handleExceptions(errors.exceptions(), () -> get(this::paths));
    }

    /** A type filter or the failovers of a long life read the whole life: more time than other requests get, and a JSON 503 after it. */
    private Route scanning(java.util.function.Supplier<Route> inner) {
        return errors.within(SCAN_TIMEOUT, "reading the journal took longer than " + SCAN_TIMEOUT.toSeconds()
                + " s; ask for less (from_seq, limit)", inner);
    }

    private Route paths() {
        return concat(
                path(PathMatchers.segment("clusters").slash(PathMatchers.segment()).slash("events"), name -> scanning(() -> clusterEvents(name))),
                path(PathMatchers.segment("clusters").slash(PathMatchers.segment()).slash("failovers"), name -> scanning(() -> failovers(name))),
                path("events", this::allEvents));
    }

    private Route clusterEvents(String name) {
        ClusterName.validate(name);
        return parameterList("from_seq", fromSeq -> parameterList("type", type -> parameterList("limit", limit ->
                parameterList("incarnation", incarnation -> {
                    long from = number("from_seq", QueryParameters.single(fromSeq, "from_seq"), 1, Long.MAX_VALUE).orElse(1L);
                    int max = number("limit", QueryParameters.single(limit, "limit"), 1, MAX_LIMIT).orElse((long) DEFAULT_LIMIT).intValue();
                    Set<String> types = QueryParameters.eventTypes(QueryParameters.single(type, "type"));
                    var wanted = number("incarnation", QueryParameters.single(incarnation, "incarnation"), 1, Integer.MAX_VALUE)
                            .map(Long::intValue);
                    var page = fromJournal(journal().lifePage(name, wanted, from, e -> types.isEmpty() || types.contains(e.type()), max))
                            .thenApply(p -> p.orElseThrow(() -> noLife(name, wanted)));
                    return onSuccess(page, p -> {
                        var chosen = p.events();
                        long next = chosen.isEmpty() ? from : chosen.get(chosen.size() - 1).seq() + 1;
                        return json(AuditJson.events(fields(), name, p.incarnation(), chosen, next));
                    });
                }))));
    }

    private Route failovers(String name) {
        ClusterName.validate(name);
        return parameterList("incarnation", incarnation -> onSuccess(lifeOf(name, QueryParameters.single(incarnation, "incarnation")), l ->
                json(AuditJson.failovers(name, l.incarnation(), FailoverRecords.of(l.events())))));
    }

    private CompletionStage<ClusterHistory.Life> lifeOf(String name, Optional<String> incarnation) {
        var wanted = number("incarnation", incarnation, 1, Integer.MAX_VALUE).map(Long::intValue);
        return fromJournal(journal().history(name)).thenApply(history -> history.life(wanted).orElseThrow(() -> noLife(name, wanted)));
    }

    /** A journal that cannot be read (down, unreachable) answers 503, as the rest of the API does. */
    private static <T> CompletionStage<T> fromJournal(CompletionStage<T> stage) {
        return stage.handle((value, failure) -> {
            if (failure == null) {
                return value;
            }
            var cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            LOG.warn("Reading the journal for the audit failed", cause);
            throw new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "the journal could not be read; try again shortly");
        });
    }

    private static ApiError noLife(String name, Optional<Integer> incarnation) {
        return incarnation.isPresent()
                ? new ApiError(StatusCodes.NOT_FOUND, "cluster '" + name + "' has no incarnation " + incarnation.get())
                : new ApiError(StatusCodes.NOT_FOUND, "cluster '" + name + "' was never created");
    }

    private Route allEvents() {
        return parameterList("after", afters -> parameterList("limit", limits ->
                optionalHeaderValueByName("Last-Event-ID", lastId -> optionalHeaderValueByName("Accept", accept -> {
                    var after = QueryParameters.single(afters, "after");
                    var limit = QueryParameters.single(limits, "limit");
                    long from = number("Last-Event-ID", lastId, 0, Long.MAX_VALUE)
                            .or(() -> number("after", after, 0, Long.MAX_VALUE)).orElse(0L);
                    if (accept.map(a -> a.contains("text/event-stream")).orElse(false)) {
                        return OpenStreams.get(system).withPlace(place -> {
                            var stream = journal().liveEvents(from)
                                    .map(e -> ServerSentEvent.create(AuditJson.tagged(fields(), e).toString(), "event",
                                            Long.toString(e.offset())))
                                    .keepAlive(HEARTBEAT, ServerSentEvent::heartbeat)
                                    .watchTermination((materialized, done) -> {
                                        done.whenComplete((ended, failure) -> place.close());
                                        return materialized;
                                    });
                            return completeOK(stream, EventStreamMarshalling.toEventStream());
                        });
                    }
                    int max = number("limit", limit, 1, MAX_LIMIT).orElse((long) DEFAULT_LIMIT).intValue();
                    var page = fromJournal(journal().currentEvents(from).take(max).runWith(Sink.seq(), system));
                    return onSuccess(page, events -> json(AuditJson.page(fields(), events,
                            events.isEmpty() ? from : events.get(events.size() - 1).offset())));
                }))));
    }

    private Route json(Object body) {
        return complete(StatusCodes.OK, body, Jackson.marshaller(ClusterJson.MAPPER));
    }

    /** A whole number parameter within bounds, or a 400 saying what is expected. */
    static Optional<Long> number(String name, Optional<String> text, long min, long max) {
        return text.map(t -> {
            try {
                long value = Long.parseLong(t.trim());
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw ApiError.badRequest(name + " must be a whole number from " + min + (max == Long.MAX_VALUE ? " on" : " to " + max)
                    + ", not '" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "'");
        });
    }

    private AuditJournal journal() {
        if (journal == null) {
            try {
                journal = new AuditJournal(system);
            } catch (RuntimeException e) {
                LOG.warn("The audit cannot query the journal", e);
                throw new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "the journal cannot be queried; see the scheduler log");
            }
        }
        return journal;
    }

    private EventFields fields() {
        if (fields == null) {
            fields = new EventFields(system);
        }
        return fields;
    }
}

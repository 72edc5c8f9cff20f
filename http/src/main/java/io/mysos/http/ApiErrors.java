package io.mysos.http;

import akka.http.javadsl.marshallers.jackson.Jackson;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.http.scaladsl.model.EntityStreamSizeException;
import io.mysos.core.InvalidInputException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error of the API as JSON {@code {"error": "..."}}: failures of the handlers, Akka's
 * rejections (unknown path, method, content type) and requests too malformed to reach a route.
 * A message never quotes more than a short cut of the input, and never names Akka's settings.
 */
final class ApiErrors extends AllDirectives {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);
    private static final int MAX_MESSAGE = 200;

    private final long maxBodyBytes;

    ApiErrors(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    Route json(StatusCode status, Object body) {
        return complete(status, body, Jackson.marshaller(ClusterJson.MAPPER));
    }

    /**
     * {@code inner} may run {@code limit}, not the server's request timeout (20 s); past it the answer is a JSON 503
     * with {@code message}.
     */
    Route within(java.time.Duration limit, String message, java.util.function.Supplier<Route> inner) {
        var timeout = scala.concurrent.duration.Duration.create(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        return withRequestTimeout(timeout, () -> withRequestTimeoutResponse(request -> HttpResponse.create()
                .withStatus(StatusCodes.SERVICE_UNAVAILABLE)
                .withEntity(ContentTypes.APPLICATION_JSON, ClusterJson.error(message).toString()), inner));
    }

    ExceptionHandler exceptions() {
        return ExceptionHandler.newBuilder()
                .match(CompletionException.class, e -> failure(e.getCause()))
                .matchAny(this::failure)
                .build();
    }

    private Route failure(Throwable e) {
        if (e instanceof CompletionException wrapped && wrapped.getCause() != null) {
            return failure(wrapped.getCause());
        }
        if (e instanceof ApiError error) {
            return json(error.status(), ClusterJson.error(error.getMessage()));
        }
        if (e instanceof InvalidInputException invalid) {
            return json(StatusCodes.BAD_REQUEST, ClusterJson.error(invalid.getMessage()));
        }
        if (e instanceof TimeoutException || e instanceof akka.pattern.AskTimeoutException) {
            return json(StatusCodes.SERVICE_UNAVAILABLE, ClusterJson.error("the scheduler did not answer in time (its journal may be unavailable); try again shortly"));
        }
        if (e instanceof RejectedExecutionException) {
            // The pool that hashes new clusters' passwords is full: a flood of creates waits its turn outside.
            return respondWithHeader(RawHeader.create("Retry-After", "1"), () -> json(StatusCodes.TOO_MANY_REQUESTS,
                    ClusterJson.error("too many clusters are being created at once; try again shortly")));
        }
        if (e instanceof EntityStreamSizeException) {
            return json(StatusCodes.PAYLOAD_TOO_LARGE, ClusterJson.error(tooLarge()));
        }
        if (e instanceof akka.http.scaladsl.model.IllegalRequestException illegal) {
            var status = illegal.status();
            return json(status, ClusterJson.error(message(status, illegal.info().summary())));
        }
        LOG.error("Request failed", e);
        return json(StatusCodes.INTERNAL_SERVER_ERROR, ClusterJson.error("internal error; see the scheduler log"));
    }

    /** Akka's rejections with the status it chose, and a message of ours. */
    RejectionHandler rejections() {
        return RejectionHandler.defaultHandler().mapRejectionResponse(response -> {
            var status = response.status();
            var text = response.entity() instanceof akka.http.javadsl.model.HttpEntity.Strict strict
                    ? strict.getData().utf8String() : "";
            var message = switch (status.intValue()) {
                case 413 -> tooLarge();
                // Akka's text lists the form types only: the JSON body is decided before it looks.
                case 415 -> "the request's Content-Type is not supported; send a form (application/x-www-form-urlencoded "
                        + "or multipart/form-data) or application/json";
                default -> message(status, text);
            };
            return response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, ClusterJson.error(message).toString()));
        });
    }

    private String tooLarge() {
        return "the request body is larger than " + maxBodyBytes + " bytes";
    }

    /**
     * {@code text} on one line and cut, or the status's reason when it names a setting (an
     * operator's business, not the client's).
     */
    static String message(StatusCode status, String text) {
        // Akka's parse errors end in "(line 1, column 15): <the input>" and a caret line: keep the position only.
        var line = text.replaceAll("(\\(line \\d+, column \\d+\\))[^\n]*", "$1").replaceAll("\\n\\s*\\^\\s*", " ")
                .replaceAll("\\p{Cntrl}+", " ").trim();
        if (line.isEmpty() || line.contains("akka.")) {
            return reason(status);
        }
        return line.length() > MAX_MESSAGE ? line.substring(0, MAX_MESSAGE) + "..." : line;
    }

    private static String reason(StatusCode status) {
        return switch (status.intValue()) {
            case 400 -> "the request is malformed";
            case 404 -> "no such resource";
            case 413 -> "the request body is too large";
            case 414 -> "the request's URI is too long";
            case 431 -> "the request's headers are too large";
            default -> status.reason();
        };
    }

    /**
     * Answers requests Akka could not parse into a request at all (URI too long, bad
     * percent-encoding in the target, headers too large): they never reach the routes.
     * Named in the server settings ({@code parsing.error-handler}), so it needs a public no-argument constructor.
     */
    public static final class ParsingErrors extends akka.http.ParsingErrorHandler {
        @Override
        public HttpResponse handle(akka.http.scaladsl.model.StatusCode status, akka.http.scaladsl.model.ErrorInfo info,
                                   akka.event.LoggingAdapter log, akka.http.scaladsl.settings.ServerSettings settings) {
            // A request that cannot be parsed is the client's fault, whatever Akka's status says:
            // an unknown method (501) is a method this API does not allow, an HTTP version it does
            // not speak (505) a bad request.
            StatusCode answered = switch (status.intValue()) {
                case 501 -> StatusCodes.METHOD_NOT_ALLOWED;
                default -> status.intValue() >= 500 ? StatusCodes.BAD_REQUEST : status;
            };
            // The summary is Akka's own text (no input); the detail may quote the request, so it stays out.
            var message = switch (answered.intValue()) {
                case 405 -> "method not allowed; the API answers GET, POST, PATCH and DELETE";
                case 414 -> reason(answered);
                default -> message(answered, info.summary());
            };
            return HttpResponse.create().withStatus(answered)
                    .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, ClusterJson.error(message).toString()));
        }
    }
}

package io.mysos.http;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.respondWithHeader;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Route;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The requests that stay open (the audit's event streams, the endpoints' long polls), counted
 * together against {@code mysos.http.max-open-streams}: each holds a connection and reads the
 * scheduler or the journal over and over, so a client that opens thousands of them must not take
 * the connections and the journal from everyone else. One past the limit is answered 503 with
 * {@code Retry-After}; requests that answer at once are never counted.
 */
public final class OpenStreams implements Extension {
    private static final ExtensionId<OpenStreams> ID = new ExtensionId<>() {
        @Override
        public OpenStreams createExtension(ActorSystem<?> system) {
            return new OpenStreams(system.settings().config().getInt("mysos.http.max-open-streams"));
        }
    };

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    OpenStreams(int max) {
        this.max = max;
    }

    public static OpenStreams get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /** A place taken by one open request; closing it more than once frees one place only. */
    public static final class Place implements AutoCloseable {
        private final AtomicInteger open;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Place(AtomicInteger open) {
            this.open = open;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        }
    }

    /** {@code inner} with a place that it must close when its answer ends, or 503 when every place is taken. */
    public Route withPlace(Function<Place, Route> inner) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return respondWithHeader(RawHeader.create("Retry-After", "5"), () -> complete(StatusCodes.SERVICE_UNAVAILABLE,
                    HttpEntities.create(ContentTypes.APPLICATION_JSON, ClusterJson.error("too many event streams and watches are open ("
                            + max + "); close some or try again shortly").toString())));
        }
        var place = new Place(open);
        try {
            return inner.apply(place);
        } catch (RuntimeException e) {
            place.close();
            throw e;
        }
    }

    /** How many places are taken now. */
    public int open() {
        return open.get();
    }
}

package io.mysos.executor.mesos;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/** The agent's executor API as the executor uses it: one event stream per subscription, and calls beside it. */
interface Agent {
    /** Sends SUBSCRIBE and returns its event stream once the agent accepted it. */
    Events subscribe(Call subscribe) throws IOException;

    /** Sends an UPDATE or MESSAGE call on its own connection; returns once the agent accepted it. */
    void send(Call call) throws IOException;

    /** A subscription's events in order; closing it (from any thread) ends a blocked {@link #next}. */
    interface Events extends Closeable {
        /** The next event, or empty when the agent closed the stream. */
        Optional<Event> next() throws IOException;
    }

    /** The agent answered with an HTTP error: the call was not accepted. */
    final class RefusedException extends IOException {
        RefusedException(String call, int status, String body) {
            super("the agent refused " + call + " with HTTP " + status + (body.isBlank() ? "" : ": " + body.strip()));
        }
    }
}

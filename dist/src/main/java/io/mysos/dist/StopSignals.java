package io.mysos.dist;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Tells an explicit stop from every other end of the JVM. SIGTERM and SIGINT (Ctrl-C) are an
 * operator's or a supervisor's decision to stop Mysos; a fatal error (Akka exits the JVM on a
 * StackOverflowError or OutOfMemoryError), a hangup, or any System.exit run the same shutdown
 * hooks, and only this record of the signal tells them apart.
 */
final class StopSignals {
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    private static final List<String> EXPLICIT = List.of("TERM", "INT");

    private final AtomicReference<String> received = new AtomicReference<>();

    private StopSignals() {}

    /** Handles SIGTERM and SIGINT: records the signal, then exits as the JVM would (128 + the signal's number). */
    static StopSignals install() {
        var signals = new StopSignals();
        for (var name : EXPLICIT) {
            try {
                var previous = Signal.handle(new Signal(name), signal -> {
                    signals.received.compareAndSet(null, "SIG" + signal.getName());
                    System.exit(128 + signal.getNumber());
                });
                if (previous == sun.misc.SignalHandler.SIG_IGN) {
                    // Started with the signal ignored (nohup, a background job): keep ignoring it.
                    Signal.handle(new Signal(name), previous);
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("Cannot watch SIG{} ({}): that signal will not count as an explicit stop", name, e.getMessage());
            }
        }
        return signals;
    }

    /** The explicit stop signal received, if one was. */
    Optional<String> received() {
        return Optional.ofNullable(received.get());
    }
}

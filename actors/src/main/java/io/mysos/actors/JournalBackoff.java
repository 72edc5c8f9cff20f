package io.mysos.actors;

import akka.actor.typed.BackoffSupervisorStrategy;
import akka.actor.typed.SupervisorStrategy;
import java.time.Duration;

/**
 * How a persistent actor comes back when its journal fails (a write or the recovery): restarted
 * with growing pauses, without limit, because the journal coming back is the normal way out. While
 * it waits, messages for it are stashed (up to akka.actor.typed.restart-stash-capacity) and
 * handled after the recovery; askers that cannot wait that long time out (the API answers 503).
 */
public final class JournalBackoff {
    static final Duration MIN = Duration.ofMillis(500);
    static final Duration MAX = Duration.ofSeconds(10);

    private JournalBackoff() {}

    public static BackoffSupervisorStrategy strategy() {
        return SupervisorStrategy.restartWithBackoff(MIN, MAX, 0.2);
    }
}

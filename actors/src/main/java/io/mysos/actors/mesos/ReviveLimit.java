package io.mysos.actors.mesos;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * At most one REVIVE per {@code interval}: a REVIVE clears every refuse filter the framework set,
 * so a flapping demand must not turn into a stream of them (Mesos advises against reviving often).
 */
record ReviveLimit(Duration interval, Optional<Instant> last) {
    static ReviveLimit of(Duration interval) {
        return new ReviveLimit(interval, Optional.empty());
    }

    /** How long to wait before a REVIVE may go out at {@code now}; zero when it may go now. */
    Duration waitAt(Instant now) {
        if (last.isEmpty()) {
            return Duration.ZERO;
        }
        var next = last.get().plus(interval);
        return now.isBefore(next) ? Duration.between(now, next) : Duration.ZERO;
    }

    ReviveLimit revivedAt(Instant now) {
        return new ReviveLimit(interval, Optional.of(now));
    }
}

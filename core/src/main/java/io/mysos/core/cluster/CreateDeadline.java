package io.mysos.core.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the answer to a create is still wanted: its asker (the API) stops waiting at {@code answerBy}
 * and then answers 503 "did not answer in time", which must mean that nothing is created. A create
 * without one (recovery, tests) is always answered.
 */
public record CreateDeadline(Optional<Instant> answerBy) {
    /** The time a reply needs to reach its asker: a create recorded later than this before the deadline is undone. */
    public static final Duration REPLY_MARGIN = Duration.ofSeconds(1);

    public static final CreateDeadline NONE = new CreateDeadline(Optional.empty());

    /** On arrival: whether the cluster actor can still be given its whole {@code createTimeout} before the asker gives up. */
    public boolean leavesRoomFor(Duration createTimeout, Instant now) {
        return answerBy.map(by -> !now.plus(createTimeout).isAfter(by)).orElse(true);
    }

    /**
     * Once the create is recorded: how long its cluster actor may take to confirm ({@code createTimeout}, or less so
     * that the answer arrives in time), or empty when the asker has given up (or will before a reply reaches it).
     */
    public Optional<Duration> confirmWithin(Duration createTimeout, Instant now) {
        if (answerBy.isEmpty()) {
            return Optional.of(createTimeout);
        }
        var left = Duration.between(now, answerBy.get()).minus(REPLY_MARGIN);
        if (left.isNegative() || left.isZero()) {
            return Optional.empty();
        }
        return Optional.of(left.compareTo(createTimeout) < 0 ? left : createTimeout);
    }
}

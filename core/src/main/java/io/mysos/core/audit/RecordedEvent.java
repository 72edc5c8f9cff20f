package io.mysos.core.audit;

import io.mysos.core.cluster.ClusterEvent;
import java.time.Instant;

/**
 * One event of a cluster's journal as the audit reads it back: its sequence number within the
 * cluster's persistence id, when the journal wrote it, and the event.
 */
public record RecordedEvent(long seq, Instant timestamp, ClusterEvent event) {
    /** The event's type as the journal's manifest and the docs name it, e.g. {@code MasterElected}. */
    public String type() {
        return event.getClass().getSimpleName();
    }

    /** When it happened: the time the event itself records, else when the journal wrote it. */
    public Instant happenedAt() {
        return EventTimes.of(event).orElse(timestamp);
    }
}

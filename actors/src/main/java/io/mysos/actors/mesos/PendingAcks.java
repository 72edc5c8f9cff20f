package io.mysos.actors.mesos;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos;

/**
 * Status updates handed to the clusters and not yet acknowledged: each waits, under a token, until
 * its cluster has recorded it. A lost subscription forgets them all; Mesos sends them again.
 */
final class PendingAcks {
    private final Map<String, Protos.TaskStatus> waiting = new HashMap<>();
    private long next;

    /** A token for an update that needs an acknowledgement, or empty (the master's own updates carry no uuid). */
    Optional<String> await(Protos.TaskStatus status) {
        if (!status.hasUuid() || !status.hasAgentId()) {
            return Optional.empty();
        }
        var token = "ack-" + (++next);
        waiting.put(token, status);
        return Optional.of(token);
    }

    Optional<Protos.TaskStatus> recorded(String token) {
        return Optional.ofNullable(waiting.remove(token));
    }

    void clear() {
        waiting.clear();
    }
}

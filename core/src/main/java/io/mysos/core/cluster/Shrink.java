package io.mysos.core.cluster;

import io.mysos.core.election.Position;
import io.mysos.core.task.TaskId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Which replicas to let go when a cluster shrinks: never the master, the least useful first. */
public final class Shrink {
    private Shrink() {}

    /** A replica that may be removed, with its replication position if it reported one. */
    public record Replica(TaskId taskId, boolean running, Optional<Position> position) {}

    /**
     * The {@code count} replicas to remove: those not running first, then the most lagging (fewest
     * transactions applied; one that did not report its position counts as the most lagging), then
     * the newest.
     */
    public static List<TaskId> choose(List<Replica> replicas, int count) {
        return replicas.stream()
                .sorted(Comparator.comparing(Replica::running)
                        .thenComparingLong(r -> r.position().map(Position::transactions).orElse(-1L))
                        .thenComparing(Comparator.comparingLong((Replica r) -> r.taskId().serverId()).reversed()))
                .limit(count)
                .map(Replica::taskId)
                .toList();
    }
}

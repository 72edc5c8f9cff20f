package io.mysos.core.election;

import io.mysos.core.task.TaskId;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Who becomes master: the candidate whose position covers every other candidate's (it has every
 * transaction any of them has); among several such, or when histories diverged, the one with the
 * most transactions; then the one that has applied most of them (it takes writes soonest); then
 * the lowest server id, so every run elects the same instance.
 */
public final class Election {
    private Election() {}

    public static Optional<TaskId> winner(Map<TaskId, Position> positions) {
        return winner(positions, Map.of());
    }

    /** @param applied how far each candidate has applied, when known: breaks ties between equal positions */
    public static Optional<TaskId> winner(Map<TaskId, Position> positions, Map<TaskId, Position> applied) {
        var byProgress = Comparator.<Map.Entry<TaskId, Position>>comparingLong(e -> e.getValue().transactions())
                .reversed()
                .thenComparing(Comparator.<Map.Entry<TaskId, Position>>comparingLong(
                        e -> applied.containsKey(e.getKey()) ? applied.get(e.getKey()).transactions() : 0).reversed())
                .thenComparingLong(e -> e.getKey().serverId());
        var complete = positions.entrySet().stream()
                .filter(candidate -> positions.values().stream().allMatch(candidate.getValue()::covers))
                .sorted(byProgress)
                .findFirst();
        if (complete.isPresent()) {
            return complete.map(Map.Entry::getKey);
        }
        return positions.entrySet().stream().sorted(byProgress).findFirst().map(Map.Entry::getKey);
    }
}

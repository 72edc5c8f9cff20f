package io.mysos.core.election;

import io.mysos.core.task.TaskId;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who becomes master: the candidate whose position covers every other candidate's (it has every
 * transaction any of them has); among several such the one that has applied most of them (it
 * takes writes soonest); then the lowest server id, so every run elects the same instance. When
 * no candidate covers all the others, histories diverged: {@link #decide} says so instead of
 * picking one, because promoting any of them loses what the others hold.
 */
public final class Election {
    private Election() {}

    /** What the positions gathered in an election allow. */
    public sealed interface Outcome {}

    /** {@code winner} has every transaction any candidate has. */
    public record Elected(TaskId winner) implements Outcome {}

    /**
     * No candidate has every transaction: {@code mostAdvanced} (most transactions) lacks, from each
     * instance in {@code lacking}, the GTIDs listed there. Only an operator may promote one.
     */
    public record Diverged(TaskId mostAdvanced, Map<TaskId, List<String>> lacking) implements Outcome {
        public Diverged {
            lacking = Map.copyOf(lacking);
        }
    }

    /** The winner, or the divergence that forbids one; empty without positions. */
    public static Optional<Outcome> decide(Map<TaskId, Position> positions, Map<TaskId, Position> applied) {
        var best = mostAdvanced(positions, applied);
        if (best.isEmpty()) {
            return Optional.empty();
        }
        var bestPosition = positions.get(best.get());
        var lacking = new LinkedHashMap<TaskId, List<String>>();
        positions.entrySet().stream()
                .sorted(Comparator.comparingLong(e -> e.getKey().serverId()))
                .forEach(e -> {
                    var missing = bestPosition.lacking(e.getValue());
                    if (!missing.isEmpty()) {
                        lacking.put(e.getKey(), missing);
                    }
                });
        return Optional.of(lacking.isEmpty() ? new Elected(best.get()) : new Diverged(best.get(), lacking));
    }

    static Optional<TaskId> mostAdvanced(Map<TaskId, Position> positions) {
        return mostAdvanced(positions, Map.of());
    }

    /**
     * The candidate that covers every other, or, when none does, the one with most transactions:
     * only {@link #decide} may tell the two apart, so this is not for choosing a master by itself.
     *
     * @param applied how far each candidate has applied, when known: breaks ties between equal positions
     */
    static Optional<TaskId> mostAdvanced(Map<TaskId, Position> positions, Map<TaskId, Position> applied) {
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

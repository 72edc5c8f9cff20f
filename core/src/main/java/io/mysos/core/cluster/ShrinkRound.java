package io.mysos.core.cluster;

import io.mysos.core.election.Position;
import io.mysos.core.task.TaskId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A shrink to {@code to} nodes waiting for the running replicas' positions, so that the most
 * lagging go first ({@link Shrink}).
 */
public record ShrinkRound(int to, List<TaskId> asked, Map<TaskId, Position> positions) {
    public ShrinkRound {
        asked = List.copyOf(asked);
        positions = Map.copyOf(positions);
    }

    /** A shrink of {@code life} to {@code to} nodes asks every running replica it may let go. */
    public static ShrinkRound of(ClusterLife life, int to) {
        return new ShrinkRound(to, life.removable().stream().filter(Instance::running).map(Instance::taskId).toList(), Map.of());
    }

    public ShrinkRound answered(TaskId task, Position position) {
        if (!asked.contains(task)) {
            return this;
        }
        var more = new HashMap<>(positions);
        more.put(task, position);
        return new ShrinkRound(to, asked, more);
    }

    public boolean complete() {
        return positions.keySet().containsAll(asked);
    }

    /** The replicas to let go, with the positions that arrived (a silent replica counts as the most lagging). */
    public List<TaskId> removed(ClusterLife life) {
        var replicas = life.removable().stream()
                .map(i -> new Shrink.Replica(i.taskId(), i.running(), Optional.ofNullable(positions.get(i.taskId()))))
                .toList();
        return Shrink.choose(replicas, life.spec().numNodes() - to);
    }
}

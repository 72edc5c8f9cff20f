package io.mysos.core.failover;

import io.mysos.core.cluster.ClusterEvent.ClusterResized;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.cluster.ShrinkRound;
import io.mysos.core.protocol.ExecutorCommand;
import java.util.List;
import java.util.Optional;

/**
 * A resize: growing only records the new size (the demand asks for the rest); shrinking first asks
 * the running replicas how far they are, so that the most lagging go ({@link ShrinkRound}), and is
 * refused while a failover runs (the replica it would keep may be the one about to be promoted).
 */
public final class Resizing {
    private Resizing() {}

    public sealed interface Plan {}

    /** Nothing to do. */
    public record Unchanged(String detail) implements Plan {}

    /** Valid, but not now. */
    public record Refused(String reason) implements Plan {}

    /** Record {@code decision} (a ClusterResized), then answer {@code detail}. */
    public record Resized(Decision decision, String detail) implements Plan {}

    /** A shrink asks for positions first ({@code decision} has no events); {@link #finish} ends it. */
    public record Asking(Decision decision) implements Plan {}

    public static Plan plan(ClusterLife life, Observed observed, int to) {
        var name = life.spec().name();
        int from = life.spec().numNodes();
        if (to == from) {
            return new Unchanged("already " + to + " nodes");
        }
        if (to < from && life.election().isPresent()) {
            return new Refused("a failover of cluster '" + name + "' is in progress; shrink it once it has a master");
        }
        if (observed.shrink().isPresent()) {
            return new Refused("cluster '" + name + "' is already being resized; try again");
        }
        if (to > from) {
            return resized(from, to, List.of(), observed);
        }
        var round = ShrinkRound.of(life, to);
        if (round.complete()) {
            return resized(from, to, round.removed(life), observed);
        }
        var queries = round.asked().stream()
                .map(task -> (Action) new Action.Send(task, new ExecutorCommand.QueryPosition(life.epoch()))).toList();
        return new Asking(Decision.act(queries, observed.withShrink(Optional.of(round))));
    }

    /** The shrink waiting for positions ends (all arrived, or its deadline passed): which replicas go. */
    public static Plan finish(ClusterLife life, Observed observed) {
        var round = observed.shrink();
        var rest = observed.withShrink(Optional.empty());
        if (round.isEmpty() || life.election().isPresent()) {
            return new Refused("cluster '" + life.spec().name() + "' changed while it was being resized; try again");
        }
        return resized(life.spec().numNodes(), round.get().to(), round.get().removed(life), rest);
    }

    private static Resized resized(int from, int to, List<io.mysos.core.task.TaskId> removed, Observed observed) {
        var kills = removed.stream().map(id -> (Action) new Action.Kill(id)).toList();
        return new Resized(new Decision(List.of(new ClusterResized(from, to, removed)), kills, observed),
                "resizing from " + from + " to " + to + " nodes");
    }
}

package io.mysos.core.failover;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterEvent.ElectionStarted;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.cluster.Instance;
import io.mysos.core.task.TaskId;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An operator's {@code POST /clusters/{name}/failover}: a planned switchover from a writable
 * master to a caught-up replica, or, with {@code force}, the promotion of a chosen replica in a
 * failover that cannot elect one by itself (diverged histories, nobody answering).
 */
public final class Switchover {
    private Switchover() {}

    /** How the request ends. */
    public sealed interface Plan {}

    /** Accepted: record and carry out {@code decision}; {@code detail} tells the operator what happens. */
    public record Accepted(Decision decision, String detail) implements Plan {}

    /** Valid, but not now (e.g. during a failover). */
    public record Conflict(String reason) implements Plan {}

    /** Makes no sense for this cluster (e.g. a target that is not a replica). */
    public record Invalid(String reason) implements Plan {}

    public static Plan plan(ClusterLife life, Observed observed, Optional<String> target, boolean force, Instant now) {
        var name = life.spec().name();
        var election = life.election();
        if (election.isPresent()) {
            if (force && target.isPresent() && !election.get().planned()) {
                var forcing = ElectionRound.force(life, observed, target.get());
                if (forcing instanceof ElectionRound.Forced forced) {
                    return new Accepted(forced.decision(),
                            "promoting " + target.get() + " in epoch " + election.get().epoch() + " (forced)");
                }
                return new Invalid(((ElectionRound.Refused) forcing).reason());
            }
            var hint = election.get().diverged().isPresent() || observed.electionStalled()
                    ? "; to promote a replica anyway, name it with target and force=true" : "";
            return new Conflict("a failover of cluster '" + name + "' is already in progress" + hint);
        }
        var master = life.masterInstance().filter(Instance::running);
        if (master.isEmpty() || !observed.isConfirmed(master.get().taskId())) {
            return new Conflict("cluster '" + name + "' has no writable master to hand over from");
        }
        var replicas = life.candidates().stream().filter(observed::isConfirmed).toList();
        Optional<TaskId> chosen;
        if (target.isPresent()) {
            chosen = replicas.stream().filter(r -> r.value().equals(target.get())).findFirst();
            if (chosen.isEmpty()) {
                return new Invalid("target '" + target.get() + "' is not a running replica of cluster '" + name + "'");
            }
        } else {
            chosen = replicas.stream().min(Comparator.comparingLong(TaskId::serverId));
            if (chosen.isEmpty()) {
                return new Conflict("cluster '" + name + "' has no running replica to hand over to");
            }
        }
        var epoch = life.epoch() + 1;
        var started = new ElectionStarted(epoch, Optional.of(master.get().taskId()), List.of(chosen.get()),
                ClusterEvent.PLANNED, true, now);
        var round = observed.newRound();
        var decision = new Decision(List.of(started), ElectionRound.queries(life.apply(started), round), round);
        return new Accepted(decision, "switching over to " + chosen.get() + " in epoch " + epoch);
    }
}

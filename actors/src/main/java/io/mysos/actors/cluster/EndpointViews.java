package io.mysos.actors.cluster;

import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.cluster.Instance;
import io.mysos.core.endpoint.RoutingView;
import io.mysos.core.failover.Observed;
import java.util.Optional;

/** What a cluster's endpoints route by, from its state and what its actor observed (see {@code EndpointRouting}). */
final class EndpointViews {
    private EndpointViews() {}

    static RoutingView routing(ClusterLife life, boolean deleting, Observed observed) {
        if (deleting) {
            return new RoutingView(life.epoch(), true, Optional.empty(), java.util.List.of());
        }
        // From MasterLost or a switchover's start (an open election) until FailoverCompleted.
        boolean failingOver = life.election().isPresent() || life.failover().isPresent();
        var master = life.masterInstance().map(m -> member(m, observed));
        var replicas = life.live().stream().filter(i -> !life.isMaster(i.taskId()) && !i.removed()).map(i -> member(i, observed)).toList();
        return new RoutingView(life.epoch(), failingOver, master, replicas);
    }

    private static RoutingView.Member member(Instance i, Observed observed) {
        // No backups are taken yet; once they are, the replica being backed up is marked here.
        return new RoutingView.Member(i.taskId().value(), i.host(), i.port(), i.state(), observed.isConfirmed(i.taskId()),
                observed.lag(i.taskId()), false);
    }
}

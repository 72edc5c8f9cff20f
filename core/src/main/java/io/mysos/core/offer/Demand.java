package io.mysos.core.offer;

import io.mysos.core.resources.Resources;
import java.util.List;
import java.util.Set;

/**
 * What one cluster still needs: {@code instances} more instances of {@code size}. {@code since}
 * orders demands first come first served; {@code hostsInUse} are the hosts that already run an
 * instance of the cluster, which the matcher avoids while other hosts can take it (and always, on
 * persistent offers). {@code reusable}: persistent volumes of instances that ended, on which as many
 * of the instances are relaunched (only where that volume is offered), the others on new volumes.
 */
public record Demand(String cluster, int instances, Resources size, Set<String> hostsInUse, long since, List<String> reusable) {
    public Demand {
        hostsInUse = Set.copyOf(hostsInUse);
        reusable = reusable == null ? List.of() : List.copyOf(reusable);
    }

    public Demand(String cluster, int instances, Resources size, Set<String> hostsInUse, long since) {
        this(cluster, instances, size, hostsInUse, since, List.of());
    }
}

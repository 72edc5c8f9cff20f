package io.mysos.core.offer;

import io.mysos.core.resources.Resources;
import java.util.Set;

/**
 * What one cluster still needs: {@code instances} more instances of {@code size}. {@code since}
 * orders demands first come first served; {@code hostsInUse} are the hosts that already run an
 * instance of the cluster, which the matcher avoids while other hosts can take it.
 */
public record Demand(String cluster, int instances, Resources size, Set<String> hostsInUse, long since) {
    public Demand {
        hostsInUse = Set.copyOf(hostsInUse);
    }
}

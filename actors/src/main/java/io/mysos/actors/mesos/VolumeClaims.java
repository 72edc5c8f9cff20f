package io.mysos.actors.mesos;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which persistent volumes of Mysos found in offers no cluster claims, so the gateway destroys and
 * unreserves them. A volume is kept while its cluster holds it, and while its cluster exists but has
 * not said what it holds yet (after a restart the clusters recover one by one); before the registry
 * has said which clusters exist, every volume is kept. Immutable.
 */
record VolumeClaims(Optional<Set<String>> known, Map<String, Set<String>> held) {
    VolumeClaims {
        held = Map.copyOf(held);
    }

    static VolumeClaims none() {
        return new VolumeClaims(Optional.empty(), Map.of());
    }

    VolumeClaims withKnown(List<String> clusters) {
        return new VolumeClaims(Optional.of(Set.copyOf(clusters)), held);
    }

    VolumeClaims withHeld(String cluster, List<String> volumes) {
        var changed = new HashMap<>(held);
        changed.put(cluster, Set.copyOf(volumes));
        return new VolumeClaims(known, changed);
    }

    /** Whether volume {@code volumeId} of {@code cluster} may be destroyed. */
    boolean unclaimed(String cluster, String volumeId) {
        if (held.containsKey(cluster)) {
            return !held.get(cluster).contains(volumeId);
        }
        return known.map(clusters -> !clusters.contains(cluster)).orElse(false);
    }
}

package io.mysos.core.offer;

import io.mysos.core.resources.PortRange;
import io.mysos.core.resources.Resources;
import java.util.List;

/** Resources on one agent that the resource side offers for a while: take them, or decline them. */
public record Offer(String id, String agentId, String host, Resources resources, List<PortRange> ports) {
    public Offer {
        ports = List.copyOf(ports);
    }

    public boolean hasPort() {
        return !ports.isEmpty();
    }

    public int firstPort() {
        return ports.get(0).begin();
    }
}

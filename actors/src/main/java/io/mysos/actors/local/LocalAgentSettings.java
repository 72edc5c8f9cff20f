package io.mysos.actors.local;

import io.mysos.core.resources.PortRange;
import io.mysos.core.resources.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the local agent offers and where it keeps instances: this machine's host name or address,
 * the resources it may give out, its port ranges, the directory of instance sandboxes, and how
 * long it waits before offering again what was declined.
 */
public record LocalAgentSettings(String host, String agentId, Resources resources, List<PortRange> ports,
                                 Path instancesDir, Duration offerDelay) {
    public LocalAgentSettings {
        ports = List.copyOf(ports);
    }
}

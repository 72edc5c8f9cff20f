package io.mysos.dist;

import io.mysos.core.resources.PortRange;
import io.mysos.core.resources.Resources;
import java.nio.file.Path;
import java.util.List;

/** Everything {@code mysos local} needs to start, validated. */
public record LocalSettings(String host, int port, Path dataDir, Path keyFile, Resources resources, List<PortRange> ports) {
    public LocalSettings {
        ports = List.copyOf(ports);
    }
}

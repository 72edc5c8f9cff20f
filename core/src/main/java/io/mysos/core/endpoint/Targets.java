package io.mysos.core.endpoint;

import java.util.List;
import java.util.Optional;

/**
 * Where a cluster's two endpoints send new connections now. {@code readWrite} is empty while the
 * master is fenced (a failover or switchover in progress, or no master confirmed writable yet):
 * new connections wait, and open ones to an older master are closed. {@code readOnly} is empty only
 * when there is nothing at all to read from.
 */
public record Targets(long epoch, Optional<Target> readWrite, List<Target> readOnly) {
    public Targets {
        readWrite = readWrite == null ? Optional.empty() : readWrite;
        readOnly = readOnly == null ? List.of() : List.copyOf(readOnly);
    }

    public static Targets none(long epoch) {
        return new Targets(epoch, Optional.empty(), List.of());
    }

    /** No writable master now. */
    public boolean fenced() {
        return readWrite.isEmpty();
    }
}

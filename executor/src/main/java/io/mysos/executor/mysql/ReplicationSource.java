package io.mysos.executor.mysql;

import java.util.Optional;

/** The master a replica is configured to replicate from, and whether its two threads run. */
public record ReplicationSource(String host, int port, boolean ioRunning, boolean sqlRunning, Optional<String> lastError) {

    public boolean isRunning() {
        return ioRunning && sqlRunning;
    }

    public boolean isFrom(String host, int port) {
        return this.host.equalsIgnoreCase(host) && this.port == port;
    }

    @Override
    public String toString() {
        return Endpoints.address(host, port) + " (io " + (ioRunning ? "running" : "stopped") + ", sql "
                + (sqlRunning ? "running" : "stopped") + lastError.map(e -> ", last error: " + e).orElse("") + ")";
    }
}

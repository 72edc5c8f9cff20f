package io.mysos.actors.cluster;

import io.mysos.actors.JsonSerializable;
import io.mysos.core.cluster.ClusterStatus;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the API shows of one cluster: a read-only snapshot taken from its actor's state. */
public record ClusterView(
        String name,
        ClusterStatus status,
        int numNodes,
        long epoch,
        Optional<InstanceView> master,
        List<InstanceView> replicas,
        Resources size,
        String user,
        Instant createdAt,
        Optional<String> reason,
        Optional<String> backupId,
        boolean semiSync,
        Optional<Failover> lastFailover) implements JsonSerializable {

    /** The last completed failover or switchover: lost (or handed over) at {@code startedAt}, writable {@code millis} later. */
    public record Failover(long epoch, Optional<String> from, String to, Instant startedAt, long millis, String cause)
            implements JsonSerializable {}

    /** One MySQL instance as the API shows it. */
    public record InstanceView(String taskId, String host, int port, TaskState state) implements JsonSerializable {}
}

package io.mysos.core.cluster;

import io.mysos.core.InvalidInputException;
import io.mysos.core.resources.Resources;
import java.util.Optional;

/**
 * What a user asked for: a named cluster of {@code numNodes} MySQL instances of one size, replicating
 * semi-synchronously when {@code semiSync} (a commit is acknowledged only once a replica has it).
 */
public record ClusterSpec(String name, String user, int numNodes, Resources size, Optional<String> backupId,
                          boolean semiSync) {
    public static final int MAX_NODES = 100;

    public ClusterSpec {
        ClusterName.validate(name);
        MySqlUserName.validate(user);
        validateNodeCount(numNodes);
        if (size == null) {
            throw new InvalidInputException("size is required");
        }
        if (size.cpus() <= 0 || size.mem().bytes() <= 0 || size.disk().bytes() <= 0) {
            throw new InvalidInputException("size needs cpus, mem and disk above zero, not " + size.describe());
        }
        backupId = backupId == null ? Optional.empty() : backupId.filter(id -> !id.isBlank());
    }

    /** Validates a create: semi-sync needs a replica to acknowledge commits, so a 1-node cluster cannot ask for it. */
    public ClusterSpec validatedForCreate() {
        if (semiSync && numNodes < 2) {
            throw new InvalidInputException("semi_sync needs num_nodes of 2 or more: a master without replicas would wait on every commit");
        }
        return this;
    }

    /** Semi-synchronous replication is on by default for clusters that have replicas. */
    public static boolean defaultSemiSync(int numNodes) {
        return numNodes >= 2;
    }

    public ClusterSpec withNumNodes(int nodes) {
        return new ClusterSpec(name, user, nodes, size, backupId, semiSync);
    }

    public static int validateNodeCount(int numNodes) {
        if (numNodes < 1 || numNodes > MAX_NODES) {
            throw new InvalidInputException("num_nodes must be between 1 and " + MAX_NODES + ", not " + numNodes);
        }
        return numNodes;
    }
}

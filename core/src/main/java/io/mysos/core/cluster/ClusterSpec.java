package io.mysos.core.cluster;

import io.mysos.core.InvalidInputException;
import io.mysos.core.resources.Resources;
import java.util.Optional;

/**
 * What a user asked for: a named cluster of {@code numNodes} MySQL instances of one size, replicating
 * semi-synchronously when {@code semiSync} (a commit is acknowledged only once a replica has it). Created
 * from the backup {@code backupId} if given, rolled forward to {@code restoreTo} (a time or GTID position).
 */
public record ClusterSpec(String name, String user, int numNodes, Resources size, Optional<String> backupId,
                          boolean semiSync, io.mysos.core.backup.BackupPolicy backupPolicy, Optional<String> restoreTo) {
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
        // Clusters created before backups had a schedule have none.
        backupPolicy = backupPolicy == null ? io.mysos.core.backup.BackupPolicy.NONE : backupPolicy;
        // Clusters created before point-in-time recovery have none.
        restoreTo = restoreTo == null ? Optional.empty() : restoreTo.filter(t -> !t.isBlank());
        if (restoreTo.isPresent() && backupId.isEmpty()) {
            throw new InvalidInputException("restore_to needs backup_id: the backup to roll forward from");
        }
    }

    /** Not rolled forward to a point in time. */
    public ClusterSpec(String name, String user, int numNodes, Resources size, Optional<String> backupId,
                       boolean semiSync, io.mysos.core.backup.BackupPolicy backupPolicy) {
        this(name, user, numNodes, size, backupId, semiSync, backupPolicy, Optional.empty());
    }

    /** Without a backup schedule. */
    public ClusterSpec(String name, String user, int numNodes, Resources size, Optional<String> backupId, boolean semiSync) {
        this(name, user, numNodes, size, backupId, semiSync, io.mysos.core.backup.BackupPolicy.NONE);
    }

    /**
     * Validates a create: instances must be at least {@link Resources#MINIMUM_INSTANCE} (a smaller
     * one would be booked but could never serve), and semi-sync needs a replica to acknowledge
     * commits, so a 1-node cluster cannot ask for it. (Only creates: clusters made before a minimum
     * existed keep replaying.)
     */
    public ClusterSpec validatedForCreate() {
        var shortOf = size.shortOf(Resources.MINIMUM_INSTANCE);
        if (!shortOf.isEmpty()) {
            throw new InvalidInputException("size " + size.describe() + " is too small for a MySQL instance: "
                    + String.join(", ", shortOf));
        }
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
        return new ClusterSpec(name, user, nodes, size, backupId, semiSync, backupPolicy, restoreTo);
    }

    public static int validateNodeCount(int numNodes) {
        if (numNodes < 1 || numNodes > MAX_NODES) {
            throw new InvalidInputException("num_nodes must be between 1 and " + MAX_NODES + ", not " + numNodes);
        }
        return numNodes;
    }
}

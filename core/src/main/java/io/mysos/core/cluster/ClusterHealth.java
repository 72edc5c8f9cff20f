package io.mysos.core.cluster;

/** Derives a cluster's reported status from what its instances are doing. */
public final class ClusterHealth {
    private ClusterHealth() {}

    /**
     * @param everAtFullStrength whether the cluster has ever had all its instances running with a master
     * @param masterRunning      whether the current master's task runs
     * @param running            how many instances' tasks run
     * @param masterWritable     whether the master confirmed it is writable
     * @param ready              how many running instances confirmed their role (the master writable, replicas
     *                           replicating) and are in sync (not catching up)
     * @param catchingUp         how many running replicas said they are catching up with the master
     */
    public static ClusterStatus status(boolean deleting, boolean everAtFullStrength, boolean masterRunning, int running,
                                       boolean masterWritable, int ready, int catchingUp, int numNodes) {
        if (deleting) {
            return ClusterStatus.DELETING;
        }
        if (masterWritable && ready >= numNodes) {
            return ClusterStatus.RUNNING;
        }
        // A replica still replaying a backlog runs, but a read from it is stale and it cannot take over without a wait.
        if (everAtFullStrength && (!masterRunning || running < numNodes || catchingUp > 0)) {
            return ClusterStatus.DEGRADED;
        }
        // Tasks run, roles not yet confirmed (just created, or just recovered): on its way.
        return ClusterStatus.PENDING;
    }
}

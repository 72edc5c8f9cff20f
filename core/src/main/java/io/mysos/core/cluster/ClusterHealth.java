package io.mysos.core.cluster;

/** Derives a cluster's reported status from what its instances are doing. */
public final class ClusterHealth {
    private ClusterHealth() {}

    /**
     * @param everAtFullStrength whether the cluster has ever had all its instances running with a master
     * @param masterRunning      whether the current master's task is running
     * @param running            how many instances run
     */
    public static ClusterStatus status(boolean deleting, boolean everAtFullStrength, boolean masterRunning,
                                       int running, int numNodes) {
        if (deleting) {
            return ClusterStatus.DELETING;
        }
        if (masterRunning && running >= numNodes) {
            return ClusterStatus.RUNNING;
        }
        return everAtFullStrength ? ClusterStatus.DEGRADED : ClusterStatus.PENDING;
    }
}

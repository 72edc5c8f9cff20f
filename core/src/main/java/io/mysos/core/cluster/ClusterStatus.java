package io.mysos.core.cluster;

/** How a cluster is doing, as the API reports it. */
public enum ClusterStatus {
    /** Not yet at full strength for the first time (waiting for resources or for instances to start). */
    PENDING,
    /** A writable master and every instance running. */
    RUNNING,
    /** Was running, and now has fewer instances running than asked for, or no master. */
    DEGRADED,
    /** Deletion was asked for; instances are being killed. */
    DELETING
}

package io.mysos.executor.mysql;

import java.util.Optional;

/**
 * What Mysos does to a running mysqld: turn writes on and off, make the cluster user, point
 * replication at a master. Methods throw {@link MySqlControlException} when the server cannot do it.
 */
public interface MySqlControl {
    /** True when the server answers a query now. */
    boolean ping();

    boolean isReadOnly();

    /** Read-only refuses writes from every account but the admin one (and the replication threads). */
    void setReadOnly(boolean readOnly);

    /** Creates the cluster's user if missing, sets its password and grants it ordinary privileges on all databases. */
    void ensureClusterUser(String user, String password);

    /** Replicates from the master at {@code host:port} with GTID auto-positioning. */
    void replicateFrom(String host, int port, String user, String password);

    /** Applies what the replica already received, then stops replicating and forgets the master. */
    void stopReplication();

    /** The master this server replicates from, if any. */
    Optional<ReplicationSource> replicationSource();
}

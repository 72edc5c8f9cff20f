package io.mysos.executor.mysql;

import io.mysos.core.cluster.Lag;
import io.mysos.core.election.Position;
import java.time.Duration;
import java.util.Optional;

/**
 * What Mysos does to a running mysqld: turn writes on and off, make the cluster user, point
 * replication at a master, read how far it has come. Methods throw {@link MySqlControlException}
 * when the server cannot do it.
 */
public interface MySqlControl {
    /** What {@link #replicateFrom} had to do. */
    enum ReplicationChange {
        /** It already replicated from that master, both threads running, semi-sync as asked. */
        NONE,
        /** Same master, but the IO thread had to reconnect to turn semi-sync on. */
        RESTARTED_IO_THREAD,
        /** It was pointed at the master and replication (re)started. */
        NEW_SOURCE
    }

    /** True when the server answers a query now. */
    boolean ping();

    /**
     * Logs in and runs a trivial query, all within about {@code timeout}. An error the server sends
     * (access denied, too many connections) counts as an answer: it is alive, if unhappy.
     *
     * @throws MySqlControlException saying why not (connection refused or reset, timed out)
     */
    void checkAlive(Duration timeout);

    boolean isReadOnly();

    /** Read-only refuses writes from every account but the admin one (and the replication threads). */
    void setReadOnly(boolean readOnly);

    /** Creates the cluster's user if missing, sets its password and grants it ordinary privileges on all databases. */
    void ensureClusterUser(String user, String password);

    /**
     * Replicates from the master at {@code host:port} with GTID auto-positioning (which also suits a
     * demoted former master). With {@code semiSync} the replica acknowledges what it receives and its
     * master half of semi-sync is off; changing that takes an IO thread restart. Does nothing when it
     * already replicates from there with both threads running and semi-sync as asked.
     */
    ReplicationChange replicateFrom(String host, int port, String user, String password, boolean semiSync);

    /**
     * Flushes every commit to disk ({@code innodb_flush_log_at_trx_commit=1}, {@code sync_binlog=1}:
     * a master never acknowledges a write it could lose), or, for a replica, lets the OS do it
     * ({@code 2} and {@code 0}): a replica applies many times faster, and what a crash of its
     * machine loses it fetches again from its master by GTID.
     */
    void setDurable(boolean durable);

    /** Applies what the replica already received, then stops replicating and forgets the master. */
    void stopReplication();

    /**
     * Turns the master half of semi-synchronous replication on (commits wait for a replica's
     * acknowledgement after the binlog sync, up to {@link SqlDialect#SEMI_SYNC_MASTER_TIMEOUT};
     * the replica half goes off) or off. MySQL's plugin is installed when first needed.
     */
    void setSemiSyncMaster(boolean on);

    /**
     * Why this replica's replication has stopped for good, if it has: its SQL thread stopped on an
     * error, or its IO thread gave up (error 1236: the master lacks the transactions it asks for).
     * Errors MySQL retries by itself (a master not reachable yet) are not reported.
     */
    Optional<String> replicationBroken();

    /**
     * How far this replica is behind its master: what it received and has not applied, and its own
     * seconds estimate; empty when it replicates from nobody.
     */
    Optional<Lag> replicationLag();

    /** The master this server replicates from, if any. */
    Optional<ReplicationSource> replicationSource();

    /** How far this server has come: its GTID set (MariaDB gtid_current_pos, MySQL gtid_executed), else binlog file:offset. */
    Position position();

    /**
     * How far this server can come without its master: its {@link #position()} united with what its
     * IO thread has already received and not yet applied (a promotion applies that first).
     */
    Position reachablePosition();
}

package io.mysos.executor.mysql;

import io.mysos.core.election.Position;
import io.mysos.executor.mysql.MySqlInstallation.Flavor;
import io.mysos.executor.mysql.SemiSyncPlugin.Side;
import java.time.Duration;
import java.util.List;

/** The statements that differ between MariaDB and MySQL 8 (and between MySQL 8 releases). */
sealed interface SqlDialect {
    /** Seconds between a replica's attempts to reach its master: a failover should not wait a minute. */
    int CONNECT_RETRY_SECONDS = 2;

    /**
     * How long a commit on a semi-sync master waits for a replica to acknowledge it. When no
     * replica does in time, the master falls back to asynchronous replication (and returns to
     * semi-sync once a replica catches up) rather than blocking writes forever: availability wins
     * over durability then, and a failover during such a phase may lose what only the master had.
     * Longer means fewer such phases when replicas are slow or restarting, at the price of a write
     * stall that long when they are all gone.
     */
    Duration SEMI_SYNC_MASTER_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The schemas that belong to the server, not to the application: the cluster user may not
     * change them (information_schema is read-only for everyone and needs no rule).
     */
    List<String> SYSTEM_SCHEMAS = List.of("mysql", "sys", "performance_schema");

    /**
     * The cluster user's one global privilege: it reaches no account, file, plugin, replication
     * or server setting. PROCESS is left out on purpose: the process list shows other accounts'
     * statements in clear, among them the admin password of a CHANGE MASTER.
     */
    String CLUSTER_GLOBAL_PRIVILEGES = "SHOW DATABASES";

    static SqlDialect of(Flavor flavor, MySqlVersion version) {
        return switch (flavor) {
            case MARIADB -> new MariaDb();
            case MYSQL -> new MySql(version);
        };
    }

    List<String> setReadOnly(boolean readOnly);

    String stopReplica();

    String stopIoThread();

    String startReplica();

    String startIoThread();

    String resetReplicaAll();

    String showReplicaStatus();

    String changeSource(String host, int port, String user, String password);

    /** A query with (gtid set, timeout seconds) placeholders that answers 0 once the set is applied. */
    String waitForGtids();

    /** The status column holding the GTIDs the replica has received. */
    String receivedGtidsColumn();

    /** MySQL's super_read_only blocks even the admin's account changes; MariaDB has none. */
    boolean hasSuperReadOnly();

    /**
     * MariaDB: gtid_current_pos counts a binlogged GTID only when it carries the server's own
     * server_id, so a data directory started under a new server_id forgets what it wrote as a master.
     * MySQL's gtid_executed holds every transaction, whoever wrote it.
     */
    boolean currentPositionTiedToServerId();

    /** A query for the server's place in the cluster's GTID history: one value, NULL when GTIDs are off. */
    String gtidPositionQuery();

    /** The position that the value of {@link #gtidPositionQuery} (or the received-GTIDs column) stands for. */
    Position gtidPosition(String gtids);

    /** Shows the binary log file and offset the next transaction goes to (columns File, Position). */
    String binlogStatus();

    /** Who provides {@code side} of semi-synchronous replication, preferred first. */
    List<SemiSyncPlugin> semiSync(Side side);

    /** Master side on: commits wait (after the binlog sync, before the engine commit) for a replica's acknowledgement. */
    static List<String> semiSyncMasterOn(SemiSyncPlugin master) {
        return List.of(
                "SET GLOBAL " + master.variable("wait_point") + "=AFTER_SYNC",
                "SET GLOBAL " + master.variable("timeout") + "=" + SEMI_SYNC_MASTER_TIMEOUT.toMillis(),
                "SET GLOBAL " + master.variable("enabled") + "=ON");
    }

    static String semiSyncEnabled(SemiSyncPlugin plugin, boolean on) {
        return "SET GLOBAL " + plugin.variable("enabled") + "=" + (on ? "ON" : "OFF");
    }

    /**
     * Creates or updates the cluster user the way managed services scope their master user: every
     * database-level privilege (not GRANT OPTION) on every database through the pattern {@code `%`},
     * but on the {@link #SYSTEM_SCHEMAS} a row of its own that grants nothing that matters. The
     * server sorts database rows most specific first and uses the first that matches (MySQL and
     * MariaDB alike), so the exact row for {@code mysql} shadows the pattern there: no account
     * changes (CREATE USER, SET PASSWORD FOR, INSERT into mysql.*), no INSTALL SONAME, no reading
     * password hashes. Globally only {@link #CLUSTER_GLOBAL_PRIVILEGES}; the REVOKE removes the
     * global privileges earlier Mysos versions granted. (MySQL's partial_revokes would treat the
     * pattern literally; Mysos leaves it off.)
     *
     * <p>Not binlogged (sql_log_bin=0): the password would sit in clear in every binary and relay
     * log. Every instance makes the account itself instead, at each start and at its promotion.
     */
    static List<String> ensureUser(String user, String password) {
        var account = SqlLiteral.userName(user) + "@'%'";
        var secret = SqlLiteral.password(password);
        var statements = new java.util.ArrayList<>(List.of(
                "SET SESSION sql_log_bin=0",
                "CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY " + secret,
                "ALTER USER " + account + " IDENTIFIED BY " + secret,
                "REVOKE ALL PRIVILEGES ON *.* FROM " + account,
                "GRANT " + CLUSTER_GLOBAL_PRIVILEGES + " ON *.* TO " + account,
                "GRANT ALL PRIVILEGES ON `%`.* TO " + account));
        for (var schema : SYSTEM_SCHEMAS) {
            statements.add("GRANT " + shadowPrivilege(schema) + " ON `" + schema + "`.* TO " + account);
        }
        return List.copyOf(statements);
    }

    /**
     * A privilege that lets nothing happen in {@code schema} (a database row needs one): SHOW VIEW
     * shows a view's definition only together with SELECT. performance_schema refuses SHOW VIEW
     * grants; reading it is harmless (Mysos runs with performance_schema=OFF, and it holds no passwords).
     */
    private static String shadowPrivilege(String schema) {
        return "performance_schema".equals(schema) ? "SELECT" : "SHOW VIEW";
    }

    /**
     * MariaDB 10.6+: SLAVE statements, MASTER_USE_GTID=current_pos (not slave_pos: a demoted former
     * master's gtid_slave_pos is stale, its own binlog holds its history; with gtid_strict_mode a
     * diverged instance stops with an error instead of mixing histories), semi-sync built in.
     */
    record MariaDb() implements SqlDialect {
        @Override
        public List<String> setReadOnly(boolean readOnly) {
            return List.of("SET GLOBAL read_only=" + (readOnly ? "ON" : "OFF"));
        }

        @Override
        public String stopReplica() {
            return "STOP SLAVE";
        }

        @Override
        public String stopIoThread() {
            return "STOP SLAVE IO_THREAD";
        }

        @Override
        public String startReplica() {
            return "START SLAVE";
        }

        @Override
        public String startIoThread() {
            return "START SLAVE IO_THREAD";
        }

        @Override
        public String resetReplicaAll() {
            return "RESET SLAVE ALL";
        }

        @Override
        public String showReplicaStatus() {
            return "SHOW SLAVE STATUS";
        }

        @Override
        public String changeSource(String host, int port, String user, String password) {
            return "CHANGE MASTER TO MASTER_HOST=" + SqlLiteral.host(host) + ", MASTER_PORT=" + Endpoints.validPort(port)
                    + ", MASTER_USER=" + SqlLiteral.userName(user) + ", MASTER_PASSWORD=" + SqlLiteral.password(password)
                    + ", MASTER_CONNECT_RETRY=" + CONNECT_RETRY_SECONDS + ", MASTER_USE_GTID=current_pos";
        }

        @Override
        public String waitForGtids() {
            return "SELECT MASTER_GTID_WAIT(?, ?)";
        }

        @Override
        public String receivedGtidsColumn() {
            return "Gtid_IO_Pos";
        }

        @Override
        public boolean hasSuperReadOnly() {
            return false;
        }

        @Override
        public boolean currentPositionTiedToServerId() {
            return true;
        }

        @Override
        public String gtidPositionQuery() {
            return "SELECT @@GLOBAL.gtid_current_pos";
        }

        @Override
        public Position gtidPosition(String gtids) {
            return Position.mariadb(gtids.replaceAll("\\s", ""));
        }

        @Override
        public String binlogStatus() {
            return "SHOW MASTER STATUS";
        }

        @Override
        public List<SemiSyncPlugin> semiSync(Side side) {
            return List.of(SemiSyncPlugin.builtIn(side == Side.MASTER ? "rpl_semi_sync_master" : "rpl_semi_sync_slave"));
        }
    }

    /**
     * MySQL 8.0+: REPLICA/SOURCE statements from 8.0.23, SLAVE/MASTER before; GTID auto-positioning;
     * semi-sync plugins named source/replica from 8.0.26, master/slave before (and still loadable).
     */
    record MySql(MySqlVersion version) implements SqlDialect {
        boolean sourceSyntax() {
            return version.isAtLeast(8, 0, 23);
        }

        @Override
        public List<String> setReadOnly(boolean readOnly) {
            // super_read_only=ON implies read_only=ON; turning read_only off turns both off.
            return readOnly ? List.of("SET GLOBAL super_read_only=ON") : List.of("SET GLOBAL read_only=OFF");
        }

        @Override
        public String stopReplica() {
            return sourceSyntax() ? "STOP REPLICA" : "STOP SLAVE";
        }

        @Override
        public String stopIoThread() {
            return stopReplica() + " IO_THREAD";
        }

        @Override
        public String startReplica() {
            return sourceSyntax() ? "START REPLICA" : "START SLAVE";
        }

        @Override
        public String startIoThread() {
            return startReplica() + " IO_THREAD";
        }

        @Override
        public String resetReplicaAll() {
            return sourceSyntax() ? "RESET REPLICA ALL" : "RESET SLAVE ALL";
        }

        @Override
        public String showReplicaStatus() {
            return sourceSyntax() ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
        }

        @Override
        public String changeSource(String host, int port, String user, String password) {
            var word = sourceSyntax() ? "SOURCE" : "MASTER";
            return (sourceSyntax() ? "CHANGE REPLICATION SOURCE TO " : "CHANGE MASTER TO ")
                    + word + "_HOST=" + SqlLiteral.host(host) + ", " + word + "_PORT=" + Endpoints.validPort(port)
                    + ", " + word + "_USER=" + SqlLiteral.userName(user)
                    + ", " + word + "_PASSWORD=" + SqlLiteral.password(password)
                    + ", " + word + "_CONNECT_RETRY=" + CONNECT_RETRY_SECONDS
                    + ", " + word + "_AUTO_POSITION=1, GET_" + word + "_PUBLIC_KEY=1";
        }

        @Override
        public String waitForGtids() {
            return "SELECT WAIT_FOR_EXECUTED_GTID_SET(?, ?)";
        }

        @Override
        public String receivedGtidsColumn() {
            return "Retrieved_Gtid_Set";
        }

        @Override
        public boolean hasSuperReadOnly() {
            return true;
        }

        @Override
        public boolean currentPositionTiedToServerId() {
            return false;
        }

        @Override
        public String gtidPositionQuery() {
            // Only ON means every transaction has a GTID; the permissive modes still have anonymous ones.
            return "SELECT IF(@@GLOBAL.gtid_mode = 'ON', @@GLOBAL.gtid_executed, NULL)";
        }

        @Override
        public Position gtidPosition(String gtids) {
            return Position.mysql(gtids);
        }

        @Override
        public String binlogStatus() {
            return version.isAtLeast(8, 2, 0) ? "SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
        }

        @Override
        public List<SemiSyncPlugin> semiSync(Side side) {
            var old = side == Side.MASTER ? SemiSyncPlugin.loadable("rpl_semi_sync_master", "semisync_master.so")
                    : SemiSyncPlugin.loadable("rpl_semi_sync_slave", "semisync_slave.so");
            if (!version.isAtLeast(8, 0, 26)) {
                return List.of(old);
            }
            var renamed = side == Side.MASTER ? SemiSyncPlugin.loadable("rpl_semi_sync_source", "semisync_source.so")
                    : SemiSyncPlugin.loadable("rpl_semi_sync_replica", "semisync_replica.so");
            return List.of(renamed, old);
        }
    }
}

package io.mysos.executor.mysql;

import io.mysos.executor.mysql.MySqlInstallation.Flavor;
import java.util.List;

/** The statements that differ between MariaDB and MySQL 8 (and between MySQL 8 releases). */
sealed interface SqlDialect {
    /** Seconds between a replica's attempts to reach its master: a failover should not wait a minute. */
    int CONNECT_RETRY_SECONDS = 2;

    /** Ordinary privileges: everything an application needs, nothing that bypasses read_only. */
    String CLUSTER_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER, CREATE TEMPORARY TABLES, "
            + "LOCK TABLES, EXECUTE, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, EVENT, TRIGGER, "
            + "REFERENCES, PROCESS, SHOW DATABASES";

    static SqlDialect of(Flavor flavor, MySqlVersion version) {
        return switch (flavor) {
            case MARIADB -> new MariaDb();
            case MYSQL -> new MySql(version.isAtLeast(8, 0, 23));
        };
    }

    List<String> setReadOnly(boolean readOnly);

    String stopReplica();

    String stopIoThread();

    String startReplica();

    String resetReplicaAll();

    String showReplicaStatus();

    String changeSource(String host, int port, String user, String password);

    /** A query with (gtid set, timeout seconds) placeholders that answers 0 once the set is applied. */
    String waitForGtids();

    /** The status column holding the GTIDs the replica has received. */
    String receivedGtidsColumn();

    /** MySQL's super_read_only blocks even the admin's account changes; MariaDB has none. */
    boolean hasSuperReadOnly();

    static List<String> ensureUser(String user, String password) {
        var account = SqlLiteral.userName(user) + "@'%'";
        var secret = SqlLiteral.password(password);
        return List.of(
                "CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY " + secret,
                "ALTER USER " + account + " IDENTIFIED BY " + secret,
                "GRANT " + CLUSTER_PRIVILEGES + " ON *.* TO " + account);
    }

    /** MariaDB 10.6+: SLAVE statements, MASTER_USE_GTID=slave_pos. */
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
                    + ", MASTER_CONNECT_RETRY=" + CONNECT_RETRY_SECONDS + ", MASTER_USE_GTID=slave_pos";
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
    }

    /** MySQL 8.0+: REPLICA/SOURCE statements from 8.0.23, SLAVE/MASTER before; GTID auto-positioning. */
    record MySql(boolean sourceSyntax) implements SqlDialect {
        @Override
        public List<String> setReadOnly(boolean readOnly) {
            // super_read_only=ON implies read_only=ON; turning read_only off turns both off.
            return readOnly ? List.of("SET GLOBAL super_read_only=ON") : List.of("SET GLOBAL read_only=OFF");
        }

        @Override
        public String stopReplica() {
            return sourceSyntax ? "STOP REPLICA" : "STOP SLAVE";
        }

        @Override
        public String stopIoThread() {
            return stopReplica() + " IO_THREAD";
        }

        @Override
        public String startReplica() {
            return sourceSyntax ? "START REPLICA" : "START SLAVE";
        }

        @Override
        public String resetReplicaAll() {
            return sourceSyntax ? "RESET REPLICA ALL" : "RESET SLAVE ALL";
        }

        @Override
        public String showReplicaStatus() {
            return sourceSyntax ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
        }

        @Override
        public String changeSource(String host, int port, String user, String password) {
            var word = sourceSyntax ? "SOURCE" : "MASTER";
            return (sourceSyntax ? "CHANGE REPLICATION SOURCE TO " : "CHANGE MASTER TO ")
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
    }
}

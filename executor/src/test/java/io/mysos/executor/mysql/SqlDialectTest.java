package io.mysos.executor.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import io.mysos.core.election.Position;
import io.mysos.executor.mysql.MySqlInstallation.Flavor;
import io.mysos.executor.mysql.SemiSyncPlugin.Side;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlDialectTest {
    private final SqlDialect mariadb = SqlDialect.of(Flavor.MARIADB, new MySqlVersion(10, 11, 6));
    private final SqlDialect mysql = SqlDialect.of(Flavor.MYSQL, new MySqlVersion(8, 0, 36));
    private final SqlDialect oldMysql = SqlDialect.of(Flavor.MYSQL, new MySqlVersion(8, 0, 20));

    @Test
    void mariaDbReplicatesFromItsCurrentPosSoADemotedMasterCanFollow() {
        assertEquals("CHANGE MASTER TO MASTER_HOST='10.0.0.1', MASTER_PORT=31000, MASTER_USER='mysos', "
                        + "MASTER_PASSWORD='s3cret%pw', MASTER_CONNECT_RETRY=2, MASTER_USE_GTID=current_pos",
                mariadb.changeSource("10.0.0.1", 31000, "mysos", "s3cret%pw"));
        assertEquals("START SLAVE", mariadb.startReplica());
        assertEquals(List.of("SET GLOBAL read_only=ON"), mariadb.setReadOnly(true));
    }

    @Test
    void mySqlReplicatesWithAutoPositionAndFetchesTheSourceKey() {
        assertEquals("CHANGE REPLICATION SOURCE TO SOURCE_HOST='db1', SOURCE_PORT=3306, SOURCE_USER='mysos', "
                        + "SOURCE_PASSWORD='pw', SOURCE_CONNECT_RETRY=2, SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1",
                mysql.changeSource("db1", 3306, "mysos", "pw"));
        assertEquals("START REPLICA", mysql.startReplica());
        assertEquals("RESET REPLICA ALL", mysql.resetReplicaAll());
        assertEquals(List.of("SET GLOBAL super_read_only=ON"), mysql.setReadOnly(true));
        assertTrue(oldMysql.changeSource("db1", 3306, "mysos", "pw").startsWith("CHANGE MASTER TO MASTER_HOST='db1'"));
        assertTrue(oldMysql.changeSource("db1", 3306, "mysos", "pw").endsWith("MASTER_AUTO_POSITION=1, GET_MASTER_PUBLIC_KEY=1"));
    }

    @Test
    void refusesValuesThatCouldLeaveTheirLiteral() {
        for (var password : List.of("it's", "a\"b", "back\\slash", "back`quote", "new\nline", "")) {
            assertThrows(InvalidInputException.class, () -> mariadb.changeSource("db1", 3306, "mysos", password), password);
        }
        for (var user : List.of("o'neil", "a b", "x@y", "")) {
            assertThrows(InvalidInputException.class, () -> mysql.changeSource("db1", 3306, user, "pw"), user);
        }
        for (var host : List.of("db1' --", "db 1", "")) {
            assertThrows(InvalidInputException.class, () -> mysql.changeSource(host, 3306, "mysos", "pw"), host);
        }
        assertThrows(InvalidInputException.class, () -> mysql.changeSource("db1", 0, "mysos", "pw"));
    }

    @Test
    void theClusterUserOwnsEveryDatabaseButTheSystemSchemasAndNoGlobalPower() {
        assertEquals(List.of("SET SESSION sql_log_bin=0",
                "CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'pa55word'",
                "ALTER USER 'app'@'%' IDENTIFIED BY 'pa55word'",
                "REVOKE ALL PRIVILEGES ON *.* FROM 'app'@'%'",
                "GRANT SHOW DATABASES ON *.* TO 'app'@'%'",
                "GRANT ALL PRIVILEGES ON `%`.* TO 'app'@'%'",
                "GRANT SHOW VIEW ON `mysql`.* TO 'app'@'%'",
                "GRANT SHOW VIEW ON `sys`.* TO 'app'@'%'",
                "GRANT SELECT ON `performance_schema`.* TO 'app'@'%'"), SqlDialect.ensureUser("app", "pa55word"));
        for (var power : List.of("SUPER", "FILE", "PROCESS", "CREATE USER", "RELOAD", "SHUTDOWN", "REPLICATION", "GRANT OPTION")) {
            assertFalse(SqlDialect.CLUSTER_GLOBAL_PRIVILEGES.contains(power), power);
        }
    }

    @Test
    void everyInstanceMakesTheClusterUserItselfOutsideTheBinlog() {
        var sql = InitSql.accounts(Flavor.MARIADB, "mysos", "pw123456", java.util.Optional.of(new ClusterAccount("app", "pa55word")));
        assertTrue(sql.startsWith("SET sql_log_bin=0;\n"), sql);
        assertTrue(sql.contains("\nGRANT ALL PRIVILEGES ON `%`.* TO 'app'@'%';\nGRANT SHOW VIEW ON `mysql`.* TO 'app'@'%';\n"), sql);
        var mysqlSql = InitSql.accounts(Flavor.MYSQL, "mysos", "pw123456", java.util.Optional.of(new ClusterAccount("app", "pa55word")));
        assertTrue(mysqlSql.indexOf("CREATE USER IF NOT EXISTS 'app'") > mysqlSql.indexOf("SET GLOBAL super_read_only=OFF;"), mysqlSql);
        assertTrue(mysqlSql.endsWith("SET GLOBAL super_read_only=ON;\n"), mysqlSql);
        assertFalse(new ClusterAccount("app", "pa55word").toString().contains("pa55word"));
    }

    @Test
    void theAdminAccountIsMadeOutsideTheBinlog() {
        var sql = InitSql.adminAccount(Flavor.MARIADB, "mysos", "pw123456");
        assertTrue(sql.startsWith("SET sql_log_bin=0;\n"), sql);
        assertTrue(sql.contains("CREATE USER IF NOT EXISTS 'mysos'@'%' IDENTIFIED BY 'pw123456';"), sql);
        assertTrue(sql.contains("GRANT ALL PRIVILEGES ON *.* TO 'mysos'@'%' WITH GRANT OPTION;"), sql);
        var mysqlSql = InitSql.adminAccount(Flavor.MYSQL, "mysos", "pw123456");
        assertTrue(mysqlSql.contains("SET GLOBAL super_read_only=OFF;") && mysqlSql.endsWith("SET GLOBAL super_read_only=ON;\n"));
    }

    @Test
    void semiSyncIsBuiltIntoMariaDbAndAPluginInMySql() {
        var master = mariadb.semiSync(Side.MASTER);
        assertEquals(List.of(SemiSyncPlugin.builtIn("rpl_semi_sync_master")), master);
        assertEquals(List.of("SET GLOBAL rpl_semi_sync_master_wait_point=AFTER_SYNC",
                "SET GLOBAL rpl_semi_sync_master_timeout=10000",
                "SET GLOBAL rpl_semi_sync_master_enabled=ON"), SqlDialect.semiSyncMasterOn(master.get(0)));
        assertEquals("SET GLOBAL rpl_semi_sync_slave_enabled=ON",
                SqlDialect.semiSyncEnabled(mariadb.semiSync(Side.REPLICA).get(0), true));

        assertEquals(List.of("INSTALL PLUGIN rpl_semi_sync_source SONAME 'semisync_source.so'",
                        "INSTALL PLUGIN rpl_semi_sync_master SONAME 'semisync_master.so'"),
                mysql.semiSync(Side.MASTER).stream().map(SemiSyncPlugin::install).toList());
        assertEquals("rpl_semi_sync_replica_enabled", mysql.semiSync(Side.REPLICA).get(0).variable("enabled"));
        assertEquals(List.of("rpl_semi_sync_slave"), oldMysql.semiSync(Side.REPLICA).stream().map(SemiSyncPlugin::name).toList());
        assertEquals("SET GLOBAL rpl_semi_sync_source_wait_point=AFTER_SYNC",
                SqlDialect.semiSyncMasterOn(mysql.semiSync(Side.MASTER).get(0)).get(0));
    }

    @Test
    void positionsAreGtidSetsOrBinlogOffsets() {
        assertEquals("SELECT @@GLOBAL.gtid_current_pos", mariadb.gtidPositionQuery());
        assertEquals(Position.mariadb("0-1-5,1-2-3"), mariadb.gtidPosition("0-1-5,\n1-2-3"));
        assertTrue(mysql.gtidPositionQuery().contains("@@GLOBAL.gtid_executed"));
        assertEquals(Position.mysql("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5"),
                mysql.gtidPosition("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5\n"));
        assertEquals("SHOW MASTER STATUS", mysql.binlogStatus());
        assertEquals("SHOW BINARY LOG STATUS", SqlDialect.of(Flavor.MYSQL, new MySqlVersion(8, 4, 0)).binlogStatus());
        assertEquals("START REPLICA IO_THREAD", mysql.startIoThread());
        assertEquals("START SLAVE IO_THREAD", mariadb.startIoThread());
    }
}

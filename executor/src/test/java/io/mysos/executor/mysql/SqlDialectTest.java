package io.mysos.executor.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import io.mysos.executor.mysql.MySqlInstallation.Flavor;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlDialectTest {
    private final SqlDialect mariadb = SqlDialect.of(Flavor.MARIADB, new MySqlVersion(10, 11, 6));
    private final SqlDialect mysql = SqlDialect.of(Flavor.MYSQL, new MySqlVersion(8, 0, 36));
    private final SqlDialect oldMysql = SqlDialect.of(Flavor.MYSQL, new MySqlVersion(8, 0, 20));

    @Test
    void mariaDbReplicatesWithSlavePos() {
        assertEquals("CHANGE MASTER TO MASTER_HOST='10.0.0.1', MASTER_PORT=31000, MASTER_USER='mysos', "
                        + "MASTER_PASSWORD='s3cret%pw', MASTER_CONNECT_RETRY=2, MASTER_USE_GTID=slave_pos",
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
    void theClusterUserGetsOrdinaryPrivilegesOnly() {
        var statements = SqlDialect.ensureUser("app", "pa55word");
        assertEquals(List.of("CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'pa55word'",
                "ALTER USER 'app'@'%' IDENTIFIED BY 'pa55word'",
                "GRANT " + SqlDialect.CLUSTER_PRIVILEGES + " ON *.* TO 'app'@'%'"), statements);
        for (var bypass : List.of("SUPER", "READ_ONLY", "READ ONLY", "ALL", "GRANT OPTION", "REPLICATION")) {
            assertFalse(SqlDialect.CLUSTER_PRIVILEGES.contains(bypass), bypass);
        }
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
}

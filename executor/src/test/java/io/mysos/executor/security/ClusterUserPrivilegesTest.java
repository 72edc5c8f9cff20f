package io.mysos.executor.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.executor.MySqlProcess;
import io.mysos.executor.MySqlProcess.Instance;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the cluster user may do on a real master, tried as a hostile application would: everything
 * an application owner needs inside its own databases, nothing that reaches accounts, the system
 * schemas, files on the host, plugins or replication.
 */
class ClusterUserPrivilegesTest {
    private static MySqlProcess mysql;
    private static Instance master;

    @BeforeAll
    static void startMaster() {
        mysql = new MySqlProcess();
        master = mysql.instance(1);
        master.launch();
        master.promote(1);
    }

    @AfterAll
    static void stop() {
        mysql.close();
    }

    @Test
    void ownsWhatItCreates() throws Exception {
        try (var connection = master.connectAsUser(); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE app1");
            statement.execute("CREATE TABLE app1.orders (id INT PRIMARY KEY, item VARCHAR(20), qty INT)");
            statement.execute("INSERT INTO app1.orders VALUES (1, 'tea', 1), (2, 'cake', 2)");
            statement.execute("UPDATE app1.orders SET qty = 3 WHERE id = 2");
            statement.execute("DELETE FROM app1.orders WHERE id = 1");
            statement.execute("CREATE INDEX by_item ON app1.orders (item)");
            statement.execute("ALTER TABLE app1.orders ADD COLUMN note TEXT");
            statement.execute("CREATE VIEW app1.big AS SELECT id, item FROM app1.orders WHERE qty > 1");
            statement.execute("CREATE TABLE app1.audit (id INT AUTO_INCREMENT PRIMARY KEY, order_id INT)");
            statement.execute("CREATE TRIGGER app1.logged AFTER INSERT ON app1.orders FOR EACH ROW "
                    + "INSERT INTO app1.audit (order_id) VALUES (NEW.id)");
            statement.execute("CREATE PROCEDURE app1.add_order(IN i INT, IN what VARCHAR(20)) "
                    + "INSERT INTO app1.orders (id, item, qty) VALUES (i, what, 1)");
            statement.execute("CREATE FUNCTION app1.doubled(x INT) RETURNS INT RETURN x * 2");
            statement.execute("CREATE EVENT app1.tidy ON SCHEDULE EVERY 1 DAY DO DELETE FROM app1.audit");
            statement.execute("CALL app1.add_order(3, 'jam')");
            statement.execute("CREATE TEMPORARY TABLE app1.scratch (x INT)");
            statement.execute("LOCK TABLES app1.orders WRITE");
            statement.execute("UNLOCK TABLES");
            statement.execute("CREATE DATABASE app2");
            statement.execute("DROP DATABASE app2");
            assertEquals("cake", first(connection, "SELECT item FROM app1.big"));
            assertEquals("6", first(connection, "SELECT app1.doubled(3)"));
            assertEquals("1", first(connection, "SELECT COUNT(*) FROM app1.audit"));
        }
    }

    @Test
    void cannotTouchAccountsSystemSchemasFilesPluginsOrReplication() throws Exception {
        var outfile = mysql.root().resolve("stolen.txt");
        var refused = List.of(
                "CREATE USER 'intruder'@'%' IDENTIFIED BY 'x1234567'",
                "SET PASSWORD FOR 'mysos'@'%' = PASSWORD('taken-over-1')",
                "ALTER USER 'mysos'@'%' IDENTIFIED BY 'taken-over-1'",
                "DROP USER 'mysos'@'%'",
                "GRANT SELECT ON *.* TO 'app'@'%'",
                "GRANT ALL PRIVILEGES ON `mysql`.* TO 'app'@'%'",
                "INSTALL SONAME 'ha_blackhole'",
                "UPDATE mysql.global_priv SET Priv = '{\"access\":18446744073709551615}' WHERE User = 'app'",
                "INSERT INTO mysql.global_priv (Host, User, Priv) VALUES ('%', 'intruder', '{}')",
                "SELECT Priv FROM mysql.global_priv",
                "SELECT authentication_string FROM mysql.user",
                "DROP DATABASE mysql",
                "CREATE TABLE mysql.planted (x INT)",
                "DROP DATABASE sys",
                "CREATE PROCEDURE sys.planted() SELECT 1",
                "CREATE DEFINER = 'mysos'@'%' PROCEDURE test_definer() SELECT 1",
                "SELECT 1 INTO OUTFILE '" + outfile + "'",
                "SET GLOBAL read_only = OFF",
                "CHANGE MASTER TO MASTER_HOST = '10.9.9.9'",
                "SHOW SLAVE STATUS",
                "SHOW BINARY LOGS",
                "FLUSH PRIVILEGES",
                "SHUTDOWN");
        try (var connection = master.connectAsUser(); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS app3");
            statement.execute("USE app3");
            for (var sql : refused) {
                var e = assertThrows(SQLException.class, () -> statement.execute(sql), sql);
                assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("denied"), sql + ": " + e.getMessage());
            }
            assertNull(first(connection, "SELECT LOAD_FILE('/etc/passwd')"), "LOAD_FILE read a file of the host");
        }
        assertFalse(Files.exists(outfile));
        assertEquals("0", master.queryAsAdmin("SELECT COUNT(*) FROM mysql.global_priv WHERE User = 'intruder'"));
        assertEquals("1", master.queryAsAdmin("SELECT 1"), "the admin account still logs in with its password");
        assertEquals(List.of("SHOW DATABASES"), globalPrivileges());
    }

    @Test
    void filesOfTheServerStayInsideTheSandbox() throws Exception {
        assertEquals(master.sandbox().resolve("files").toString() + "/", master.queryAsAdmin("SELECT @@GLOBAL.secure_file_priv"));
        try (var connection = master.connectAsAdmin(); var statement = connection.createStatement()) {
            var e = assertThrows(SQLException.class, () -> statement.execute("SELECT 1 INTO OUTFILE '/tmp/mysos-escape.txt'"));
            assertTrue(e.getMessage().contains("secure-file-priv") || e.getMessage().contains("secure_file_priv"), e.getMessage());
        }
        assertFalse(Files.exists(java.nio.file.Path.of("/tmp/mysos-escape.txt")));
    }

    @Test
    void mysqldRunsAsTheUnprivilegedMysqlUserAndNothingIsWorldReadable() throws Exception {
        var status = Files.readAllLines(java.nio.file.Path.of("/proc", String.valueOf(master.pid()), "status"));
        var uid = status.stream().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1];
        var mysqlUser = master.sandbox().getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("mysql");
        assertEquals(String.valueOf(Files.getAttribute(master.sandbox().resolve("data"), "unix:uid")), uid,
                "mysqld runs as the owner of its data directory");
        assertEquals(mysqlUser, Files.getOwner(master.sandbox().resolve("data")));
        assertEquals("rwx------", mode("data"));
        assertEquals("rwx------", mode("run"));
        assertEquals("rwx------", mode("files"));
        assertEquals("rw-------", mode("mysqld.log"));
        assertEquals("rwx--x---", mode(""), "mysqld's group may pass through the sandbox, nobody else may look");
        assertEquals("mysql", Files.readAttributes(master.sandbox(), java.nio.file.attribute.PosixFileAttributes.class)
                .group().getName());
        assertEquals(master.sandbox().resolve("run/mysqld.sock").toString(), master.queryAsAdmin("SELECT @@GLOBAL.socket"));
    }

    private static String mode(String file) throws java.io.IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(master.sandbox().resolve(file)));
    }

    private static List<String> globalPrivileges() throws SQLException {
        try (var connection = master.connectAsAdmin(); var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES "
                        + "WHERE GRANTEE = \"'app'@'%'\" ORDER BY PRIVILEGE_TYPE")) {
            var all = new java.util.ArrayList<String>();
            while (rows.next()) {
                all.add(rows.getString(1));
            }
            return all;
        }
    }

    private static String first(Connection connection, String sql) throws SQLException {
        try (var statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }
}

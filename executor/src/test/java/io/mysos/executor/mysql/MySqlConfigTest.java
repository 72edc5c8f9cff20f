package io.mysos.executor.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import io.mysos.core.size.DataSize;
import io.mysos.executor.mysql.MySqlInstallation.Flavor;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MySqlConfigTest {
    private static final MySqlInstallation MARIADB = new MySqlInstallation(Path.of("/usr/sbin/mariadbd"),
            Flavor.MARIADB, new MySqlVersion(10, 11, 6), Optional.of(Path.of("/usr/bin/mariadb-install-db")), true);
    private static final MySqlInstallation MYSQL_84 = new MySqlInstallation(Path.of("/usr/sbin/mysqld"),
            Flavor.MYSQL, new MySqlVersion(8, 4, 0), Optional.empty(), true);
    private static final MySqlInstallation MYSQL_8020 = new MySqlInstallation(Path.of("/usr/sbin/mysqld"),
            Flavor.MYSQL, new MySqlVersion(8, 0, 20), Optional.empty(), true);
    private static final SandboxLayout LAYOUT = SandboxLayout.of(Path.of("/sandbox"));
    private final MySqlConfig config = new MySqlConfig("10.0.0.5", 31000, 3, DataSize.ofGigabytes(1));

    @Test
    void mariaDbRunsDurableGtidReplicationReadOnly() {
        var lines = lines(config.render(MARIADB, LAYOUT));
        for (var expected : List.of("bind-address=10.0.0.5", "port=31000", "server_id=3", "log_bin=mysql-bin",
                "binlog_format=ROW", "log_slave_updates=ON", "sync_binlog=1", "innodb_flush_log_at_trx_commit=1",
                "read_only=ON", "skip_name_resolve=ON", "gtid_strict_mode=ON", "skip_slave_start=OFF",
                "datadir=/sandbox/data", "socket=/sandbox/mysqld.sock", "pid-file=/sandbox/mysqld.pid",
                "tmpdir=/sandbox/tmp", "innodb_buffer_pool_size=512M", "innodb_log_file_size=128M",
                "performance_schema=OFF")) {
            assertTrue(lines.contains(expected), expected + " missing");
        }
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("gtid_mode") || l.startsWith("super_read_only")));
    }

    @Test
    void mySqlTurnsOnGtidModeAndSuperReadOnly() {
        var lines = lines(config.render(MYSQL_84, LAYOUT));
        for (var expected : List.of("gtid_mode=ON", "enforce_gtid_consistency=ON", "read_only=ON", "super_read_only=ON",
                "log_replica_updates=ON", "skip_replica_start=OFF", "innodb_redo_log_capacity=128M", "mysqlx=OFF")) {
            assertTrue(lines.contains(expected), expected + " missing");
        }
        assertFalse(lines.contains("gtid_strict_mode=ON"));
        var older = lines(config.render(MYSQL_8020, LAYOUT));
        assertTrue(older.contains("log_slave_updates=ON") && older.contains("innodb_log_file_size=128M"));
    }

    @Test
    void sizesMemoryFromTheTaskWithFloors() {
        var tiny = new MySqlConfig("127.0.0.1", 3306, 1, DataSize.ofMegabytes(48));
        assertEquals(32, tiny.bufferPoolMegabytes());
        assertEquals(16, tiny.redoLogMegabytes());
        assertEquals(512, config.bufferPoolMegabytes());
        assertEquals(512, new MySqlConfig("h", 1, 1, DataSize.ofGigabytes(64)).redoLogMegabytes());
        assertEquals(List.of("--innodb-log-file-size=16M"), tiny.initializeOptions(MARIADB));
    }

    @Test
    void refusesServerIdZeroAndOutOfRange() {
        var zero = assertThrows(InvalidInputException.class, () -> new MySqlConfig("h", 3306, 0, DataSize.ofGigabytes(1)));
        assertTrue(zero.getMessage().startsWith("server_id must be 1 to 4294967295, not 0"), zero.getMessage());
        assertThrows(InvalidInputException.class, () -> new MySqlConfig("h", 3306, 4_294_967_296L, DataSize.ofGigabytes(1)));
    }

    @Test
    void refusesHostsThatAreNotHostNamesOrAddresses() {
        for (var host : List.of("", "a b", "h'; DROP", "host\nlog_bin=off", "-x")) {
            assertThrows(InvalidInputException.class, () -> new MySqlConfig(host, 3306, 1, DataSize.ofGigabytes(1)), host);
        }
        new MySqlConfig("::1", 3306, 1, DataSize.ofGigabytes(1));
        new MySqlConfig("agent-7.dc1.example.com", 3306, 1, DataSize.ofGigabytes(1));
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }
}

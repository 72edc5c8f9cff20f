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
                "datadir=/sandbox/data", "socket=/sandbox/run/mysqld.sock", "pid-file=/sandbox/run/mysqld.pid",
                "tmpdir=/sandbox/tmp", "innodb_buffer_pool_size=448M", "innodb_log_file_size=128M",
                "performance_schema=OFF", "secure_file_priv=/sandbox/files", "log_bin_trust_function_creators=ON",
                "key_buffer_size=8M", "aria_pagecache_buffer_size=32M")) {
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
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("aria_")), "MySQL has no Aria");
        assertTrue(lines.contains("secure_file_priv=/sandbox/files"));
        var older = lines(config.render(MYSQL_8020, LAYOUT));
        assertTrue(older.contains("log_slave_updates=ON") && older.contains("innodb_log_file_size=128M"));
    }

    @Test
    void sizesMemoryFromTheTaskWithFloors() {
        var tiny = new MySqlConfig("127.0.0.1", 3306, 1, DataSize.ofMegabytes(48));
        assertEquals(32, tiny.bufferPoolMegabytes());
        assertEquals(16, tiny.redoLogMegabytes());
        assertEquals(10, tiny.maxConnections());
        assertEquals(8, tiny.tmpTableMegabytes());
        assertEquals(448, config.bufferPoolMegabytes());
        assertEquals(512, new MySqlConfig("h", 1, 1, DataSize.ofGigabytes(64)).redoLogMegabytes());
        assertEquals(List.of("--innodb-log-file-size=16M"), tiny.initializeOptions(MARIADB));
    }

    @Test
    void everyMemorySettingStaysWithinTheTasksMemory() {
        for (long mb : new long[] {256, 512, 1024, 4096, 16384, 65536}) {
            var sized = new MySqlConfig("h", 3306, 1, DataSize.ofMegabytes(mb));
            long worstCase = MySqlConfig.SERVER_BASE_MB + sized.bufferPoolMegabytes()
                    + sized.maxConnections() * MySqlConfig.PER_CONNECTION_MB;
            assertTrue(worstCase <= mb, mb + " MB: " + worstCase + " MB at worst");
            var lines = lines(sized.render(MARIADB, LAYOUT));
            assertTrue(lines.contains("max_connections=" + sized.maxConnections()), lines.toString());
            assertTrue(lines.contains("tmp_table_size=" + sized.tmpTableMegabytes() + "M"));
            assertTrue(lines.contains("max_heap_table_size=" + sized.tmpTableMegabytes() + "M"));
        }
        var smallest = new MySqlConfig("h", 3306, 1, DataSize.ofMegabytes(256));
        assertEquals(64, smallest.bufferPoolMegabytes());
        assertEquals(21, smallest.maxConnections());
        assertEquals(149, new MySqlConfig("h", 3306, 1, DataSize.ofGigabytes(1)).maxConnections(),
                "a 1gb instance gets about MySQL's default of 151 connections");
        assertEquals(5000, new MySqlConfig("h", 3306, 1, DataSize.ofGigabytes(64)).maxConnections());
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

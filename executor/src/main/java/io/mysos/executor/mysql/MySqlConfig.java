package io.mysos.executor.mysql;

import io.mysos.core.InvalidInputException;
import io.mysos.core.size.DataSize;
import io.mysos.executor.mysql.MySqlInstallation.Flavor;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of one instance and the my.cnf they make: GTID replication with durable row-based
 * binary logs, read-only at every start until promoted, file access confined to the sandbox, and
 * every memory setting derived from the task's size, so mysqld stays within what it was given.
 */
public record MySqlConfig(String host, int port, long serverId, DataSize memory) {
    public static final long MAX_SERVER_ID = 4_294_967_295L;
    static final long MIN_BUFFER_POOL_MB = 32;
    /** What mysqld needs besides its caches and connections: code, data dictionary, background threads. */
    static final long SERVER_BASE_MB = 128;
    /** A busy connection's worst case: sort, join and read buffers, thread stack, network buffer. */
    static final long PER_CONNECTION_MB = 3;
    static final int MIN_CONNECTIONS = 10;
    static final int MAX_CONNECTIONS = 5000;
    static final long MIN_LOG_MB = 16;
    static final long MAX_LOG_MB = 512;

    public MySqlConfig {
        host = Endpoints.validHost(host);
        Endpoints.validPort(port);
        if (serverId < 1 || serverId > MAX_SERVER_ID) {
            throw new InvalidInputException("server_id must be 1 to " + MAX_SERVER_ID + ", not " + serverId
                    + " (0 would make mysqld refuse to replicate)");
        }
        if (memory == null) {
            throw new InvalidInputException("an instance needs a memory size");
        }
    }

    /**
     * Half of what the task's memory leaves after the server's own needs, at least 32 MB: the rest
     * is for connections, sorts and temporary tables (the OS cache comes on top, outside the task).
     */
    public long bufferPoolMegabytes() {
        return Math.max(MIN_BUFFER_POOL_MB, (memory.megabytes() - SERVER_BASE_MB) / 2);
    }

    /** As many connections as the memory beside the buffer pool holds at their worst, 10-5000. */
    public int maxConnections() {
        long rest = memory.megabytes() - SERVER_BASE_MB - bufferPoolMegabytes();
        return (int) Math.min(MAX_CONNECTIONS, Math.max(MIN_CONNECTIONS, rest / PER_CONNECTION_MB));
    }

    /** In-memory temporary tables (per connection): a thirty-second of memory, 8-64 MB; bigger ones go to disk. */
    public long tmpTableMegabytes() {
        return Math.min(64, Math.max(8, memory.megabytes() / 32));
    }

    /** A small redo log (an eighth of memory, 16-512 MB) keeps starts and crash recovery fast. */
    public long redoLogMegabytes() {
        return Math.min(MAX_LOG_MB, Math.max(MIN_LOG_MB, memory.megabytes() / 8));
    }

    /** Options for the data directory's initialization: the redo log size the server will run with. */
    public List<String> initializeOptions(MySqlInstallation mysql) {
        return List.of("--" + redoLogSetting(mysql).replace('_', '-'));
    }

    /** The my.cnf text for this instance in {@code layout}. */
    public String render(MySqlInstallation mysql, SandboxLayout layout) {
        var lines = new ArrayList<String>();
        var version = mysql.version();
        boolean mysql8 = mysql.flavor() == Flavor.MYSQL;
        boolean replicaNames = mysql8 && version.isAtLeast(8, 0, 26);
        lines.add("# Written by Mysos at every start of this instance; edits are lost.");
        lines.add("[mysqld]");
        lines.add("datadir=" + layout.dataDir());
        lines.add("socket=" + layout.socket());
        lines.add("pid-file=" + layout.serverPidFile());
        lines.add("log_error=" + layout.logFile());
        lines.add("tmpdir=" + layout.tmpDir());
        lines.add("bind-address=" + host);
        lines.add("port=" + port);
        lines.add("server_id=" + serverId);
        lines.add("report_host=" + host);
        lines.add("report_port=" + port);
        lines.add("skip_name_resolve=ON");
        lines.add("character_set_server=utf8mb4");
        lines.add("");
        lines.add("# Files: LOAD DATA INFILE and SELECT ... INTO OUTFILE (admin only) stay inside the sandbox.");
        lines.add("secure_file_priv=" + layout.filesDir());
        lines.add("");
        lines.add("# The cluster user (no SUPER) may create functions and triggers; row-based binlogs replicate them safely.");
        lines.add("log_bin_trust_function_creators=ON");
        lines.add("");
        lines.add("# Replication: GTIDs and row-based binary logs; replicas resume by themselves after a restart.");
        lines.add("log_bin=mysql-bin");
        lines.add("relay_log=relay-bin");
        lines.add("binlog_format=ROW");
        lines.add((replicaNames ? "log_replica_updates" : "log_slave_updates") + "=ON");
        lines.add((replicaNames ? "skip_replica_start" : "skip_slave_start") + "=OFF");
        lines.add("relay_log_recovery=ON");
        lines.add("binlog_expire_logs_seconds=604800");
        if (mysql8) {
            lines.add("gtid_mode=ON");
            lines.add("enforce_gtid_consistency=ON");
        } else {
            lines.add("gtid_strict_mode=ON");
        }
        lines.add("");
        lines.add("# Durability: an acknowledged commit is on disk, in InnoDB and in the binary log.");
        lines.add("sync_binlog=1");
        lines.add("innodb_flush_log_at_trx_commit=1");
        lines.add("");
        lines.add("# Every start is read-only; only a promotion to master turns writes on.");
        lines.add("read_only=ON");
        if (mysql8) {
            lines.add("super_read_only=ON");
        }
        lines.add("");
        lines.add("# Memory from the task's size (" + memory + "); a small redo log starts fast.");
        lines.add("innodb_buffer_pool_size=" + bufferPoolMegabytes() + "M");
        lines.add(redoLogSetting(mysql));
        lines.add("max_connections=" + maxConnections());
        lines.add("tmp_table_size=" + tmpTableMegabytes() + "M");
        lines.add("max_heap_table_size=" + tmpTableMegabytes() + "M");
        // MyISAM is unused; MariaDB's default key buffer and Aria cache would take 128 MB each.
        lines.add("key_buffer_size=8M");
        if (!mysql8) {
            lines.add("aria_pagecache_buffer_size=" + tmpTableMegabytes() + "M");
        }
        lines.add("performance_schema=OFF");
        if (mysql8) {
            // The X plugin would take port 33060 on every instance of the machine.
            lines.add("mysqlx=OFF");
        }
        return String.join("\n", lines) + "\n";
    }

    private String redoLogSetting(MySqlInstallation mysql) {
        if (mysql.flavor() == Flavor.MYSQL && mysql.version().isAtLeast(8, 0, 30)) {
            return "innodb_redo_log_capacity=" + redoLogMegabytes() + "M";
        }
        return "innodb_log_file_size=" + redoLogMegabytes() + "M";
    }
}

package io.mysos.executor.mysql;

import io.mysos.core.InvalidInputException;
import io.mysos.core.size.DataSize;
import io.mysos.executor.mysql.MySqlInstallation.Flavor;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings of one instance and the my.cnf they make: GTID replication with durable row-based
 * binary logs, read-only at every start until promoted, and memory sized from the task.
 */
public record MySqlConfig(String host, int port, long serverId, DataSize memory) {
    public static final long MAX_SERVER_ID = 4_294_967_295L;
    static final long MIN_BUFFER_POOL_MB = 32;
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

    /** Half the task's memory, at least 32 MB: the rest is for connections, sorts and the OS cache. */
    public long bufferPoolMegabytes() {
        return Math.max(MIN_BUFFER_POOL_MB, memory.megabytes() / 2);
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
        lines.add("pid-file=" + layout.pidFile());
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
        lines.add("# Memory from the task's size; a small redo log starts fast.");
        lines.add("innodb_buffer_pool_size=" + bufferPoolMegabytes() + "M");
        lines.add(redoLogSetting(mysql));
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

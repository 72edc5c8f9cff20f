package io.mysos.it.bench;

import io.mysos.executor.MySqlProcess;
import io.mysos.executor.backup.BackupStore;
import io.mysos.executor.backup.BackupTools;
import io.mysos.executor.backup.InstanceBackups;
import io.mysos.executor.mysql.SandboxLayout;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * How far the binary log archive trails a master under a steady writer: a real mysqld promoted to master
 * archives into {@code file://} and into an in-process HDFS while one client commits at a steady rate;
 * for every commit, the time from its acknowledgement until a stored piece's index holds its GTID (polled
 * every 20 ms). Not a test: {@code bin/bench archive [seconds] [commits-per-second]}; prints p50, p99 and max.
 */
public final class ArchiveBenchmark {
    private ArchiveBenchmark() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        var scratch = Files.createTempDirectory("mysos-bench-archive-");
        MiniDFSCluster hdfs = null;
        try {
            measure("file://", new InstanceBackups(BackupStore.open(scratch.resolve("store").toUri()), BackupTools.detect()), seconds, rate);
            var conf = new Configuration();
            hdfs = new MiniDFSCluster.Builder(conf, new File(scratch.resolve("minidfs").toString())).numDataNodes(1).build();
            hdfs.waitActive();
            measure("mini HDFS", new InstanceBackups(BackupStore.open(URI.create(hdfs.getURI() + "/mysos"), conf), BackupTools.detect()),
                    seconds, rate);
        } finally {
            if (hdfs != null) {
                hdfs.shutdown(true);
            }
            SandboxLayout.deleteTree(scratch);
        }
    }

    private static void measure(String store, InstanceBackups backups, int seconds, int rate) throws Exception {
        try (var mysql = new MySqlProcess()) {
            var master = mysql.instance(1, backups, Optional.empty());
            master.launch();
            master.promote(1);
            try (var connection = master.connectAsAdmin(); var statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE bench");
                statement.execute("CREATE TABLE bench.t (id INT PRIMARY KEY, at DATETIME(6), pad VARCHAR(200))");
            }
            var committed = new ConcurrentHashMap<Long, Long>();
            var lags = Collections.synchronizedList(new ArrayList<Long>());
            var done = new java.util.concurrent.atomic.AtomicBoolean();
            var poller = new Thread(() -> poll(backups, mysql.archive(), committed, lags, done), "archive-poller");
            poller.start();
            long began = System.nanoTime();
            long interval = 1_000_000_000L / rate;
            int n = 0;
            try (var connection = master.connectAsAdmin(); var insert = connection.prepareStatement(
                    "INSERT INTO bench.t VALUES (?, NOW(6), REPEAT('x', 200))"); var gtid = connection.createStatement()) {
                while (System.nanoTime() - began < Duration.ofSeconds(seconds).toNanos()) {
                    insert.setInt(1, n++);
                    insert.executeUpdate();
                    long ackedAt = System.nanoTime();
                    try (var rs = gtid.executeQuery("SELECT @@last_gtid")) {
                        rs.next();
                        committed.put(io.mysos.core.binlog.Gtid.parse(rs.getString(1)).seq(), ackedAt);
                    }
                    long next = began + n * interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!committed.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            done.set(true);
            poller.join();
            var sorted = new ArrayList<>(lags);
            Collections.sort(sorted);
            var pieces = backups.binlogs().epochs(mysql.archive()).stream().mapToLong(e -> e.segments().size()).sum();
            System.out.printf("%s: %d commits in %d s (%.0f/s), %d archived pieces, %d never archived; archive lag p50 %d ms, p99 %d ms, max %d ms%n",
                    store, n, seconds, n / (double) seconds, pieces, committed.size(), percentile(sorted, 50), percentile(sorted, 99),
                    sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1));
        }
    }

    /** Every 20 ms: which commits the pieces stored since the last look hold; each one's lag is counted once. */
    private static void poll(InstanceBackups backups, io.mysos.executor.backup.BinlogArchiveId archive, ConcurrentHashMap<Long, Long> committed, List<Long> lags,
            java.util.concurrent.atomic.AtomicBoolean done) {
        long archivedSeq = 0;
        long seen = 0;
        while (!done.get()) {
            try {
                var fresh = backups.binlogs().segmentsAfter(archive, 1, seen);
                long now = System.nanoTime();
                for (var piece : fresh) {
                    seen = Math.max(seen, piece.number());
                    var last = piece.last().gtids();
                    long seq = last.isEmpty() ? 0 : last.get(0).seq();
                    for (long s = archivedSeq + 1; s <= seq; s++) {
                        var at = committed.remove(s);
                        if (at != null) {
                            lags.add(Duration.ofNanos(now - at).toMillis());
                        }
                    }
                    archivedSeq = Math.max(archivedSeq, seq);
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                System.err.println("poll: " + e.getMessage());
            }
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}

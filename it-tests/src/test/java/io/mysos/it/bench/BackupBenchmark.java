package io.mysos.it.bench;

import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.executor.MySqlProcess;
import io.mysos.executor.backup.BackupSource;
import io.mysos.executor.backup.BackupStore;
import io.mysos.executor.backup.BackupTools;
import io.mysos.executor.backup.InstanceBackups;
import io.mysos.executor.mysql.SandboxLayout;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * Backup and restore throughput of a real mysqld's data (~1 GB by default) with mariadb-backup into
 * {@code file://} and into an in-process HDFS, next to a plain copy ({@code cp -a}) of the same data
 * directory in the same run. Not a test: {@code bin/bench backup [megabytes]}. Restore includes
 * fetching, checksum verification, unpacking and {@code --prepare}: the time to seed a new replica
 * before its mysqld starts.
 */
public final class BackupBenchmark {
    private BackupBenchmark() {}

    public static void main(String[] args) throws Exception {
        long megabytes = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        var scratch = Files.createTempDirectory("mysos-bench-backup-");
        MiniDFSCluster hdfs = null;
        try (var mysql = new MySqlProcess()) {
            var fileStore = new InstanceBackups(BackupStore.open(scratch.resolve("store").toUri()), BackupTools.detect());
            var instance = mysql.instance(1, fileStore, Optional.empty());
            // Loading a gigabyte keeps mysqld too busy for the usual one-second health pings.
            instance.newRunner(io.mysos.executor.task.TaskRunner.Timeouts.DEFAULT.withHealthChecks(Duration.ofSeconds(30), 20));
            instance.launch();
            instance.promote(1);
            long began = System.nanoTime();
            load(instance, megabytes);
            var dataDir = SandboxLayout.of(instance.sandbox()).dataDir();
            double dataMb = sizeOf(dataDir) / 1e6;
            System.out.printf("data: %.0f MB in %s (loaded in %.0f s)%n", dataMb, dataDir, seconds(began));

            // mysqld wrote the data with O_DIRECT, so the first copy reads the disk; every later read (copies, backups and
            // restores alike) comes from the host's cache, even with this machine's page cache dropped. The backups are
            // compared with the copies that read what they read: the cached ones (rounds >= 2); the first is shown apart.
            System.out.println(coldCache() ? "page cache: dropped before every copy, backup and restore (the host's stays)"
                    : "page cache: cannot be dropped (not root)");
            var copies = new ArrayList<Double>();
            double firstCopyRate = 0;
            for (int round = 0; round <= Math.max(1, rounds); round++) {
                coldCache();
                began = System.nanoTime();
                run("cp", "-a", dataDir.toString(), scratch.resolve("plain-copy").toString());
                double copy = seconds(began);
                SandboxLayout.deleteTree(scratch.resolve("plain-copy"));
                if (round == 0) {
                    firstCopyRate = dataMb / copy;
                } else {
                    copies.add(dataMb / copy);
                }
                System.out.printf("%-60s %6.0f MB %7.1f s %8.1f MB/s%n", "plain copy (cp -a), " + (round == 0
                        ? "first read: from the disk" : "cached"), dataMb, copy, dataMb / copy);
            }
            double copyRate = median(copies);
            System.out.printf("%-60s %6s    %9s %8.1f MB/s  (the 100%% below; the disk-bound first copy: %.1f MB/s)%n",
                    "  median of the cached copies", "", "", copyRate, firstCopyRate);

            // mariadb-backup's own speed, into nothing: what the store and the checksums add is the rest.
            var options = instance.sandbox().resolve("bench-client.cnf");
            Files.writeString(options, "!include " + SandboxLayout.of(instance.sandbox()).configFile() + "\n[mariadb-backup]\nuser=" + io.mysos.core.protocol.TaskData.ADMIN_USER + "\n"
                    + "password=" + instance.adminPassword() + "\nhost=" + MySqlProcess.HOST + "\nport=" + instance.port() + "\n");
            var toolScratch = Files.createDirectories(scratch.resolve("tool-scratch"));
            began = System.nanoTime();
            var tool = new ProcessBuilder("mariadb-backup", "--defaults-file=" + options, "--backup", "--stream=xbstream",
                    "--target-dir=" + toolScratch, "--parallel=2").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (tool.waitFor() != 0) {
                throw new IllegalStateException("mariadb-backup to /dev/null failed");
            }
            double toolSeconds = seconds(began);
            Files.delete(options);
            System.out.printf("%-60s %6s    %7.1f s%n", "mariadb-backup --stream to /dev/null", "", toolSeconds);

            // The SHA-256 every manifest entry needs, alone on one thread: a backup or restore hashes every byte it moves.
            coldCache();
            began = System.nanoTime();
            sha256Of(dataDir);
            double hashSeconds = seconds(began);
            System.out.printf("%-60s %6.0f MB %7.1f s %8.1f MB/s  (%3.0f%% of the cached copy's MB/s)%n",
                    "SHA-256 of the data directory, one thread (no copy)", dataMb, hashSeconds, dataMb / hashSeconds,
                    100 * dataMb / hashSeconds / copyRate);

            var source = new BackupSource("bench", instance.sandbox(), SandboxLayout.of(instance.sandbox()).configFile(),
                    MySqlProcess.HOST, instance.port(), io.mysos.core.protocol.TaskData.ADMIN_USER, instance.adminPassword(), "MariaDB", false, "");
            var storeCopy = scratch.resolve("store").resolve("plain-copy");
            var fileCopy = new PlainCopy(() -> run("cp", "-a", dataDir.toString(), storeCopy.toString()),
                    target -> run("cp", "-a", storeCopy.toString(), target.toString()),
                    () -> SandboxLayout.deleteTree(storeCopy));
            measure("file://", fileStore, source, scratch, new Baselines(copyRate, firstCopyRate), rounds, dataDir, fileCopy);

            var conf = new Configuration();
            hdfs = new MiniDFSCluster.Builder(conf, new File(scratch.resolve("minidfs").toString())).numDataNodes(1).build();
            hdfs.waitActive();
            var hdfsStore = new InstanceBackups(BackupStore.open(URI.create(hdfs.getURI() + "/mysos"), conf), BackupTools.detect());
            // The same client settings as the store's (1 MiB packets), so that the copy differs from the backup only in
            // what a backup adds: the tool, the stream format, the checksums.
            var copyConf = new Configuration(conf);
            copyConf.set("dfs.client-write-packet-size", String.valueOf(1 << 20));
            var fs = org.apache.hadoop.fs.FileSystem.newInstance(hdfs.getURI(), copyConf);
            var hdfsCopy = new org.apache.hadoop.fs.Path("/plain-copy");
            var hdfsPlain = new PlainCopy(() -> fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(dataDir.toString()), hdfsCopy),
                    target -> fs.copyToLocalFile(false, hdfsCopy, new org.apache.hadoop.fs.Path(target.toString()), true),
                    () -> fs.delete(hdfsCopy, true));
            measure("mini HDFS", hdfsStore, source, scratch, new Baselines(copyRate, firstCopyRate), rounds, dataDir, hdfsPlain);
            fs.close();
        } finally {
            if (hdfs != null) {
                hdfs.shutdown(true);
            }
            SandboxLayout.deleteTree(scratch);
        }
    }

    /** MB/s of the cached copies (the 100 %) and of the first copy, which read the disk. */
    private record Baselines(double cached, double first) {}

    private interface Step {
        void run() throws Exception;
    }

    private interface StepTo {
        void run(Path target) throws Exception;
    }

    /** A plain copy of the data directory into a store and back out of it: what a backup and a restore there are set against. */
    private record PlainCopy(Step put, StepTo get, Step remove) {}

    /**
     * MB/s of what the backup holds (mariadb-backup leaves the binary logs out), against the plain copy's median MB/s;
     * {@code rounds} backups and restores, each next to a plain copy of the data directory into the same store and back
     * out of it, and their medians.
     */
    private static void measure(String where, InstanceBackups store, BackupSource source, Path scratch, Baselines baselines, int rounds,
                                Path dataDir, PlainCopy plain) throws Exception {
        var backups = new ArrayList<Double>();
        var restores = new ArrayList<Double>();
        var puts = new ArrayList<Double>();
        var gets = new ArrayList<Double>();
        double dataMb = sizeOf(dataDir) / 1e6;
        for (int round = 0; round < rounds; round++) {
            coldCache();
            long putBegan = System.nanoTime();
            plain.put().run();
            double put = seconds(putBegan);
            puts.add(dataMb / put);
            report("plain copy of the data directory into " + where, dataMb, put, baselines.cached());
            var copied = scratch.resolve("plain-restored");
            coldCache();
            long getBegan = System.nanoTime();
            plain.get().run(copied);
            double get = seconds(getBegan);
            gets.add(dataMb / get);
            report("plain copy back out of " + where, dataMb, get, baselines.cached());
            SandboxLayout.deleteTree(copied);
            plain.remove().run();

            coldCache();
            long began = System.nanoTime();
            var manifest = store.take(source, "bench", "b" + System.nanoTime());
            double backup = seconds(began);
            double storedMb = manifest.bytes() / 1e6;
            backups.add(storedMb / backup);
            report("backup to " + where + " (" + Math.round(storedMb) + " MB stored)", storedMb, backup, baselines.cached());
            var target = scratch.resolve("restored");
            coldCache();
            began = System.nanoTime();
            store.restore(manifest.fullId(), target);
            double restore = seconds(began);
            restores.add(storedMb / restore);
            report("restore from " + where + " (fetch, verify, unpack, prepare)", storedMb, restore, baselines.cached());
            SandboxLayout.deleteTree(target);
            store.store().delete(manifest.cluster(), manifest.id());
        }
        for (var result : java.util.Map.of("  median backup to " + where, median(backups), "  median restore from " + where,
                median(restores)).entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).toList()) {
            System.out.printf("%-60s %6s    %9s %8.1f MB/s  (%3.0f%% of the cached copy's MB/s, %3.0f%% of the first copy's)%n",
                    result.getKey(), "", "", result.getValue(), 100 * result.getValue() / baselines.cached(),
                    100 * result.getValue() / baselines.first());
        }
        System.out.printf("%-60s %6s    %9s %8.1f MB/s; backup: %3.0f%% of it%n", "  median plain copy into " + where, "", "",
                median(puts), 100 * median(backups) / median(puts));
        System.out.printf("%-60s %6s    %9s %8.1f MB/s; restore: %3.0f%% of it%n", "  median plain copy out of " + where, "", "",
                median(gets), 100 * median(restores) / median(gets));
    }

    /** Writes back what is dirty and drops the page cache; false when this user may not. */
    private static boolean coldCache() throws Exception {
        run("sync");
        try {
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static double median(List<Double> values) {
        var sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Rows of random text until InnoDB holds about {@code megabytes}: doubling a table with INSERT ... SELECT. */
    private static void load(MySqlProcess.Instance instance, long megabytes) throws Exception {
        var url = "jdbc:mysql://" + MySqlProcess.HOST + ":" + instance.port() + "/?useSSL=false&allowPublicKeyRetrieval=true";
        try (var connection = java.sql.DriverManager.getConnection(url, io.mysos.core.protocol.TaskData.ADMIN_USER, instance.adminPassword());
                var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE bench");
            statement.execute("CREATE TABLE bench.t (id BIGINT AUTO_INCREMENT PRIMARY KEY, pad VARCHAR(1000)) ENGINE=InnoDB");
            statement.execute("SET GLOBAL innodb_flush_log_at_trx_commit = 2");
            statement.execute("SET GLOBAL sync_binlog = 0");
            statement.execute("INSERT INTO bench.t (pad) SELECT REPEAT(MD5(RAND()), 30) FROM bench.seq_1_to_1000");
            long rowsWanted = megabytes * 1_000_000 / 1000;
            long rows = 1000;
            while (rows < rowsWanted) {
                long batch = Math.min(rows, rowsWanted - rows);
                statement.execute("INSERT INTO bench.t (pad) SELECT REPEAT(MD5(RAND()), 30) FROM bench.t LIMIT " + batch);
                rows += batch;
            }
        }
    }

    private static void report(String what, double megabytes, double seconds, double copyRate) {
        double rate = megabytes / seconds;
        System.out.printf("%-60s %6.0f MB %7.1f s %8.1f MB/s  (%3.0f%% of the plain copy's MB/s)%n", what, megabytes, seconds, rate,
                100 * rate / copyRate);
    }

    /** Reads every file of {@code dir} once through one SHA-256, as the backup's hasher does with the stream. */
    private static void sha256Of(Path dir) throws Exception {
        var digest = java.security.MessageDigest.getInstance("SHA-256");
        var buffer = new byte[4 << 20];
        try (var files = Files.walk(dir)) {
            for (var file : files.filter(Files::isRegularFile).sorted().toList()) {
                try (var in = Files.newInputStream(file)) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        digest.update(buffer, 0, n);
                    }
                }
            }
        }
        digest.digest();
    }

    private static long sizeOf(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void run(String... command) throws Exception {
        var process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    private static double seconds(long since) {
        return Duration.ofNanos(System.nanoTime() - since).toMillis() / 1000.0;
    }
}

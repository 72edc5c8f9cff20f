package io.mysos.it.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of the test's own: initdb into a temp directory, its own free port, started
 * and stopped with pg_ctl (as the {@code postgres} user when the test runs as root, since
 * PostgreSQL refuses to run as root). The shared server on 5432 is never touched. Closing it stops
 * the server and deletes its files, also after a failure.
 */
public final class PostgresServer implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean asPostgres;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** Creates a cluster with a database {@code mysos} and starts it; trust authentication for user {@code postgres}. */
    public static PostgresServer start() throws Exception {
        var bin = installation();
        var dir = Files.createTempDirectory("mysos-pg-");
        var asPostgres = "root".equals(System.getProperty("user.name"));
        var server = new PostgresServer(bin, dir, Ports.free(), asPostgres);
        try {
            if (asPostgres) {
                run(List.of("chown", "postgres", dir.toString()));
            }
            server.pg("initdb", "-D", server.data.toString(), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
            server.startServer();
            server.pg("createdb", "-h", "127.0.0.1", "-p", String.valueOf(server.port), "-U", "postgres", "mysos");
            return server;
        } catch (Exception | AssertionError e) {
            server.close();
            throw e;
        }
    }

    /** Whether PostgreSQL's server programs are installed here. */
    public static boolean installed() {
        try {
            installation();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/mysos";
    }

    public String user() {
        return "postgres";
    }

    /** Starts the server (again) on the same data and port; returns once it accepts connections. */
    public void startServer() throws Exception {
        pg("pg_ctl", "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start");
    }

    /** Stops the server at once, as a crash or a lost network would: connections are cut, nothing waits. */
    public void stopServer() throws Exception {
        pg("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "-t", "60", "stop");
    }

    private boolean running() {
        return Files.exists(data.resolve("postmaster.pid"));
    }

    @Override
    public void close() throws Exception {
        try {
            if (running()) {
                stopServer();
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void pg(String program, String... args) throws Exception {
        var command = new ArrayList<String>();
        if (asPostgres) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(Arrays.asList(args));
        run(command);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
    }

    /** The newest /usr/lib/postgresql/N/bin that has pg_ctl and initdb. */
    private static Path installation() {
        var root = Path.of("/usr/lib/postgresql");
        try (var versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("pg_ctl")) && Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent())))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL server programs under " + root));
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL server programs under " + root, e);
        }
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString().replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

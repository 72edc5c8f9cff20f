package io.mysos.endpoints.serverset;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real ZooKeeper server (Debian's {@code zookeeper} package) on a free port, in a temp dir,
 * stopped and deleted on {@link #close}. Its admin server is off, so it binds one port only.
 */
public final class ZooKeeperProcess implements AutoCloseable {
    public static final Path JAR = Path.of("/usr/share/java/zookeeper.jar");

    private final Process process;
    private final Path dir;
    private final int port;

    private ZooKeeperProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    public static boolean installed() {
        return Files.exists(JAR);
    }

    /** Starts one on a free port; a port another process took meanwhile means another try on another port. */
    public static ZooKeeperProcess start() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce();
            } catch (PortTaken e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static final class PortTaken extends IllegalStateException {
        PortTaken(String message) {
            super(message);
        }
    }

    private static ZooKeeperProcess startOnce() throws IOException, InterruptedException {
        if (!installed()) {
            throw new IllegalStateException("ZooKeeper is not installed (Debian package zookeeper; bin/test installs it)");
        }
        int port;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        var dir = Files.createTempDirectory("mysos-zk");
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(List.of(java, "-Xmx128m", "-Dzookeeper.admin.enableServer=false",
                "-Dzookeeper.4lw.commands.whitelist=ruok", "-cp", JAR.toString(),
                "org.apache.zookeeper.server.ZooKeeperServerMain", Integer.toString(port), dir.resolve("data").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("zookeeper.log").toFile()).start();
        var zk = new ZooKeeperProcess(process, dir, port);
        var deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!zk.answers()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                var log = Files.readString(dir.resolve("zookeeper.log"));
                zk.close();
                throw new IllegalStateException("ZooKeeper did not start: " + log);
            }
            Thread.sleep(100);
        }
        // The port was free when probed, not necessarily when ZooKeeper bound it: an answer from another
        // test's server must not pass for ours. A server that could not bind exits at once.
        Thread.sleep(300);
        if (!process.isAlive() || Files.readString(dir.resolve("zookeeper.log")).contains("Address already in use")) {
            var log = Files.readString(dir.resolve("zookeeper.log"));
            zk.close();
            throw new PortTaken("ZooKeeper could not bind port " + port + ": " + log);
        }
        return zk;
    }

    private boolean answers() {
        // Bounded: a server that accepted but never answers (still starting, or another process took the port) must not hang the tests.
        try (var socket = new Socket()) {
            socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write("ruok".getBytes());
            return new String(socket.getInputStream().readAllBytes()).equals("imok");
        } catch (IOException e) {
            return false;
        }
    }

    public String connectString() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

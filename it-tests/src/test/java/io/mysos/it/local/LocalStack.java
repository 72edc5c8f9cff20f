package io.mysos.it.local;

import io.mysos.core.resources.PortRange;
import io.mysos.core.resources.Resources;
import io.mysos.core.size.DataSize;
import io.mysos.dist.LocalMode;
import io.mysos.dist.LocalSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code mysos local} for a test: in this JVM, or as its own process (in its own process
 * group, so a test can kill -9 it, or its whole group as a machine restart would). Closing it
 * stops Mysos and kills every process left under its data directory, also after a failure.
 */
public final class LocalStack implements AutoCloseable {
    public static final int PORTS = 40;

    private final Path dataDir;
    private final int apiPort;
    private final int firstPort;
    private final Api api;
    private Optional<LocalMode> inProcess = Optional.empty();
    private Optional<Process> external = Optional.empty();

    private LocalStack(Path dataDir) {
        this.dataDir = dataDir;
        this.apiPort = Ports.free();
        this.firstPort = Ports.freeRange(PORTS);
        this.api = new Api(apiPort);
    }

    /** Generous resources: cpus are not pinned in local mode, and this box has 2 cores. */
    static Resources resources() {
        return new Resources(32, DataSize.ofGigabytes(16), DataSize.ofGigabytes(40));
    }

    public static LocalStack startInProcess(Path dataDir) throws Exception {
        var stack = new LocalStack(dataDir);
        stack.startInProcess();
        return stack;
    }

    public static LocalStack startExternal(Path dataDir) throws Exception {
        var stack = new LocalStack(dataDir);
        stack.startExternal();
        return stack;
    }

    public Api api() {
        return api;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int firstPort() {
        return firstPort;
    }

    private LocalSettings settings() {
        return new LocalSettings("127.0.0.1", apiPort, dataDir, dataDir.resolve("scheduler.key"), resources(),
                List.of(new PortRange(firstPort, firstPort + PORTS - 1)));
    }

    public void startInProcess() throws Exception {
        inProcess = Optional.of(LocalMode.start(settings()));
        awaitHealthy();
    }

    /** Starts {@code mysos local} as its own process group leader, on the same ports and data as before. */
    public void startExternal() throws Exception {
        var java = ProcessHandle.current().info().command().orElse("java");
        var resources = resources();
        var command = new ArrayList<>(List.of("setsid", java, "-cp", System.getProperty("java.class.path"),
                "io.mysos.dist.Mysos", "local",
                "--port", String.valueOf(apiPort), "--data-dir", dataDir.toString(),
                "--ports", firstPort + "-" + (firstPort + PORTS - 1),
                "--cpus", String.valueOf(resources.cpus()), "--mem", resources.mem().toString(),
                "--disk", resources.disk().toString()));
        Files.createDirectories(dataDir);
        var log = dataDir.resolve("mysos-" + System.currentTimeMillis() + ".log");
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        external = Optional.of(process);
        try {
            awaitHealthy();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + Files.readString(log), e);
        }
    }

    /** kill -9 of the Mysos process alone: its mysqld processes live on. */
    public void killMysos() throws Exception {
        var process = external.orElseThrow();
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        external = Optional.empty();
    }

    /** kill -9 of Mysos's whole process group, as a machine restart would: its mysqld processes die too. */
    public void killProcessGroup() throws Exception {
        var process = external.orElseThrow();
        var kill = new ProcessBuilder("kill", "-9", "--", "-" + process.pid()).inheritIO().start();
        kill.waitFor(10, TimeUnit.SECONDS);
        process.waitFor(10, TimeUnit.SECONDS);
        external = Optional.empty();
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Processes.mysqldUnder(dataDir).isEmpty() && System.nanoTime() < deadline) {
            Api.sleep(50);
        }
    }

    public void stop() {
        inProcess.ifPresent(LocalMode::close);
        inProcess = Optional.empty();
        external.ifPresent(process -> {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        external = Optional.empty();
    }

    private void awaitHealthy() {
        var deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (api.get("/health").status() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            if (external.isPresent() && !external.get().isAlive()) {
                throw new AssertionError("mysos local exited with " + external.get().exitValue());
            }
            Api.sleep(100);
        }
        throw new AssertionError("mysos local did not become healthy on port " + apiPort);
    }

    @Override
    public void close() throws IOException {
        try {
            stop();
        } finally {
            Processes.killAll(dataDir);
        }
    }
}

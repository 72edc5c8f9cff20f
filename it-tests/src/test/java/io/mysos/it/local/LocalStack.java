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
    private final LocalSettings.Journal journal;
    private final int apiPort;
    private final int firstPort;
    private final Api api;
    private final Resources offered;
    private Optional<LocalMode> inProcess = Optional.empty();
    private Optional<Process> external = Optional.empty();
    /** --backup-root and --hadoop-conf; none: the default store under the data directory. */
    private Optional<java.net.URI> backupRoot = Optional.empty();
    private Optional<Path> hadoopConf = Optional.empty();
    /** How the in-process Mysos serves endpoints, on every start. */
    private io.mysos.dist.EndpointOptions endpoints = io.mysos.dist.EndpointOptions.defaults();

    private LocalStack(Path dataDir, Resources offered) {
        this(dataDir, offered, LocalSettings.Journal.EMBEDDED);
    }

    private LocalStack(Path dataDir, Resources offered, LocalSettings.Journal journal) {
        this.dataDir = dataDir;
        this.offered = offered;
        this.journal = journal;
        this.apiPort = Ports.free();
        this.firstPort = Ports.freeRange(PORTS);
        this.api = new Api(apiPort);
    }

    /** Generous resources: cpus are not pinned in local mode, and this box has 2 cores. */
    static Resources resources() {
        return new Resources(32, DataSize.ofGigabytes(16), DataSize.ofGigabytes(40));
    }

    public static LocalStack startInProcess(Path dataDir) throws Exception {
        return startInProcess(dataDir, resources());
    }

    /** In this JVM, offering {@code offered} (e.g. nothing, so that no instance ever starts). */
    public static LocalStack startInProcess(Path dataDir, Resources offered) throws Exception {
        return started(new LocalStack(dataDir, offered), LocalStack::startInProcess);
    }

    /** In this JVM, with its journal in the given database instead of the embedded H2 file. */
    public static LocalStack startInProcess(Path dataDir, LocalSettings.Journal journal) throws Exception {
        return started(new LocalStack(dataDir, resources(), journal), LocalStack::startInProcess);
    }

    public static LocalStack startExternal(Path dataDir, String... options) throws Exception {
        return startExternal(dataDir, resources(), options);
    }

    public static LocalStack startExternal(Path dataDir, Resources offered, String... options) throws Exception {
        return started(new LocalStack(dataDir, offered), stack -> stack.startExternal(options));
    }

    /** In this JVM, keeping backups at {@code backupRoot} (an HDFS, say) with the Hadoop configuration in {@code hadoopConf}. */
    public static LocalStack startInProcess(Path dataDir, java.net.URI backupRoot, Optional<Path> hadoopConf) throws Exception {
        var stack = new LocalStack(dataDir, resources());
        stack.backupRoot = Optional.of(backupRoot);
        stack.hadoopConf = hadoopConf;
        return started(stack, LocalStack::startInProcess);
    }

    private interface Start {
        void start(LocalStack stack) throws Exception;
    }

    /**
     * Starts {@code stack}; when the start fails, whatever it started (a Mysos process that never
     * became healthy, its mysqld) is stopped before the failure reaches the test, which never got
     * the stack to close.
     */
    private static LocalStack started(LocalStack stack, Start start) throws Exception {
        try {
            start.start(stack);
            return stack;
        } catch (Exception | AssertionError e) {
            try {
                stack.close();
            } catch (Exception | AssertionError cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    public Api api() {
        return api;
    }

    public int apiPort() {
        return apiPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int firstPort() {
        return firstPort;
    }

    private LocalSettings settings() {
        return new LocalSettings("127.0.0.1", apiPort, dataDir, dataDir.resolve("scheduler.key"), offered,
                List.of(new PortRange(firstPort, firstPort + PORTS - 1))).withJournal(journal).withBackups(backupRoot, hadoopConf);
    }

    public void startInProcess() throws Exception {
        inProcess = Optional.of(LocalMode.start(settings(), endpoints));
        awaitHealthy();
    }

    /** In this JVM, serving and publishing endpoints as {@code endpoints} says (e.g. with {@code --zk}). */
    public static LocalStack startInProcess(Path dataDir, io.mysos.dist.EndpointOptions endpoints) throws Exception {
        var stack = new LocalStack(dataDir, resources());
        stack.endpoints = endpoints;
        return started(stack, LocalStack::startInProcess);
    }

    /**
     * Starts {@code mysos local} as its own process group leader, on the same ports and data as
     * before, with {@code options} added to its command line (e.g. {@code --leave-running}).
     */
    public void startExternal(String... options) throws Exception {
        var java = ProcessHandle.current().info().command().orElse("java");
        var resources = offered;
        var command = new ArrayList<>(List.of("setsid", java, "-cp", System.getProperty("java.class.path"),
                "io.mysos.dist.Mysos", "local",
                "--port", String.valueOf(apiPort), "--data-dir", dataDir.toString(),
                "--ports", firstPort + "-" + (firstPort + PORTS - 1),
                "--cpus", String.valueOf(resources.cpus()), "--mem", resources.mem().toString(),
                "--disk", resources.disk().toString()));
        command.addAll(List.of(options));
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

    /** Sends {@code signal} (TERM, INT, HUP, ...) to the Mysos process alone and returns its exit code once it is gone. */
    public int signalMysos(String signal) throws Exception {
        var process = external.orElseThrow();
        new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            throw new AssertionError("mysos local did not exit on SIG" + signal);
        }
        external = Optional.empty();
        return process.exitValue();
    }

    /** True while the Mysos process runs. */
    public boolean mysosAlive() {
        return external.map(Process::isAlive).orElse(false);
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
        var deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos(); // a JVM start on a loaded 2-core machine
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
        throw new AssertionError("mysos local did not become healthy within 120 s on port " + apiPort);
    }

    @Override
    public void close() throws IOException {
        try {
            stop();
        } finally {
            Processes.killAll(dataDir);
            removeKernelRoutes(dataDir);
        }
    }

    /**
     * Removes the nftables tables of the endpoints recorded under {@code dataDir} (a Mysos killed with kernel
     * forwarding leaves its table, which would send later connections to those ports to its instances).
     */
    static void removeKernelRoutes(Path dataDir) {
        var book = dataDir.resolve("endpoints.json");
        if (!java.nio.file.Files.exists(book)) {
            return;
        }
        try {
            var script = new StringBuilder();
            for (var cluster : new com.fasterxml.jackson.databind.ObjectMapper().readTree(book.toFile())) {
                script.append(io.mysos.core.endpoint.KernelRoutes.delete(io.mysos.core.endpoint.KernelRoutes.table(
                        cluster.path("read_write").asInt(), cluster.path("read_only").asInt())));
            }
            if (script.length() > 0) {
                var nft = new ProcessBuilder("nft", "-f", "-").redirectErrorStream(true).start();
                try (var in = nft.getOutputStream()) {
                    in.write(script.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                nft.getInputStream().readAllBytes();
                nft.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            // nft missing: no table can have been made
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A test's teardown: stops Mysos (if it was started), checks that no mysqld is left under the
     * data directory, and deletes the directory (gigabytes of instances) also when that check fails.
     */
    public static void closeAndRemove(LocalStack stack, Path dataDir) throws Exception {
        try {
            if (stack != null) {
                stack.close();
            }
        } finally {
            Processes.killAll(dataDir); // also what a start that never returned its stack left running
            removeKernelRoutes(dataDir);
        }
        try {
            org.junit.jupiter.api.Assertions.assertTrue(Processes.mysqldUnder(dataDir).isEmpty(), "no mysqld is left behind");
        } finally {
            Processes.removeDataDir(dataDir);
        }
    }
}

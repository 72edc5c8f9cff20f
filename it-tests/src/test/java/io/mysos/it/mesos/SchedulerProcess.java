package io.mysos.it.mesos;

import io.mysos.it.local.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code mysos scheduler} as its own process, from this build's classes, against a real Mesos
 * master; its output goes to a log file in its data directory, shown when it does not come up.
 */
final class SchedulerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final Api api;

    private SchedulerProcess(Process process, Path log, Api api) {
        this.process = process;
        this.log = log;
        this.api = api;
    }

    /** Starts it and waits until {@code GET /health} answers 200: subscribed to the master. */
    static SchedulerProcess start(Path dataDir, int apiPort, List<String> options, Duration ready) throws Exception {
        var scheduler = launch(dataDir, apiPort, options);
        var process = scheduler.process;
        var log = scheduler.log;
        var deadline = System.nanoTime() + ready.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("mysos scheduler exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (scheduler.api.get("/health").status() == 200) {
                    return scheduler;
                }
            } catch (java.io.UncheckedIOException e) {
                // the API is not listening yet
            }
            Thread.sleep(500);
        }
        scheduler.kill();
        throw new AssertionError("mysos scheduler did not subscribe to Mesos within " + ready + ":\n" + Files.readString(log));
    }

    /** Starts {@code mysos scheduler} (this build's classes) with its output in a log under {@code dataDir}; does not wait. */
    static SchedulerProcess launch(Path dataDir, int apiPort, List<String> options) throws java.io.IOException {
        var java = ProcessHandle.current().info().command().orElse("java");
        var command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "io.mysos.dist.Mysos", "scheduler",
                "--data-dir", dataDir.toString(), "--api-port", String.valueOf(apiPort)));
        command.addAll(options);
        Files.createDirectories(dataDir);
        var log = dataDir.resolve("scheduler-" + System.currentTimeMillis() + ".log");
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new SchedulerProcess(process, log, new Api(apiPort));
    }

    /** Its exit status, once it ended by itself within {@code timeout}. */
    int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("mysos scheduler still runs after " + timeout + ":\n" + log());
        }
        return process.exitValue();
    }

    Api api() {
        return api;
    }

    /** kill -9: the scheduler alone dies; the tasks run on under Mesos. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String log() throws java.io.IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}

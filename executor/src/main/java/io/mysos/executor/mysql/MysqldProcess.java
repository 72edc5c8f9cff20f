package io.mysos.executor.mysql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running mysqld: either a child this JVM spawned, or one found by pid after a restart (no
 * longer our child, so watched by polling its {@link ProcessHandle}).
 */
final class MysqldProcess {
    private static final Set<String> SERVER_NAMES = Set.of("mysqld", "mariadbd");
    private static final long POLL_MS = 10;
    private static final long WATCH_MS = 100;
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final ScheduledExecutorService WATCHER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        var thread = new Thread(runnable, "mysos-mysqld-watcher");
        thread.setDaemon(true);
        return thread;
    });

    private final ProcessHandle handle;
    private final Optional<Process> child;
    private final CompletableFuture<OptionalInt> exit;

    private MysqldProcess(ProcessHandle handle, Optional<Process> child) {
        this.handle = handle;
        this.child = child;
        this.exit = child.map(p -> p.onExit().thenApply(done -> OptionalInt.of(done.exitValue())))
                .orElseGet(this::watchByPolling);
    }

    static MysqldProcess spawned(Process process) {
        return new MysqldProcess(process.toHandle(), Optional.of(process));
    }

    /** The live mysqld with this pid, if it is one started with {@code configFile}; a reused pid is not. */
    static Optional<MysqldProcess> find(long pid, Path configFile) {
        return ProcessHandle.of(pid)
                .filter(handle -> isLive(handle) && isMysqldFor(handle, configFile))
                .map(handle -> new MysqldProcess(handle, Optional.empty()));
    }

    /** Any live mysqld started with {@code configFile}: for when its pid file is gone. */
    static Optional<MysqldProcess> findByConfig(Path configFile) {
        return ProcessHandle.allProcesses()
                .filter(handle -> isMysqldFor(handle, configFile) && isLive(handle))
                .findFirst()
                .map(handle -> new MysqldProcess(handle, Optional.empty()));
    }

    long pid() {
        return handle.pid();
    }

    boolean isAlive() {
        return child.map(Process::isAlive).orElseGet(() -> isLive(handle));
    }

    /** Completes with the exit code (when it was our child) once the process is gone. */
    CompletableFuture<OptionalInt> onExit() {
        return exit;
    }

    /** SIGTERM, then SIGKILL after {@code grace}; returns once the process is gone. */
    void terminate(Duration grace) {
        if (!isAlive()) {
            return;
        }
        handle.destroy();
        if (!awaitGone(grace)) {
            handle.destroyForcibly();
            if (!awaitGone(KILL_WAIT)) {
                throw new IllegalStateException("mysqld (pid " + pid() + ") survived SIGKILL for " + KILL_WAIT.toSeconds() + " s");
            }
        }
    }

    /** Kills at once: for a server that never came up. */
    void kill() {
        handle.destroyForcibly();
        awaitGone(KILL_WAIT);
    }

    private boolean awaitGone(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (child.isPresent()) {
                return child.get().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            while (isAlive()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(POLL_MS);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !isAlive();
        }
    }

    private CompletableFuture<OptionalInt> watchByPolling() {
        var done = new CompletableFuture<OptionalInt>();
        var task = WATCHER.scheduleWithFixedDelay(() -> {
            if (!isLive(handle)) {
                done.complete(OptionalInt.empty());
            }
        }, 0, WATCH_MS, TimeUnit.MILLISECONDS);
        done.whenComplete((code, error) -> task.cancel(false));
        return done;
    }

    /** Alive and not a zombie: a killed process that is not our child lingers until its parent reaps it. */
    private static boolean isLive(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        try {
            var stat = Files.readString(Path.of("/proc", String.valueOf(handle.pid()), "stat"));
            var afterName = stat.substring(stat.lastIndexOf(')') + 1).strip();
            return !afterName.startsWith("Z") && !afterName.startsWith("X");
        } catch (IOException | RuntimeException e) {
            return handle.isAlive();
        }
    }

    private static boolean isMysqldFor(ProcessHandle handle, Path configFile) {
        var arguments = commandLine(handle);
        if (arguments.isEmpty()) {
            return false;
        }
        var program = Path.of(arguments.get(0)).getFileName();
        return program != null && SERVER_NAMES.contains(program.toString())
                && arguments.contains("--defaults-file=" + configFile);
    }

    private static List<String> commandLine(ProcessHandle handle) {
        try {
            var raw = Files.readAllBytes(Path.of("/proc", String.valueOf(handle.pid()), "cmdline"));
            return Arrays.stream(new String(raw, StandardCharsets.UTF_8).split("\0")).toList();
        } catch (IOException | RuntimeException e) {
            // Without /proc (not Linux), ask the JDK; it may not see other users' arguments.
            var info = handle.info();
            var all = new ArrayList<String>();
            info.command().ifPresent(all::add);
            info.arguments().ifPresent(args -> all.addAll(Arrays.asList(args)));
            return all;
        }
    }
}

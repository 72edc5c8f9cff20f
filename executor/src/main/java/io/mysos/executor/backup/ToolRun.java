package io.mysos.executor.backup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of a backup program: its stderr is read on a thread of its own (a full pipe would stall
 * it) and its last lines kept, for the reason when it fails and for what it reports (the GTID position).
 */
final class ToolRun implements AutoCloseable {
    private static final int KEPT_LINES = 200;

    private final String name;
    private final Process process;
    private final Deque<String> lines = new ArrayDeque<>();
    private final Thread reader;

    private ToolRun(String name, Process process) {
        this.name = name;
        this.process = process;
        this.reader = new Thread(this::readErrors, "mysos-" + name + "-stderr");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static ToolRun start(List<String> command, java.nio.file.Path workDir) {
        try {
            var process = new ProcessBuilder(command).directory(workDir.toFile()).start();
            return new ToolRun(java.nio.file.Path.of(command.get(0)).getFileName().toString(), process);
        } catch (IOException e) {
            throw new BackupFailedException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    Process process() {
        return process;
    }

    /** Waits for the end; a failure says what the tool's last lines said. */
    void awaitSuccess() {
        try {
            int code = process.waitFor();
            reader.join(TimeUnit.SECONDS.toMillis(10));
            if (code != 0) {
                throw new BackupFailedException(name + " failed (exit " + code + "): " + reason());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new BackupFailedException(name + " was interrupted");
        }
    }

    /** What stderr said last, as one line for an event. */
    String reason() {
        synchronized (lines) {
            var errors = lines.stream().filter(l -> l.contains("ERROR") || l.contains("rror:") || l.contains("FATAL")).toList();
            var shown = errors.isEmpty() ? List.copyOf(lines).subList(Math.max(0, lines.size() - 3), lines.size()) : errors;
            return String.join(" / ", shown.subList(Math.max(0, shown.size() - 3), shown.size()));
        }
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void readErrors() {
        try (var in = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.addLast(line);
                    if (lines.size() > KEPT_LINES) {
                        lines.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}

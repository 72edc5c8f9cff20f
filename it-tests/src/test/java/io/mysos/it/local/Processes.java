package io.mysos.it.local;

import java.nio.file.Path;
import java.util.List;

/** The mysqld processes a test left behind: found by their data directory, killed for good. */
public final class Processes {
    private Processes() {}

    /** Every live process whose command line mentions {@code dir}. */
    public static List<ProcessHandle> under(Path dir) {
        var needle = dir.toAbsolutePath().toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(needle)).orElse(false))
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .toList();
    }

    public static List<ProcessHandle> mysqldUnder(Path dir) {
        return under(dir).stream()
                .filter(p -> p.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false))
                .toList();
    }

    /** Kills every process under {@code dir} and waits for them to be gone. */
    public static void killAll(Path dir) {
        for (var process : under(dir)) {
            process.destroyForcibly();
            try {
                process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // best effort: reported by the next test's checks if it lingers
            }
        }
    }

    /** Deletes a test's data directory once Mysos and every mysqld under it are gone (also after a failure). */
    public static void removeDataDir(java.nio.file.Path dataDir) throws java.io.IOException {
        if (dataDir != null) {
            io.mysos.executor.mysql.SandboxLayout.deleteTree(dataDir);
        }
    }
}

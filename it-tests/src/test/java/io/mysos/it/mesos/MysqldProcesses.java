package io.mysos.it.mesos;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The mysqld of an instance on this machine, found by the option file Mysos wrote for it (its bind address and port). */
final class MysqldProcesses {
    private MysqldProcesses() {}

    static Optional<ProcessHandle> serving(String host, int port) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false))
                .filter(p -> optionFile(p).map(file -> serves(file, host, port)).orElse(false))
                .findFirst();
    }

    private static Optional<Path> optionFile(ProcessHandle process) {
        for (var argument : process.info().arguments().orElse(new String[0])) {
            if (argument.startsWith("--defaults-file=")) {
                return Optional.of(Path.of(argument.substring("--defaults-file=".length())));
            }
        }
        return Optional.empty();
    }

    private static boolean serves(Path optionFile, String host, int port) {
        try {
            var lines = Files.readAllLines(optionFile);
            return lines.contains("bind-address=" + host) && lines.contains("port=" + port);
        } catch (java.io.IOException | SecurityException e) {
            return false; // another user's instance, or gone
        }
    }
}

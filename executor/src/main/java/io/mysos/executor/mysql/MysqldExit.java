package io.mysos.executor.mysql;

import java.util.OptionalInt;

/**
 * How a mysqld ended. The exit code is known only for a process this JVM started; an adopted one
 * (started before a restart) is not our child, so its code is lost.
 *
 * @param reason the {@code [ERROR]} lines (or last lines) it wrote to its log since it started
 */
public record MysqldExit(long pid, OptionalInt exitCode, String reason) {
    private static final int SIGNALLED = 128;

    /** {@code mysqld exited with code 1: [ERROR] Can't start server: ...}: what a person reads in the task status. */
    public String describe() {
        if (exitCode.isEmpty()) {
            return "mysqld (pid " + pid + ") exited: " + reason;
        }
        int code = exitCode.getAsInt();
        var signal = code > SIGNALLED && code < SIGNALLED + 32 ? " (killed by signal " + (code - SIGNALLED) + ")" : "";
        return "mysqld exited with code " + code + signal + ": " + reason;
    }
}

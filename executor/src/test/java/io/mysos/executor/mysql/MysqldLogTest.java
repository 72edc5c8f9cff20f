package io.mysos.executor.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MysqldLogTest {
    @TempDir
    Path dir;

    @Test
    void reasonIsTheErrorLinesOfThisStart() throws IOException {
        var file = dir.resolve("mysqld.log");
        Files.writeString(file, "2024-01-01 10:00:00 0 [ERROR] an old start's error\n");
        var log = MysqldLog.of(file);
        long offset = log.size();
        Files.writeString(file, """
                2024-01-02 10:00:00 0 [Note] Starting MariaDB
                2024-01-02 10:00:00 0 [ERROR] Can't start server: Bind on TCP/IP port. Got error: 98: Address already in use
                2024-01-02 10:00:00 0 [ERROR] Aborting
                """, java.nio.file.StandardOpenOption.APPEND);

        assertEquals("[ERROR] Can't start server: Bind on TCP/IP port. Got error: 98: Address already in use",
                log.reasonSince(offset));
    }

    @Test
    void readsMySqlErrorLinesWithoutTheirCodes() throws IOException {
        var file = dir.resolve("mysqld.log");
        Files.writeString(file, "2024-01-02T10:00:00.123456Z 0 [ERROR] [MY-010262] [Server] Can't start server: "
                + "Bind on TCP/IP port: Address already in use\n");
        assertEquals("[ERROR] Can't start server: Bind on TCP/IP port: Address already in use",
                MysqldLog.of(file).reasonSince(0));
    }

    @Test
    void withoutErrorsTheReasonIsTheLastLines() throws IOException {
        var file = dir.resolve("mysqld.log");
        Files.writeString(file, "a\nb\n\nc\nd\ne\nf\n");
        assertEquals("last lines of " + file + ": b / c / d / e / f", MysqldLog.of(file).reasonSince(0));
        assertEquals("nothing in " + dir.resolve("none"), MysqldLog.of(dir.resolve("none")).reasonSince(0));
    }

    @Test
    void anExitSaysItsCodeAndSignal() {
        assertEquals("mysqld exited with code 1: [ERROR] x", new MysqldExit(7, OptionalInt.of(1), "[ERROR] x").describe());
        assertEquals("mysqld exited with code 137 (killed by signal 9): y", new MysqldExit(7, OptionalInt.of(137), "y").describe());
        assertEquals("mysqld (pid 7) exited: z", new MysqldExit(7, OptionalInt.empty(), "z").describe());
    }
}

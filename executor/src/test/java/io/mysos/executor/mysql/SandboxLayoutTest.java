package io.mysos.executor.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SandboxLayoutTest {
    @Test
    void mysqldsOwnFilesLiveInDirectoriesOfTheirOwn() {
        var layout = SandboxLayout.of(Path.of("/var/lib/mesos/sandbox"));
        assertEquals(Path.of("/var/lib/mesos/sandbox/run/mysqld.sock"), layout.socket());
        assertEquals(Path.of("/var/lib/mesos/sandbox/run/mysqld.pid"), layout.serverPidFile());
        assertEquals(Path.of("/var/lib/mesos/sandbox/mysqld.pid"), layout.pidFile(), "Mysos's own record stays in the sandbox");
        assertEquals(Path.of("/var/lib/mesos/sandbox/files"), layout.filesDir());
        assertEquals(layout.runDir(), layout.socketDir());
    }

    @Test
    void aLongSandboxPutsTheSocketIntoAPrivateDirectoryNotStraightIntoTmp() {
        var deep = Path.of("/var/lib/mesos/slaves/20240101-000000-0000-0000-S0/frameworks/20240101-0000/executors/"
                + "mysos-orders-1/runs/latest");
        var longOne = SandboxLayout.of(deep);
        assertEquals(SandboxLayout.sharedSocketDir(), longOne.socketDir());
        assertTrue(longOne.socketDir().getFileName().toString().startsWith("mysos-sockets-"), longOne.socket().toString());
        assertTrue(longOne.socket().toString().length() <= SandboxLayout.MAX_SOCKET_PATH);
        assertEquals(longOne.socket(), SandboxLayout.of(deep).socket(), "a restarted executor finds the same socket");
    }
}

package io.mysos.executor.mysql;

import io.mysos.core.size.DataSize;
import io.mysos.executor.MySqlProcess;
import java.nio.file.Path;
import java.time.Duration;

/** A stand-in executor for {@link MySqlServerTest}: starts one mysqld, says its pid, then waits to be killed. */
public final class StartMysqld {
    private StartMysqld() {}

    public static void main(String[] args) throws InterruptedException {
        var server = new MySqlServer(MySqlProcess.installation(), Path.of(args[0]),
                new MySqlConfig(MySqlProcess.HOST, Integer.parseInt(args[1]), 1, DataSize.ofMegabytes(256)), args[2]);
        server.initializeIfNeeded();
        server.start();
        server.awaitReady(Duration.ofSeconds(60), () -> false);
        System.out.println("READY " + server.pid().orElseThrow());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

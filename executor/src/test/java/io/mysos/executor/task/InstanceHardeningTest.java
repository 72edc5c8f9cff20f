package io.mysos.executor.task;

import static io.mysos.executor.MySqlProcess.START;
import static io.mysos.executor.MySqlProcess.STEP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.task.TaskState;
import io.mysos.executor.MySqlProcess;
import io.mysos.executor.mysql.SandboxLayout;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What happens to an instance whose files are taken away, that is killed while it starts, or that will not come back. */
class InstanceHardeningTest {
    @RegisterExtension
    final MySqlProcess mysql = new MySqlProcess();

    @Test
    void aMasterWhoseDataDirectoryIsDeletedFailsAndStopsTakingWrites() throws Exception {
        var master = mysql.instance(1);
        master.newRunner(TaskRunner.Timeouts.DEFAULT.withHealthChecks(Duration.ofMillis(200), 3));
        master.launch();
        master.promote(1);
        long pid = master.pid();

        SandboxLayout.deleteTree(master.sandbox().resolve("data"));

        var failed = master.events().expectStatus(TaskState.FAILED, STEP);
        assertTrue(failed.message().contains("data directory " + master.sandbox().resolve("data") + " is gone"),
                failed.message());
        MySqlProcess.eventually(STEP, () -> !MySqlProcess.isAlive(pid));
    }

    @Test
    void killingAStartingMysqldDoesNotWaitForItsCleanShutdown() throws Exception {
        var instance = mysql.instance(1);
        instance.runner().launch();
        instance.events().expectStatus(TaskState.STARTING, START);
        // A mysqld that ignores SIGTERM while it starts, as a slow one does until its signal handler runs.
        long pid = awaitMysqld(instance);
        new ProcessBuilder("kill", "-STOP", String.valueOf(pid)).start().waitFor(5, TimeUnit.SECONDS);
        long began = System.nanoTime();

        instance.runner().kill();

        instance.events().expectStatus(TaskState.KILLED, Duration.ofSeconds(15));
        assertTrue(Duration.ofNanos(System.nanoTime() - began).compareTo(TaskRunner.Timeouts.DEFAULT.stopGrace()) < 0);
        assertFalse(MySqlProcess.isAlive(pid));
    }

    @Test
    void discardStopsMysqldAndRemovesItsSandbox() throws Exception {
        var instance = mysql.instance(1);
        instance.launch();
        long pid = instance.pid();
        assertTrue(Files.isDirectory(instance.sandbox().resolve("data")));

        instance.runner().discard().get(30, TimeUnit.SECONDS);

        assertFalse(MySqlProcess.isAlive(pid));
        assertFalse(Files.exists(instance.sandbox()), "the sandbox is left behind");
        instance.events().expectNoStatus(Duration.ofMillis(300));
        // Discarding a runner that is already gone, or again, is harmless.
        instance.runner().discard().get(30, TimeUnit.SECONDS);
    }

    @Test
    void discardAfterAKillRemovesTheSandboxToo() throws Exception {
        var instance = mysql.instance(1);
        instance.launch();
        instance.runner().kill();
        instance.events().expectStatus(TaskState.KILLED, STEP);

        instance.runner().discard().get(30, TimeUnit.SECONDS);

        assertFalse(Files.exists(instance.sandbox()));
        assertEquals(0, MySqlProcess.mysqldsOf(instance.sandbox()).size());
    }

    private static long awaitMysqld(MySqlProcess.Instance instance) throws InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            var pids = MySqlProcess.mysqldsOf(instance.sandbox());
            if (!pids.isEmpty()) {
                return pids.get(0);
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no mysqld started for " + instance);
    }
}

package io.mysos.executor.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskSandboxTest {
    private static final Path DIRECTORY = Path.of("/var/lib/mesos/slaves/s1/frameworks/f1/executors/e1/runs/r1");

    private static Protos.TaskInfo task(Protos.Resource... resources) {
        return AgentEvents.task("mysos-orders-1", new byte[0], List.of(resources));
    }

    private static Protos.Resource cpus() {
        return Protos.Resource.newBuilder().setName("cpus").setType(Protos.Value.Type.SCALAR)
                .setScalar(Protos.Value.Scalar.newBuilder().setValue(1)).build();
    }

    @Test
    void keepsTheDataOnThePersistentVolume() {
        var task = task(cpus(), TaskSandbox.volume("orders-1", "mysql-data", 10240));
        assertEquals(DIRECTORY.resolve("mysql-data"), TaskSandbox.of(DIRECTORY, task));
    }

    /** The agent's filesystem/posix isolator links the volume into the sandbox: the instance works in the volume's directory. */
    @Test
    void aVolumeLinkedIntoTheSandboxIsUsedThroughItsOwnDirectory(@TempDir Path agent) throws Exception {
        var sandbox = Files.createDirectories(agent.resolve("slaves/s1/frameworks/f1/executors/e1/runs/r1"));
        var volume = Files.createDirectories(agent.resolve("volumes/roles/mysos/mysos-orders-1"));
        Files.createSymbolicLink(sandbox.resolve("mysql-data"), volume);
        var task = task(cpus(), TaskSandbox.volume("mysos-orders-1", "mysql-data", 10240));
        assertEquals(volume.toRealPath(), TaskSandbox.of(sandbox, task));
    }

    @Test
    void aLinkToNoVolumeFailsTheTask(@TempDir Path agent) throws Exception {
        var sandbox = Files.createDirectories(agent.resolve("runs/r1"));
        Files.createSymbolicLink(sandbox.resolve("mysql-data"), agent.resolve("volumes/gone"));
        var task = task(cpus(), TaskSandbox.volume("mysos-orders-1", "mysql-data", 10240));
        assertTrue(assertThrows(InvalidInputException.class, () -> TaskSandbox.of(sandbox, task)).getMessage()
                .contains("links to nothing usable"));
    }

    @Test
    void withoutAVolumeUsesADirectoryOfTheSandbox() {
        assertEquals(DIRECTORY.resolve("mysql"), TaskSandbox.of(DIRECTORY, task(cpus())));
    }

    @Test
    void refusesAVolumeOutsideTheSandbox() {
        for (var path : new String[] {"/data", "../other", "a/../../b", ""}) {
            var message = assertThrows(InvalidInputException.class,
                    () -> TaskSandbox.of(DIRECTORY, task(TaskSandbox.volume("v", path, 10)))).getMessage();
            assertTrue(message.contains("must be a path inside the sandbox"), path + ": " + message);
        }
    }

    @Test
    void refusesTwoVolumes() {
        var task = task(TaskSandbox.volume("a", "one", 10), TaskSandbox.volume("b", "two", 10));
        assertTrue(assertThrows(InvalidInputException.class, () -> TaskSandbox.of(DIRECTORY, task)).getMessage()
                .contains("has 2 persistent volumes"));
    }
}

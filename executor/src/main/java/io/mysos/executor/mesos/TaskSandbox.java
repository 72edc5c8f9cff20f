package io.mysos.executor.mesos;

import io.mysos.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * Where a task's instance keeps its files: on the task's persistent volume when it has one (the
 * agent mounts it at its container path inside the executor's sandbox, and it outlives the task,
 * so a relaunch finds the data again), otherwise in a directory of the sandbox, gone with it.
 *
 * <p>Without a filesystem isolator that bind-mounts volumes (the agent's default {@code
 * filesystem/posix}), the agent puts a volume into the sandbox as a symbolic link to its directory
 * under the agent's work dir. The instance then works in that directory itself: the owner, group
 * and mode Mysos gives its instance directory (mysqld's group may pass, when Mysos runs as root)
 * must land on the volume, not on the link, which the kernel ignores.
 */
final class TaskSandbox {
    /** Inside the executor's sandbox, for a task without a persistent volume. */
    static final String EPHEMERAL_DIR = "mysql";

    private TaskSandbox() {}

    static Path of(Path executorDirectory, TaskInfo task) {
        var volumes = task.getResourcesList().stream()
                .filter(r -> r.hasDisk() && r.getDisk().hasPersistence() && r.getDisk().hasVolume())
                .map(r -> r.getDisk().getVolume().getContainerPath()).distinct().toList();
        if (volumes.isEmpty()) {
            return executorDirectory.resolve(EPHEMERAL_DIR);
        }
        if (volumes.size() > 1) {
            throw new InvalidInputException("task " + task.getTaskId().getValue() + " has " + volumes.size()
                    + " persistent volumes " + volumes + "; a Mysos instance keeps its data on one");
        }
        return linkedVolume(executorDirectory.resolve(relative(volumes.get(0), task)));
    }

    /** The volume's own directory when the agent linked it into the sandbox; the path as it is otherwise. */
    static Path linkedVolume(Path inSandbox) {
        if (!Files.isSymbolicLink(inSandbox)) {
            return inSandbox;
        }
        try {
            return inSandbox.toRealPath();
        } catch (IOException e) {
            throw new InvalidInputException("the persistent volume at " + inSandbox + " links to nothing usable: " + e.getMessage());
        }
    }

    private static Path relative(String containerPath, TaskInfo task) {
        var path = Path.of(containerPath).normalize();
        if (containerPath.isBlank() || path.isAbsolute() || path.startsWith("..") || path.toString().isEmpty()) {
            throw new InvalidInputException("task " + task.getTaskId().getValue() + " mounts its persistent volume at '"
                    + containerPath + "'; without a container image it must be a path inside the sandbox");
        }
        return path;
    }

    /** For tests: a disk resource carrying a persistent volume at {@code containerPath}. */
    static Resource volume(String persistenceId, String containerPath, double megabytes) {
        return Resource.newBuilder().setName("disk").setType(org.apache.mesos.v1.Protos.Value.Type.SCALAR)
                .setScalar(org.apache.mesos.v1.Protos.Value.Scalar.newBuilder().setValue(megabytes))
                .setDisk(Resource.DiskInfo.newBuilder()
                        .setPersistence(Resource.DiskInfo.Persistence.newBuilder().setId(persistenceId))
                        .setVolume(org.apache.mesos.v1.Protos.Volume.newBuilder().setContainerPath(containerPath)
                                .setMode(org.apache.mesos.v1.Protos.Volume.Mode.RW)))
                .build();
    }
}

package io.mysos.executor.mesos;

import io.mysos.core.InvalidInputException;
import java.nio.file.Path;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;

/**
 * Where a task's instance keeps its files: on the task's persistent volume when it has one (the
 * agent mounts it at its container path inside the executor's sandbox, and it outlives the task,
 * so a relaunch finds the data again), otherwise in a directory of the sandbox, gone with it.
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
        return executorDirectory.resolve(relative(volumes.get(0), task));
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

package io.mysos.actors.mesos;

import com.google.protobuf.ByteString;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.task.TaskId;
import io.mysos.actors.resource.ResourceSide;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.Offer.Operation;

/**
 * Mysos task data as a Mesos {@code TaskInfo}: one executor per MySQL instance ({@code mysos
 * executor}, fetched from the executor URIs), the task's resources cut from its offer, and the
 * task data (passwords sealed) as the task's {@code data}, which the executor reads.
 */
final class MesosTasks {
    private MesosTasks() {}

    /** How the agent starts an executor. */
    record ExecutorLaunch(String command, List<String> uris) {
        ExecutorLaunch {
            uris = List.copyOf(uris);
        }
    }

    static Protos.TaskID taskId(TaskId id) {
        return Protos.TaskID.newBuilder().setValue(id.value()).build();
    }

    /** Each instance has its own executor: its mysqld lives and dies with it. */
    static Protos.ExecutorID executorId(TaskId id) {
        return Protos.ExecutorID.newBuilder().setValue(id.value() + "-executor").build();
    }

    /**
     * The operations of one ACCEPT launching these tasks, each with its resources cut from the offer;
     * all or none. A task that creates its volume: RESERVE (its cpus, mem and disk, labelled) and
     * CREATE (the disk as its volume) first; a task reusing its volume: the volume's reserved
     * resources as the offer carries them. Then one LAUNCH of every task.
     */
    static List<Operation> launch(Protos.Offer offer, List<TaskData> tasks, List<ResourceSide.TaskVolume> volumes, String role,
                                  Optional<String> principal, Protos.FrameworkID framework, ExecutorLaunch launch) {
        var pool = new ResourcePool(MesosOffers.usableResources(offer, role), role);
        var operations = new ArrayList<Operation>();
        var infos = new ArrayList<Protos.TaskInfo>();
        for (var task : tasks) {
            var volume = volumes.stream().filter(v -> v.taskId().equals(task.taskId())).findFirst();
            List<Protos.Resource> resources;
            if (volume.isEmpty()) {
                resources = pool.take(task.resources(), task.port());
            } else if (volume.get().create()) {
                resources = reserveAndCreate(pool.take(task.resources(), task.port(), true), task, volume.get().volumeId(), role, principal,
                        framework, operations);
            } else {
                resources = new ArrayList<>(MesosVolumes.offered(offer, role).stream()
                        .filter(o -> o.volumeId().equals(volume.get().volumeId())).findFirst()
                        .orElseThrow(() -> new ResourcePool.NotEnoughResources("the offer lacks volume " + volume.get().volumeId()))
                        .resources());
                resources.add(pool.takePort(task.port()));
            }
            infos.add(taskInfo(task, offer.getAgentId(), resources, framework, launch));
        }
        operations.add(Operation.newBuilder().setType(Operation.Type.LAUNCH)
                .setLaunch(Operation.Launch.newBuilder().addAllTaskInfos(infos)).build());
        return operations;
    }

    /** RESERVE what was unreserved of the task's cpus, mem and disk, CREATE its volume; the task's resources. */
    private static List<Protos.Resource> reserveAndCreate(List<Protos.Resource> taken, TaskData task, String volumeId, String role,
                                                          Optional<String> principal, Protos.FrameworkID framework,
                                                          List<Operation> operations) {
        var labels = MesosVolumes.labels(framework, task.taskId(), volumeId);
        var toReserve = new ArrayList<Protos.Resource>();
        var resources = new ArrayList<Protos.Resource>();
        var disks = taken.stream().filter(r -> r.getName().equals("disk")).toList();
        if (disks.size() != 1) {
            throw new ResourcePool.NotEnoughResources("the disk of " + task.taskId() + " is not in one reservation: " + disks.size());
        }
        for (var r : taken) {
            if (r.getName().equals("ports")) {
                resources.add(r);
                continue;
            }
            var reserved = MesosVolumes.reserved(r, role, principal, labels);
            if (reserved != r) {
                toReserve.add(reserved);
            }
            resources.add(r.getName().equals("disk") ? MesosVolumes.volume(reserved, volumeId, principal) : reserved);
        }
        if (!toReserve.isEmpty()) {
            operations.add(MesosVolumes.reserve(toReserve));
        }
        operations.add(MesosVolumes.create(resources.stream().filter(r -> r.getName().equals("disk")).findFirst().orElseThrow()));
        return resources;
    }

    /** The task of one of Mysos's executors. */
    static Optional<TaskId> taskOf(Protos.ExecutorID executor) {
        var value = executor.getValue();
        return value.endsWith("-executor") ? MesosVolumes.taskId(value.substring(0, value.length() - "-executor".length()))
                : Optional.empty();
    }

    static Protos.TaskInfo taskInfo(TaskData task, Protos.AgentID agent, List<Protos.Resource> resources,
                                    Protos.FrameworkID framework, ExecutorLaunch launch) {
        return Protos.TaskInfo.newBuilder()
                .setName(task.taskId().value())
                .setTaskId(taskId(task.taskId()))
                .setAgentId(agent)
                .addAllResources(resources)
                .setExecutor(executorInfo(task.taskId(), framework, launch))
                .setData(ByteString.copyFrom(MesosJson.write(task)))
                .build();
    }

    static Protos.ExecutorInfo executorInfo(TaskId id, Protos.FrameworkID framework, ExecutorLaunch launch) {
        var command = Protos.CommandInfo.newBuilder().setShell(true).setValue(launch.command());
        launch.uris().forEach(uri -> command.addUris(Protos.CommandInfo.URI.newBuilder()
                .setValue(uri).setExtract(uri.endsWith(".tar.gz") || uri.endsWith(".tgz")).setCache(false)));
        return Protos.ExecutorInfo.newBuilder()
                .setExecutorId(executorId(id))
                .setFrameworkId(framework)
                .setName("mysos executor for " + id.value())
                .setCommand(command)
                .build();
    }
}

package io.mysos.actors.mesos;

import io.mysos.core.task.TaskId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.Offer.Operation;

/**
 * Reserved resources and persistent volumes as Mesos has them. Each instance's cpus, mem and disk
 * are dynamically reserved for the framework's role, labelled with the framework id, the cluster,
 * the task that made them and the volume id; the disk is a persistent volume (id = that task id)
 * mounted at {@value #CONTAINER_PATH} in the sandbox, where the executor keeps the data directory.
 */
final class MesosVolumes {
    static final String CONTAINER_PATH = "mysql-data";
    static final String LABEL_FRAMEWORK = "mysos.framework";
    static final String LABEL_CLUSTER = "mysos.cluster";
    static final String LABEL_TASK = "mysos.task";
    static final String LABEL_VOLUME = "mysos.volume";

    private MesosVolumes() {}

    /** The reserved resources of one Mysos volume in an offer: cpus and mem, and the volume's disk. */
    record Offered(String volumeId, String cluster, List<Protos.Resource> resources) {}

    /** The volume a resource belongs to: its reservation's label, or the persistence id of a volume Mysos named. */
    static Optional<String> volumeOf(Protos.Resource r) {
        if (r.hasReservation() && r.getReservation().hasLabels()) {
            for (var label : r.getReservation().getLabels().getLabelsList()) {
                if (label.getKey().equals(LABEL_VOLUME)) {
                    return Optional.of(label.getValue());
                }
            }
        }
        if (r.hasDisk() && r.getDisk().hasPersistence()) {
            var id = r.getDisk().getPersistence().getId();
            return taskId(id).isPresent() ? Optional.of(id) : Optional.empty();
        }
        return Optional.empty();
    }

    /** The Mysos volumes of an offer (reserved for our role), each with every reserved resource labelled for it. */
    static List<Offered> offered(Protos.Offer offer, String role) {
        var byVolume = new LinkedHashMap<String, List<Protos.Resource>>();
        for (var r : offer.getResourcesList()) {
            if (role.equals(r.getRole())) {
                volumeOf(r).ifPresent(id -> byVolume.computeIfAbsent(id, k -> new ArrayList<>()).add(r));
            }
        }
        var offered = new ArrayList<Offered>();
        for (Map.Entry<String, List<Protos.Resource>> e : byVolume.entrySet()) {
            taskId(e.getKey()).ifPresent(task -> offered.add(new Offered(e.getKey(), task.cluster(), e.getValue())));
        }
        return offered;
    }

    static Protos.Labels labels(Protos.FrameworkID framework, TaskId task, String volumeId) {
        return Protos.Labels.newBuilder()
                .addLabels(label(LABEL_FRAMEWORK, framework.getValue()))
                .addLabels(label(LABEL_CLUSTER, task.cluster()))
                .addLabels(label(LABEL_TASK, task.value()))
                .addLabels(label(LABEL_VOLUME, volumeId))
                .build();
    }

    /** Unreserved resources taken for a task, as reserved for {@code role} with these labels (already reserved ones stay as they are). */
    static Protos.Resource reserved(Protos.Resource r, String role, Optional<String> principal, Protos.Labels labels) {
        if (!MesosOffers.UNRESERVED.equals(r.hasRole() ? r.getRole() : MesosOffers.UNRESERVED)) {
            return r;
        }
        var reservation = Protos.Resource.ReservationInfo.newBuilder().setLabels(labels);
        principal.ifPresent(reservation::setPrincipal);
        return r.toBuilder().setRole(role).setReservation(reservation).build();
    }

    /** The reserved disk as a persistent volume named {@code volumeId}. */
    static Protos.Resource volume(Protos.Resource reservedDisk, String volumeId, Optional<String> principal) {
        var persistence = Protos.Resource.DiskInfo.Persistence.newBuilder().setId(volumeId);
        principal.ifPresent(persistence::setPrincipal);
        return reservedDisk.toBuilder().setDisk(Protos.Resource.DiskInfo.newBuilder().setPersistence(persistence)
                .setVolume(Protos.Volume.newBuilder().setContainerPath(CONTAINER_PATH).setMode(Protos.Volume.Mode.RW))).build();
    }

    static Operation reserve(List<Protos.Resource> resources) {
        return Operation.newBuilder().setType(Operation.Type.RESERVE)
                .setReserve(Operation.Reserve.newBuilder().addAllResources(resources)).build();
    }

    static Operation create(Protos.Resource volume) {
        return Operation.newBuilder().setType(Operation.Type.CREATE).setCreate(Operation.Create.newBuilder().addVolumes(volume)).build();
    }

    /** DESTROY the volume, then UNRESERVE everything reserved for it (the disk without its volume). */
    static List<Operation> destroyAndUnreserve(Offered volume) {
        var ops = new ArrayList<Operation>();
        var volumes = volume.resources().stream().filter(r -> r.hasDisk() && r.getDisk().hasPersistence()).toList();
        if (!volumes.isEmpty()) {
            ops.add(Operation.newBuilder().setType(Operation.Type.DESTROY)
                    .setDestroy(Operation.Destroy.newBuilder().addAllVolumes(volumes)).build());
        }
        var unreserve = volume.resources().stream().filter(Protos.Resource::hasReservation)
                .map(r -> r.toBuilder().clearDisk().build()).toList();
        if (!unreserve.isEmpty()) {
            ops.add(Operation.newBuilder().setType(Operation.Type.UNRESERVE)
                    .setUnreserve(Operation.Unreserve.newBuilder().addAllResources(unreserve)).build());
        }
        return ops;
    }

    static Optional<TaskId> taskId(String value) {
        try {
            return Optional.of(new TaskId(value));
        } catch (io.mysos.core.InvalidInputException e) {
            return Optional.empty();
        }
    }

    private static Protos.Label label(String key, String value) {
        return Protos.Label.newBuilder().setKey(key).setValue(value).build();
    }
}

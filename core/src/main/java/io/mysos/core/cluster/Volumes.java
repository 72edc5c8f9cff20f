package io.mysos.core.cluster;

import io.mysos.core.cluster.ClusterEvent.TaskStateChanged;
import io.mysos.core.cluster.ClusterEvent.VolumeCreated;
import io.mysos.core.cluster.ClusterEvent.VolumeReleased;
import io.mysos.core.cluster.ClusterEvent.VolumeReused;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The persistent volumes of one cluster (original Mysos issue #48: an instance restarted on its
 * agent keeps its data). How the volume events change them, and the decisions over them: which
 * free volumes an instance is relaunched on, which the cluster gives up (its agent stayed away
 * longer than {@code agentGoneAfter}, or the instance on it was let go by a resize).
 */
public final class Volumes {
    private Volumes() {}

    /** The event handler for the volume events. */
    static List<Volume> apply(List<Volume> volumes, ClusterEvent event) {
        var changed = new ArrayList<>(volumes);
        if (event instanceof VolumeCreated e) {
            changed.add(new Volume(e.volumeId(), e.agentId(), e.host(), e.taskId(), Optional.empty()));
        } else if (event instanceof VolumeReused e) {
            changed.replaceAll(v -> v.id().equals(e.volumeId())
                    ? new Volume(v.id(), v.agentId(), v.host(), e.taskId(), Optional.empty()) : v);
        } else if (event instanceof VolumeReleased e) {
            changed.removeIf(v -> v.id().equals(e.volumeId()));
        }
        return changed;
    }

    /** The task on a volume ended: the volume is free from then on. */
    static List<Volume> onTaskState(List<Volume> volumes, TaskStateChanged e) {
        if (!e.state().isTerminal()) {
            return volumes;
        }
        return volumes.stream().map(v -> v.task().equals(e.taskId()) && !v.free()
                ? new Volume(v.id(), v.agentId(), v.host(), v.task(), Optional.of(e.at())) : v).toList();
    }

    /** The volume ids the cluster holds: none of them may be destroyed. */
    public static List<String> held(ClusterLife life) {
        return life.volumes().stream().map(Volume::id).toList();
    }

    /** The free volumes an instance the cluster lacks is relaunched on, oldest first; not those of instances let go. */
    public static List<Volume> reusable(ClusterLife life) {
        return life.volumes().stream().filter(Volume::free).filter(v -> !letGo(life, v)).toList();
    }

    /**
     * The volumes to give up at {@code now}: free ones whose instance was let go by a resize, and
     * free ones not taken back for {@code agentGoneAfter} (their agent is gone: the instance is
     * replaced elsewhere, with a new volume).
     */
    public static List<VolumeReleased> toRelease(ClusterLife life, Instant now, Duration agentGoneAfter) {
        var released = new ArrayList<VolumeReleased>();
        for (var volume : life.volumes()) {
            if (!volume.free()) {
                continue;
            }
            if (letGo(life, volume)) {
                released.add(new VolumeReleased(volume.id(), "instance " + volume.task() + " was let go", now));
            } else if (!volume.freeSince().orElseThrow().plus(agentGoneAfter).isAfter(now)) {
                released.add(new VolumeReleased(volume.id(), "agent " + volume.agentId() + " (" + volume.host()
                        + ") did not offer it back within " + agentGoneAfter.toMinutes() + " min", now));
            }
        }
        return released;
    }

    /** Every volume, when the cluster's life ends. */
    public static List<VolumeReleased> releaseAll(ClusterLife life, String cause, Instant now) {
        return life.volumes().stream().map(v -> new VolumeReleased(v.id(), cause, now)).toList();
    }

    /** When the next free volume is given up if nothing takes it: the time to look again. */
    public static Optional<Instant> nextRelease(ClusterLife life, Duration agentGoneAfter) {
        return reusable(life).stream().map(v -> v.freeSince().orElseThrow().plus(agentGoneAfter)).min(Instant::compareTo);
    }

    private static boolean letGo(ClusterLife life, Volume volume) {
        return life.instance(volume.task()).map(Instance::removed).orElse(false);
    }
}

package io.mysos.actors.audit;

import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.actors.mesos.MesosFramework;
import io.mysos.core.cluster.ClusterEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The schema version of every event type the journal holds, written down in one place. Version 1
 * needs no manifest suffix; a later version is written as {@code <class>#<version>} by the
 * {@code JacksonMigration} registered for the class in reference.conf, which also upgrades older
 * versions as they are read. Raising a version here without its migration (or the other way round)
 * fails {@code EventGoldenFilesTest}, and so does a change of shape without a new golden file.
 */
public final class EventSchema {
    private EventSchema() {}

    public static final Map<Class<?>, Integer> VERSIONS = versions();

    private static Map<Class<?>, Integer> versions() {
        var versions = new LinkedHashMap<Class<?>, Integer>();
        versions.put(ClusterEvent.ClusterCreated.class, 3);
        versions.put(ClusterEvent.ReplicaAdded.class, 1);
        versions.put(ClusterEvent.TaskStateChanged.class, 1);
        versions.put(ClusterEvent.ReplicaLost.class, 1);
        versions.put(ClusterEvent.MasterLost.class, 1);
        versions.put(ClusterEvent.ElectionStarted.class, 1);
        versions.put(ClusterEvent.MasterElected.class, 2);
        versions.put(ClusterEvent.HistoriesDiverged.class, 1);
        versions.put(ClusterEvent.FailoverCompleted.class, 1);
        versions.put(ClusterEvent.ClusterResized.class, 1);
        versions.put(ClusterEvent.ClusterDeletionRequested.class, 1);
        versions.put(ClusterEvent.ClusterTerminated.class, 1);
        versions.put(ClusterEvent.VolumeCreated.class, 1);
        versions.put(ClusterEvent.VolumeReused.class, 1);
        versions.put(ClusterEvent.VolumeReleased.class, 1);
        versions.put(ClusterEvent.BackupRequested.class, 1);
        versions.put(ClusterEvent.BackupStarted.class, 1);
        versions.put(ClusterEvent.BackupCompleted.class, 1);
        versions.put(ClusterEvent.BackupFailed.class, 1);
        versions.put(ClusterEvent.BackupDeleted.class, 1);
        versions.put(ClusterEvent.BackupScheduleChanged.class, 1);
        versions.put(ClusterRegistry.ClusterRegistered.class, 3);
        versions.put(ClusterRegistry.ClusterRemoved.class, 1);
        versions.put(MesosFramework.FrameworkIdAssigned.class, 1);
        return Map.copyOf(versions);
    }

    /** The manifest an event of {@code type} is written with today. */
    public static String manifest(Class<?> type) {
        int version = VERSIONS.get(type);
        return version == 1 ? type.getName() : type.getName() + "#" + version;
    }
}

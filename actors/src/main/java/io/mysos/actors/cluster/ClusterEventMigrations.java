package io.mysos.actors.cluster;

import akka.serialization.jackson.JacksonMigration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mysos.core.cluster.ClusterEvent;

/**
 * Keeps old journals replaying (registered in reference.conf under
 * {@code akka.serialization.jackson.migrations}). Events are stored with their class name as
 * manifest; they were nested in {@code ClusterActor} until they moved to core's {@link ClusterEvent}.
 */
final class ClusterEventMigrations {
    private ClusterEventMigrations() {}

    private static final String FORMER_PREFIX = "io.mysos.actors.cluster.ClusterActor$";

    /** {@code io.mysos.actors.cluster.ClusterActor$X} is now {@code io.mysos.core.cluster.ClusterEvent$X}, same shape. */
    public static final class FormerName extends JacksonMigration {
        @Override
        public int currentVersion() {
            return 2;
        }

        @Override
        public String transformClassName(int fromVersion, String className) {
            return className.startsWith(FORMER_PREFIX)
                    ? ClusterEvent.class.getName() + "$" + className.substring(FORMER_PREFIX.length())
                    : className;
        }

        @Override
        public JsonNode transform(int fromVersion, JsonNode json) {
            return MasterElectedV2.withOverruled(json);
        }
    }

    /**
     * Version 2 of ClusterCreated and ClusterRegistered: the spec gained {@code backupPolicy} (the
     * backup schedule and retention). Version 1 had none, which means no schedule; the spec's
     * constructor reads a missing policy as {@code BackupPolicy.NONE}, so the JSON stays as it was.
     * Version 3: the spec gained {@code restoreTo} (point-in-time recovery); before, none was possible,
     * and the constructor reads a missing one as empty.
     */
    public static final class SpecWithBackupPolicy extends JacksonMigration {
        @Override
        public int currentVersion() {
            return 3;
        }

        @Override
        public JsonNode transform(int fromVersion, JsonNode json) {
            return json;
        }
    }

    /** Version 2 of MasterElected added {@code overruled} (what a forced promotion discarded); version 1 had none. */
    public static final class MasterElectedV2 extends JacksonMigration {
        @Override
        public int currentVersion() {
            return 2;
        }

        @Override
        public JsonNode transform(int fromVersion, JsonNode json) {
            return withOverruled(json);
        }

        static JsonNode withOverruled(JsonNode json) {
            if (json instanceof ObjectNode event && event.has("positions") && !event.has("overruled")) {
                event.putObject("overruled");
            }
            return json;
        }
    }
}

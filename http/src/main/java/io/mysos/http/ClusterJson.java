package io.mysos.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mysos.actors.cluster.ClusterView;
import io.mysos.core.cluster.Lag;
import io.mysos.core.resources.Resources;
import java.util.List;

/** The JSON shapes of the API (snake_case, as in the original Mysos user guide). */
final class ClusterJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ClusterJson() {}

    static ObjectNode cluster(ClusterView view) {
        var node = MAPPER.createObjectNode();
        node.put("name", view.name());
        node.put("state", view.status().name());
        node.put("num_nodes", view.numNodes());
        node.put("epoch", view.epoch());
        view.master().ifPresentOrElse(m -> node.set("master", instance(m)), () -> node.putNull("master"));
        var replicas = node.putArray("replicas");
        view.replicas().forEach(r -> replicas.add(instance(r)));
        var ended = node.putArray("ended");
        view.ended().forEach(e -> ended.add(ended(e)));
        node.set("size", size(view.size()));
        node.put("user", view.user());
        node.put("created_at", view.createdAt().toString());
        view.reason().ifPresent(reason -> node.put("reason", reason));
        view.backupId().ifPresent(id -> node.put("backup_id", id));
        view.restoreTo().ifPresent(point -> node.put("restore_to", point));
        node.put("semi_sync", view.semiSync());
        view.backups().ifPresent(b -> {
            // Flat, so that the dashboard shows each as it is.
            var backups = node.putObject("backups");
            backups.put("interval", new io.mysos.core.backup.BackupPolicy(java.time.Duration.ofSeconds(b.intervalSeconds()), b.keep())
                    .describeInterval());
            backups.put("keep", b.keep());
            putOrNull(backups, "last_completed", b.lastCompletedId());
            putOrNull(backups, "last_completed_at", b.lastCompletedAt().map(Object::toString));
            putOrNull(backups, "last_failed", b.lastFailedId());
            putOrNull(backups, "last_failed_at", b.lastFailedAt().map(Object::toString));
            putOrNull(backups, "last_failure", b.lastFailure());
            putOrNull(backups, "running", b.running());
            putOrNull(backups, "archive_failing", b.archiveFailing());
            putOrNull(backups, "archive_failing_since", b.archiveFailingSince().map(Object::toString));
        });
        view.lastFailover().ifPresent(f -> {
            var failover = node.putObject("last_failover");
            failover.put("epoch", f.epoch());
            f.from().ifPresentOrElse(from -> failover.put("from", from), () -> failover.putNull("from"));
            failover.put("to", f.to());
            failover.put("started_at", f.startedAt().toString());
            failover.put("millis", f.millis());
            failover.put("cause", f.cause());
        });
        return node;
    }

    private static void putOrNull(ObjectNode node, String field, java.util.Optional<String> value) {
        value.ifPresentOrElse(v -> node.put(field, v), () -> node.putNull(field));
    }

    static ObjectNode clusters(List<ClusterView> views) {
        var node = MAPPER.createObjectNode();
        var array = node.putArray("clusters");
        views.forEach(v -> array.add(cluster(v)));
        return node;
    }

    static ObjectNode size(Resources size) {
        var node = MAPPER.createObjectNode();
        node.put("cpus", size.cpus());
        node.put("mem", size.mem().toString());
        node.put("disk", size.disk().toString());
        return node;
    }

    static ObjectNode error(String message) {
        return MAPPER.createObjectNode().put("error", message);
    }

    private static ObjectNode instance(ClusterView.InstanceView instance) {
        var node = MAPPER.createObjectNode();
        node.put("task_id", instance.taskId());
        node.put("host", instance.host());
        node.put("port", instance.port());
        node.put("state", instance.state().name());
        node.put("role", instance.role());
        node.put("catching_up", instance.catchingUp());
        if (instance.role().equals("replica")) {
            // From the replica's last health check report; null before its first (not known yet).
            instance.lag().flatMap(Lag::seconds).ifPresentOrElse(s -> node.put("lag_seconds", s), () -> node.putNull("lag_seconds"));
            instance.lag().ifPresentOrElse(lag -> node.put("replicating", lag.replicating()), () -> node.putNull("replicating"));
        }
        instance.lag().filter(Lag::catchingUp).ifPresent(lag -> {
            var behind = node.putObject("behind");
            behind.put("transactions", lag.transactions());
            lag.seconds().ifPresentOrElse(s -> behind.put("seconds", s), () -> behind.putNull("seconds"));
        });
        return node;
    }

    private static ObjectNode ended(ClusterView.EndedView instance) {
        var node = MAPPER.createObjectNode();
        node.put("task_id", instance.taskId());
        node.put("host", instance.host());
        node.put("port", instance.port());
        node.put("state", instance.state().name());
        node.put("reason", instance.reason());
        instance.at().ifPresentOrElse(at -> node.put("at", at.toString()), () -> node.putNull("at"));
        return node;
    }
}

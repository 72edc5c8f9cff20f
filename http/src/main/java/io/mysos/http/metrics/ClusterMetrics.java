package io.mysos.http.metrics;

import io.mysos.actors.cluster.ClusterView;
import io.mysos.core.cluster.ClusterStatus;
import io.mysos.core.task.TaskState;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.EnumMap;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The gauges read at scrape time from the clusters' views (what {@code GET /clusters} shows), so
 * they are never out of step with the API: clusters by state, live instances by task state, and
 * each replica's replication lag and whether it replicates.
 */
final class ClusterMetrics {
    private ClusterMetrics() {}

    static List<MetricSnapshot> of(List<ClusterView> views) {
        return List.of(clusters(views), states(views), instances(views), epochs(views),
                replicaGauge(views, "mysos_replication_lag_seconds",
                        "Seconds the replica is behind its master (Seconds_Behind_Master at its last health check report); absent while unknown",
                        GaugeKind.SECONDS),
                replicaGauge(views, "mysos_replication_behind_transactions",
                        "Transactions the replica received from its master and has not applied yet, at its last report",
                        GaugeKind.TRANSACTIONS),
                replicaGauge(views, "mysos_replication_running",
                        "1 if both replication threads of the replica ran at its last report, 0 if not; absent before its first report",
                        GaugeKind.RUNNING),
                backupGauge(views, "mysos_backup_interval_seconds",
                        "The cluster's backup_interval in seconds, 0 when off; absent for a cluster that never had a backup or schedule",
                        b -> java.util.Optional.of((double) b.intervalSeconds())),
                backupGauge(views, "mysos_backup_last_success_timestamp_seconds",
                        "When the cluster's newest completed backup finished (Unix time); absent before its first",
                        b -> b.lastCompletedAt().map(ClusterMetrics::unixSeconds)),
                backupGauge(views, "mysos_backup_last_failure_timestamp_seconds",
                        "When the cluster's newest failed backup failed (Unix time); absent if none failed",
                        b -> b.lastFailedAt().map(ClusterMetrics::unixSeconds)),
                backupGauge(views, "mysos_backup_running",
                        "1 while a backup of the cluster runs, else 0", b -> java.util.Optional.of(b.running().isPresent() ? 1.0 : 0.0)),
                backupGauge(views, "mysos_binlog_archive_failing",
                        "1 while the master's binary log archive fails (point-in-time recovery falls behind), else 0",
                        b -> java.util.Optional.of(b.archiveFailing().isPresent() ? 1.0 : 0.0)));
    }

    private static GaugeSnapshot backupGauge(List<ClusterView> views, String name, String help,
                                             java.util.function.Function<ClusterView.BackupsView, java.util.Optional<Double>> value) {
        var gauge = GaugeSnapshot.builder().name(name).help(help);
        for (var view : views) {
            view.backups().flatMap(value).ifPresent(v -> gauge.dataPoint(point(Labels.of("cluster", view.name()), v)));
        }
        return gauge.build();
    }

    private static double unixSeconds(java.time.Instant at) {
        return at.toEpochMilli() / 1000.0;
    }

    private static GaugeSnapshot clusters(List<ClusterView> views) {
        var counts = new EnumMap<ClusterStatus, Integer>(ClusterStatus.class);
        for (var status : ClusterStatus.values()) {
            counts.put(status, 0);
        }
        views.forEach(v -> counts.merge(v.status(), 1, Integer::sum));
        var gauge = GaugeSnapshot.builder().name("mysos_clusters").help("Clusters by state (RUNNING, DEGRADED, PENDING, DELETING)");
        counts.forEach((status, n) -> gauge.dataPoint(point(Labels.of("state", status.name()), n)));
        return gauge.build();
    }

    /** One series per cluster and state, 1 for the state it is in: alerts name the cluster. */
    private static GaugeSnapshot states(List<ClusterView> views) {
        var gauge = GaugeSnapshot.builder().name("mysos_cluster_state")
                .help("1 for the state each cluster is in (RUNNING, DEGRADED, PENDING, DELETING), 0 for the others");
        for (var view : views) {
            for (var status : ClusterStatus.values()) {
                gauge.dataPoint(point(Labels.of("cluster", view.name(), "state", status.name()), view.status() == status ? 1 : 0));
            }
        }
        return gauge.build();
    }

    private static GaugeSnapshot instances(List<ClusterView> views) {
        var gauge = GaugeSnapshot.builder().name("mysos_instances")
                .help("Live MySQL instances (the master and its replicas) of each cluster by task state");
        for (var view : views) {
            var counts = new TreeMap<String, Integer>();
            for (var state : List.of(TaskState.STAGING, TaskState.STARTING, TaskState.RUNNING)) {
                counts.put(state.name(), 0);
            }
            live(view).forEach(i -> counts.merge(i.state().name(), 1, Integer::sum));
            counts.forEach((state, n) -> gauge.dataPoint(point(Labels.of("cluster", view.name(), "state", state), n)));
        }
        return gauge.build();
    }

    private static GaugeSnapshot epochs(List<ClusterView> views) {
        var gauge = GaugeSnapshot.builder().name("mysos_cluster_epoch")
                .help("The cluster's current epoch: it grows by one with every failover and switchover");
        views.forEach(v -> gauge.dataPoint(point(Labels.of("cluster", v.name()), v.epoch())));
        return gauge.build();
    }

    private enum GaugeKind { SECONDS, TRANSACTIONS, RUNNING }

    private static GaugeSnapshot replicaGauge(List<ClusterView> views, String name, String help, GaugeKind kind) {
        var gauge = GaugeSnapshot.builder().name(name).help(help);
        for (var view : views) {
            for (var replica : view.replicas()) {
                var labels = Labels.of("cluster", view.name(), "task", replica.taskId());
                switch (kind) {
                    case SECONDS -> replica.lag().flatMap(l -> l.seconds()).ifPresent(s -> gauge.dataPoint(point(labels, s)));
                    case TRANSACTIONS -> replica.lag().ifPresent(l -> gauge.dataPoint(point(labels, l.transactions())));
                    case RUNNING -> replica.lag().filter(l -> replica.state() == TaskState.RUNNING)
                            .ifPresent(l -> gauge.dataPoint(point(labels, l.replicating() ? 1 : 0)));
                }
            }
        }
        return gauge.build();
    }

    private static Stream<ClusterView.InstanceView> live(ClusterView view) {
        return Stream.concat(view.master().stream(), view.replicas().stream());
    }

    private static GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}

package io.mysos.http.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.actors.cluster.ClusterView;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterStatus;
import io.mysos.core.cluster.Lag;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a Prometheus scrape reads, from views and from what the actors counted; checked by promtool. */
class MysosMetricsTest {
    private static final Instant CREATED = Instant.parse("2026-11-25T12:00:00Z");

    private static ClusterView.InstanceView instance(String task, String role, TaskState state, Optional<Lag> lag) {
        return new ClusterView.InstanceView(task, "10.0.0.1", 31000, state, role, lag);
    }

    private static ClusterView cluster(String name, ClusterStatus status, long epoch, List<ClusterView.InstanceView> replicas) {
        return new ClusterView(name, status, 1 + replicas.size(), epoch,
                Optional.of(instance("mysos-" + name + "-1", "master", TaskState.RUNNING, Optional.empty())), replicas,
                Resources.DEFAULT_INSTANCE, "app", CREATED, Optional.empty(), Optional.empty(), false, Optional.empty(), List.of());
    }

    private static final List<ClusterView> VIEWS = List.of(
            cluster("orders", ClusterStatus.RUNNING, 0, List.of(
                    instance("mysos-orders-2", "replica", TaskState.RUNNING, Optional.of(Lag.inSync())),
                    instance("mysos-orders-3", "replica", TaskState.RUNNING, Optional.of(new Lag(3912, Optional.of(42L), true))))),
            cluster("ledger", ClusterStatus.DEGRADED, 2, List.of(
                    instance("mysos-ledger-4", "replica", TaskState.RUNNING, Optional.of(new Lag(0, Optional.empty(), false, false))),
                    instance("mysos-ledger-5", "replica", TaskState.STAGING, Optional.empty()))));

    private static String scrape(MysosMetrics metrics) {
        return new String(metrics.scrape(VIEWS), StandardCharsets.UTF_8);
    }

    @Test
    void clustersInstancesAndReplicationComeFromTheViews() throws Exception {
        var text = scrape(MysosMetrics.standalone());
        assertTrue(text.contains("mysos_clusters{state=\"RUNNING\"} 1"), text);
        assertTrue(text.contains("mysos_clusters{state=\"DEGRADED\"} 1"), text);
        assertTrue(text.contains("mysos_clusters{state=\"PENDING\"} 0"), text);
        assertTrue(text.contains("mysos_instances{cluster=\"orders\",state=\"RUNNING\"} 3"), text);
        assertTrue(text.contains("mysos_cluster_state{cluster=\"ledger\",state=\"DEGRADED\"} 1"), text);
        assertTrue(text.contains("mysos_cluster_state{cluster=\"ledger\",state=\"RUNNING\"} 0"), text);
        assertTrue(text.contains("mysos_instances{cluster=\"ledger\",state=\"STAGING\"} 1"), text);
        assertTrue(text.contains("mysos_cluster_epoch{cluster=\"ledger\"} 2"), text);
        assertTrue(text.contains("mysos_replication_lag_seconds{cluster=\"orders\",task=\"mysos-orders-3\"} 42"), text);
        assertTrue(text.contains("mysos_replication_behind_transactions{cluster=\"orders\",task=\"mysos-orders-3\"} 3912"), text);
        assertTrue(text.contains("mysos_replication_running{cluster=\"orders\",task=\"mysos-orders-2\"} 1"), text);
        assertTrue(text.contains("mysos_replication_running{cluster=\"ledger\",task=\"mysos-ledger-4\"} 0"), text);
        assertFalse(text.contains("task=\"mysos-ledger-5\""), "a staging replica has no lag and does not replicate yet:\n" + text);
        assertFalse(text.contains("mysos_replication_lag_seconds{cluster=\"ledger\",task=\"mysos-ledger-4\"}"),
                "an unknown lag is absent, not 0");
        assertTrue(text.contains("jvm_memory_used_bytes"), "JVM metrics are there");
        Promtool.checkMetrics(text);
    }

    @Test
    void backupGaugesShowTheScheduleTheNewestSuccessAndFailureAndWhatRunsForClustersThatHaveBackups() throws Exception {
        var base = cluster("orders", ClusterStatus.RUNNING, 0, List.of());
        var backups = new ClusterView.BackupsView(21600, 7, Optional.of("20261125-060000-1"), Optional.of(Instant.parse("2026-11-25T06:00:30Z")),
                Optional.of("20261125-120000-2"), Optional.of(Instant.parse("2026-11-25T12:00:05.500Z")), Optional.of("No space left on device"),
                Optional.of("20261125-180000-3"), Optional.of("No space left on device"), Optional.of(Instant.parse("2026-11-25T18:01:00Z")));
        var withBackups = new ClusterView(base.name(), base.status(), base.numNodes(), base.epoch(), base.master(), base.replicas(),
                base.size(), base.user(), base.createdAt(), base.reason(), base.backupId(), base.semiSync(), base.lastFailover(), base.ended(),
                base.routing(), base.restoreTo(), Optional.of(backups));
        var text = new String(MysosMetrics.standalone().scrape(List.of(withBackups, cluster("ledger", ClusterStatus.RUNNING, 0, List.of()))),
                StandardCharsets.UTF_8);
        assertTrue(text.contains("mysos_backup_interval_seconds{cluster=\"orders\"} 21600.0"), text);
        assertTrue(text.contains("mysos_backup_last_success_timestamp_seconds{cluster=\"orders\"} 1.79558643E9"), text);
        assertTrue(text.contains("mysos_backup_last_failure_timestamp_seconds{cluster=\"orders\"} 1.7956080055E9"), text);
        assertTrue(text.contains("mysos_backup_running{cluster=\"orders\"} 1.0"), text);
        assertTrue(text.contains("mysos_binlog_archive_failing{cluster=\"orders\"} 1.0"), text);
        assertFalse(text.contains("mysos_backup_interval_seconds{cluster=\"ledger\"}"), "no backups, no schedule: no series\n" + text);
        Promtool.checkMetrics(text);
    }

    @Test
    void failoversSwitchoversElectionsWithoutWinnerOffersAndJournalWritesAreCountedAsTheyHappen() throws Exception {
        var metrics = MysosMetrics.standalone();
        var t1 = TaskId.of("orders", 1);
        var t2 = TaskId.of("orders", 2);
        metrics.eventsRecorded("orders", List.of(new ClusterEvent.FailoverCompleted(1, Optional.of(t1), t2, 2500,
                "FAILED: mysqld exited with signal 9")), Duration.ofMillis(3));
        metrics.eventsRecorded("orders", List.of(new ClusterEvent.FailoverCompleted(2, Optional.of(t2), t1, 800,
                ClusterEvent.PLANNED)), Duration.ofMillis(4));
        metrics.eventsRecorded("orders", List.of(new ClusterEvent.HistoriesDiverged(3, Map.of(), t1, Map.of(), CREATED)),
                Duration.ofMillis(5));
        metrics.offersReceived(3);
        metrics.offersDeclined(2);
        metrics.offersUsed(1);
        metrics.requestAnswered("/clusters/{name}", "GET", 404, Duration.ofMillis(7));

        var text = scrape(metrics);
        assertTrue(text.contains("mysos_failovers_total{cause=\"failed\",cluster=\"orders\"} 1"), text);
        assertTrue(text.contains("mysos_switchovers_total{cluster=\"orders\"} 1"), text);
        assertTrue(text.contains("mysos_failover_duration_seconds_bucket{kind=\"failover\",le=\"5.0\"} 1"), text);
        assertTrue(text.contains("mysos_failover_duration_seconds_bucket{kind=\"failover\",le=\"2.0\"} 0"), text);
        assertTrue(text.contains("mysos_failover_duration_seconds_sum{kind=\"switchover\"} 0.8"), text);
        assertTrue(text.contains("mysos_elections_without_winner_total{cluster=\"orders\"} 1"), text);
        assertTrue(text.contains("mysos_offers_received_total 3"), text);
        assertTrue(text.contains("mysos_offers_declined_total 2"), text);
        assertTrue(text.contains("mysos_offers_used_total 1"), text);
        assertTrue(text.contains("mysos_journal_write_duration_seconds_count 3"), text);
        assertTrue(text.contains("mysos_http_request_duration_seconds_count{method=\"GET\",route=\"/clusters/{name}\",status=\"404\"} 1"),
                text);
        Promtool.checkMetrics(text);
    }

    @Test
    void routesAreLabelledByTheirTemplateNotTheirPath() {
        org.junit.jupiter.api.Assertions.assertEquals("/clusters/{name}", RouteLabel.of("/clusters/orders"));
        org.junit.jupiter.api.Assertions.assertEquals("/clusters/{name}/failover", RouteLabel.of("/clusters/orders/failover"));
        org.junit.jupiter.api.Assertions.assertEquals("/clusters/{name}/events", RouteLabel.of("/clusters/orders/events"));
        org.junit.jupiter.api.Assertions.assertEquals("/clusters", RouteLabel.of("/clusters/"));
        org.junit.jupiter.api.Assertions.assertEquals("/", RouteLabel.of("/"));
        org.junit.jupiter.api.Assertions.assertEquals("/dashboard", RouteLabel.of("/dashboard/app.js"));
        org.junit.jupiter.api.Assertions.assertEquals("/metrics", RouteLabel.of("/metrics"));
        org.junit.jupiter.api.Assertions.assertEquals("other", RouteLabel.of("/clusters/orders/whatever-a-client-invents"));
        org.junit.jupiter.api.Assertions.assertEquals("other", RouteLabel.of("/wp-admin/login.php"));
    }
}

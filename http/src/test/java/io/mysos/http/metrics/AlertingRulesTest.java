package io.mysos.http.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example alerting rules of docs/operations.md ({@code docs/mysos-alerts.yml}) are valid, fire
 * when they should and not before (promtool's own rule tests), and the page shows the same file.
 */
class AlertingRulesTest {
    private static final Path RULES = Path.of("..", "docs", "mysos-alerts.yml").toAbsolutePath().normalize();

    @Test
    void theRulesPassPromtool() throws Exception {
        Promtool.checkRules(RULES);
    }

    @Test
    void aDegradedClusterPagesAfterFiveMinutesALaggingReplicaAfterOneAndAnElectionWithoutWinnerAtOnce(@TempDir Path dir)
            throws Exception {
        promtoolTest(dir, """
                      - series: 'mysos_cluster_state{cluster="orders",state="DEGRADED"}'
                        values: '0 1 1 1 1 1 1 1 1'
                      - series: 'mysos_replication_lag_seconds{cluster="orders",task="mysos-orders-3"}'
                        values: '0 45 50 55 60'
                      - series: 'mysos_elections_without_winner_total{cluster="ledger"}'
                        values: '0 0 1 1'
                    alert_rule_test:
                      - eval_time: 5m
                        alertname: MysosClusterDegraded
                        exp_alerts: []
                      - eval_time: 6m
                        alertname: MysosClusterDegraded
                        exp_alerts:
                          - exp_labels: {severity: page, cluster: orders, state: DEGRADED}
                            exp_annotations:
                              summary: "MySQL cluster orders has been DEGRADED for 5 minutes"
                              description: "GET /clusters/orders says why (reason)."
                      - eval_time: 1m
                        alertname: MysosReplicationLagHigh
                        exp_alerts: []
                      - eval_time: 3m
                        alertname: MysosReplicationLagHigh
                        exp_alerts:
                          - exp_labels: {severity: warn, cluster: orders, task: mysos-orders-3}
                            exp_annotations:
                              summary: "Replica mysos-orders-3 of orders is 55 s behind its master"
                      - eval_time: 3m
                        alertname: MysosElectionWithoutWinner
                        exp_alerts:
                          - exp_labels: {severity: page, cluster: ledger}
                            exp_annotations:
                              summary: "Cluster ledger could not elect a master: the replicas' histories diverged"
                              description: "Nothing was promoted. Compare the instances, then POST /clusters/ledger/failover target=<task> force=true."
                """);
    }

    @Test
    void aFailedNewestBackupWarnsAFailingArchivePagesAfterTwoMinutesAndNoCompleteBackupForTwoIntervalsPages(@TempDir Path dir) throws Exception {
        promtoolTest(dir, """
                      - series: 'mysos_backup_last_success_timestamp_seconds{cluster="orders"}'
                        values: '0 0 0 180 180 180 180 180 180 180 180 180 180 180 180'
                      - series: 'mysos_backup_last_failure_timestamp_seconds{cluster="orders"}'
                        values: '_ _ 120 120 120 120 120 120 120 120 120 120 120 120 120'
                      - series: 'mysos_backup_interval_seconds{cluster="orders"}'
                        values: '300x14'
                      - series: 'mysos_backup_last_failure_timestamp_seconds{cluster="ledger"}'
                        values: '60x14'
                      - series: 'mysos_backup_interval_seconds{cluster="ledger"}'
                        values: '0x14'
                      - series: 'mysos_binlog_archive_failing{cluster="ledger"}'
                        values: '0 1 1 1 1 0 0'
                    alert_rule_test:
                      - eval_time: 2m
                        alertname: MysosBinlogArchiveFailing
                        exp_alerts: []
                      - eval_time: 3m
                        alertname: MysosBinlogArchiveFailing
                        exp_alerts:
                          - exp_labels: {severity: page, cluster: ledger}
                            exp_annotations:
                              summary: "The binary log archive of ledger has failed for 2 minutes: point-in-time recovery falls behind"
                              description: "GET /clusters/ledger says why (backups.archive_failing); the archive catches up once the store is back."
                      - eval_time: 6m
                        alertname: MysosBinlogArchiveFailing
                        exp_alerts: []
                      - eval_time: 1m
                        alertname: MysosBackupFailing
                        exp_alerts:
                          - exp_labels: {severity: warn, cluster: ledger}
                            exp_annotations:
                              summary: "The newest backup of ledger failed"
                              description: "GET /clusters/ledger/backups says why (reason); the next one is taken at its schedule or on POST .../backups."
                      - eval_time: 2m
                        alertname: MysosBackupFailing
                        exp_alerts:
                          - exp_labels: {severity: warn, cluster: ledger}
                            exp_annotations:
                              summary: "The newest backup of ledger failed"
                              description: "GET /clusters/ledger/backups says why (reason); the next one is taken at its schedule or on POST .../backups."
                          - exp_labels: {severity: warn, cluster: orders}
                            exp_annotations:
                              summary: "The newest backup of orders failed"
                              description: "GET /clusters/orders/backups says why (reason); the next one is taken at its schedule or on POST .../backups."
                      - eval_time: 13m
                        alertname: MysosBackupOverdue
                        exp_alerts: []
                      - eval_time: 14m
                        alertname: MysosBackupOverdue
                        exp_alerts:
                          - exp_labels: {severity: page, cluster: orders}
                            exp_annotations:
                              summary: "Cluster orders has had no complete backup for two of its backup intervals"
                """);
    }

    /** Runs promtool's rule tests over the rules file, one minute apart, with {@code seriesAndTests} (the input series on). */
    private static void promtoolTest(Path dir, String seriesAndTests) throws Exception {
        var tests = Files.createTempFile(dir, "alerts-test-", ".yml");
        Files.writeString(tests, """
                rule_files:
                  - %s
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                """.formatted(RULES) + seriesAndTests);
        Promtool.testRules(tests);
    }

    @Test
    void operationsMdShowsTheseRules() throws Exception {
        var page = Files.readString(RULES.getParent().resolve("operations.md"));
        var rules = Files.readString(RULES);
        var body = rules.substring(rules.indexOf("groups:"));
        assertTrue(page.contains(body), "docs/operations.md quotes docs/mysos-alerts.yml from 'groups:' on");
    }
}

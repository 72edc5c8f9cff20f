package io.mysos.core.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.core.cluster.CreateRequest;
import io.mysos.core.failover.Action;
import io.mysos.core.failover.Observed;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.password.PasswordHash;
import io.mysos.core.password.SealedSecret;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupsTest {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final TaskId T1 = TaskId.of("orders", 1);
    static final TaskId T2 = TaskId.of("orders", 2);
    static final TaskId T3 = TaskId.of("orders", 3);

    /** {@code nodes} running, T1 master of epoch 0. */
    static ClusterLife running(int nodes) {
        var spec = new ClusterSpec("orders", "app", nodes, Resources.DEFAULT_INSTANCE, Optional.empty(), false);
        var secrets = new ClusterSecrets(new PasswordHash("pbkdf2", 1, "salt", "hash"), new SealedSecret("a", "b"), new SealedSecret("c", "d"));
        var life = ClusterLife.created(new ClusterEvent.ClusterCreated(spec, secrets, NOW));
        for (int i = 1; i <= nodes; i++) {
            var id = TaskId.of("orders", i);
            life = life.apply(new ClusterEvent.ReplicaAdded(id, "agent-1", "10.0.0." + i, 31000 + i, Resources.DEFAULT_INSTANCE))
                    .apply(new ClusterEvent.TaskStateChanged(id, TaskState.RUNNING, ""));
        }
        return life.apply(new ClusterEvent.MasterElected(0, T1, Map.of()));
    }

    static Observed confirmed(TaskId... tasks) {
        var observed = Observed.initial();
        for (var t : tasks) {
            observed = observed.confirm(t);
        }
        return observed;
    }

    static BackupLog apply(BackupLog log, List<ClusterEvent> events) {
        for (var e : events) {
            log = log.apply((ClusterEvent.BackupEvent) e);
        }
        return log;
    }

    @Test
    void aConfirmedReplicaTakesTheBackupNeverTheMaster() {
        var request = Backups.request(running(3), BackupLog.empty(), confirmed(T1, T3), Backups.API, NOW);
        var started = assertInstanceOf(Backups.Started.class, request);
        assertEquals("20261125-120000-1", started.id());
        assertEquals(List.of(new ClusterEvent.BackupRequested(started.id(), "api", NOW),
                new ClusterEvent.BackupStarted(started.id(), T3, NOW)), started.decision().events());
        assertEquals(List.of(new Action.Send(T3, new ExecutorCommand.TakeBackup(0, started.id()))), started.decision().actions());
    }

    @Test
    void theMasterIsNotUsedWhileAReplicaRunsEvenUnconfirmed() {
        var request = Backups.request(running(2), BackupLog.empty(), confirmed(T1), Backups.API, NOW);
        assertInstanceOf(Backups.Refused.class, request);
    }

    @Test
    void aClusterOfOneBacksUpItsMaster() {
        var started = assertInstanceOf(Backups.Started.class, Backups.request(running(1), BackupLog.empty(), confirmed(T1), Backups.API, NOW));
        assertEquals(new ClusterEvent.BackupStarted(started.id(), T1, NOW), started.decision().events().get(1));
    }

    @Test
    void theLeastBehindReplicaIsChosen() {
        var observed = confirmed(T1, T2, T3).withLag(T2, new io.mysos.core.cluster.Lag(500, Optional.of(3L), true))
                .withLag(T3, new io.mysos.core.cluster.Lag(0, Optional.of(0L), false));
        assertEquals(Optional.of(T3), Backups.source(running(3), observed));
    }

    @Test
    void oneBackupAtATime() {
        var life = running(2);
        var first = (Backups.Started) Backups.request(life, BackupLog.empty(), confirmed(T1, T2), Backups.API, NOW);
        var log = apply(BackupLog.empty(), first.decision().events());
        var second = Backups.request(life, log, confirmed(T1, T2), Backups.API, NOW.plusSeconds(1));
        assertTrue(((Backups.Refused) second).reason().contains("still running"), second.toString());
    }

    @Test
    void aTakenBackupCompletesAndRetentionDeletesTheOldestBeyondKeep() {
        var life = running(2);
        var observed = confirmed(T1, T2);
        var log = BackupLog.empty().apply(new ClusterEvent.BackupScheduleChanged(0, 2));
        for (int i = 0; i < 3; i++) {
            var now = NOW.plusSeconds(60L * i);
            var started = (Backups.Started) Backups.request(life, log, observed, Backups.API, now);
            log = apply(log, started.decision().events());
            var decision = Backups.onReport(life, log, observed, new ExecutorReport.BackupTaken(T2, 0, started.id(), "file:/b/" + started.id(),
                    100, "0-1-" + i, 5), now);
            log = apply(log, decision.events());
            if (i < 2) {
                assertEquals(1, decision.events().size(), "nothing expires while within keep");
            } else {
                assertEquals(new ClusterEvent.BackupDeleted("20261125-120000-1", now), decision.events().get(1));
                assertEquals(List.of(new Action.Send(T2, new ExecutorCommand.DeleteBackup(0, "20261125-120000-1"))), decision.actions());
            }
        }
        assertEquals(List.of("20261125-120100-2", "20261125-120200-3"), log.completed().stream().map(BackupLog.Entry::id).toList());
        assertEquals("0-1-2", log.latestCompleted().orElseThrow().position());
    }

    @Test
    void aFailedBackupIsRecordedAndItsLeftoversDeleted() {
        var life = running(2);
        var started = (Backups.Started) Backups.request(life, BackupLog.empty(), confirmed(T1, T2), Backups.API, NOW);
        var log = apply(BackupLog.empty(), started.decision().events());
        var decision = Backups.onReport(life, log, Observed.initial(), new ExecutorReport.BackupFailed(T2, 0, started.id(), "store down"), NOW);
        assertEquals(List.of(new ClusterEvent.BackupFailed(started.id(), "store down", NOW)), decision.events());
        assertEquals(List.of(new Action.Send(T2, new ExecutorCommand.DeleteBackup(0, started.id()))), decision.actions());
        log = apply(log, decision.events());
        assertTrue(log.inFlight().isEmpty());
        assertInstanceOf(Backups.Started.class, Backups.request(life, log, confirmed(T1, T2), Backups.API, NOW), "the next backup may start");
    }

    @Test
    void theSourceEndingFailsItsBackup() {
        var started = (Backups.Started) Backups.request(running(2), BackupLog.empty(), confirmed(T1, T2), Backups.API, NOW);
        var log = apply(BackupLog.empty(), started.decision().events());
        assertEquals(List.of(), Backups.onStatus(log, Observed.initial(), new TaskStatus(T1, TaskState.FAILED, "x"), NOW).events());
        var decision = Backups.onStatus(log, Observed.initial(), new TaskStatus(T2, TaskState.FAILED, "mysqld exited"), NOW);
        var failed = (ClusterEvent.BackupFailed) decision.events().get(0);
        assertTrue(failed.reason().contains("mysos-orders-2 ended (FAILED: mysqld exited)"), failed.reason());
    }

    @Test
    void aBackupRunningFromBeforeARestartOfTheSchedulerIsFailedSoTheNextCanStart() {
        var life = running(2);
        var started = (Backups.Started) Backups.request(life, BackupLog.empty(), confirmed(T1, T2), Backups.API, NOW);
        var log = apply(BackupLog.empty(), started.decision().events());
        assertEquals(List.of(), Backups.abandoned(life, log, Observed.initial(), NOW, NOW.plusSeconds(5)).events(),
                "asked for by this incarnation: its report may still come");
        var decision = Backups.abandoned(life, log, Observed.initial(), NOW.plusSeconds(1), NOW.plusSeconds(5));
        assertEquals(List.of(new ClusterEvent.BackupFailed(started.id(), "the scheduler restarted while it ran; its outcome is unknown",
                NOW.plusSeconds(5))), decision.events());
        assertEquals(List.of(new Action.Send(T2, new ExecutorCommand.DeleteBackup(0, started.id()))), decision.actions());
    }

    @Test
    void aBackupRunningPastItsLimitIsFailedAndItsSourceToldToStopItAndDeleteItsLeftovers() {
        var life = running(2);
        var started = (Backups.Started) Backups.request(life, BackupLog.empty(), confirmed(T1, T2), Backups.API, NOW);
        var log = apply(BackupLog.empty(), started.decision().events());
        var limit = Duration.ofHours(6);
        assertEquals(List.of(), Backups.overdue(life, log, Observed.initial(), limit, NOW.plus(limit).minusSeconds(1)).events());
        var late = NOW.plus(limit);
        var decision = Backups.overdue(life, log, Observed.initial(), limit, late);
        assertEquals(List.of(new ClusterEvent.BackupFailed(started.id(), "it did not finish within 6h (mysos.backup.timeout); "
                + T2 + " was told to stop it", late)), decision.events());
        assertEquals(List.of(new Action.Send(T2, new ExecutorCommand.CancelBackup(0, started.id())),
                new Action.Send(T2, new ExecutorCommand.DeleteBackup(0, started.id()))), decision.actions());

        // Recorded failed, it is no longer in flight: the next one may start, and nothing is decided twice.
        var after = apply(log, decision.events());
        assertEquals(List.of(), Backups.overdue(life, after, Observed.initial(), limit, late.plusSeconds(60)).events());
        assertInstanceOf(Backups.Started.class, Backups.request(life, after, confirmed(T1, T2), Backups.API, late));
        assertTrue(((ClusterEvent.BackupFailed) Backups.overdue(life, log, Observed.initial(), Duration.ofMinutes(90), late).events().get(0))
                .reason().contains("within 90m"));
    }

    @Test
    void theMastersArchiveFailingIsKeptWithItsFirstTimeUntilItWorksAgainAndOnlyTheCurrentMasterCounts() {
        var life = running(2);
        var log = BackupLog.empty();
        var full = new ExecutorReport.ArchiveHealth(T1, 0, Optional.of("cannot write file:/b/orders/binlogs/...: No space left on device"));
        var failing = Backups.onReport(life, log, Observed.initial(), full, NOW).observed();
        assertEquals(Optional.of(new Observed.ArchiveFailing(T1, full.failing().get(), NOW)), failing.archiveFailing());
        var still = Backups.onReport(life, log, failing, new ExecutorReport.ArchiveHealth(T1, 0, Optional.of("again")), NOW.plusSeconds(30))
                .observed();
        assertEquals(NOW, still.archiveFailing().orElseThrow().since(), "failing since the first report");
        assertEquals("again", still.archiveFailing().orElseThrow().reason());
        assertEquals(Optional.empty(), Backups.onReport(life, log, still, new ExecutorReport.ArchiveHealth(T1, 0, Optional.empty()),
                NOW.plusSeconds(60)).observed().archiveFailing(), "works again");

        assertEquals(Optional.empty(), Backups.onReport(life, log, Observed.initial(), new ExecutorReport.ArchiveHealth(T2, 0,
                Optional.of("x")), NOW).observed().archiveFailing(), "a replica archives nothing");
        assertEquals(Optional.empty(), Backups.onReport(life, log, Observed.initial(), new ExecutorReport.ArchiveHealth(T1, 7,
                Optional.of("x")), NOW).observed().archiveFailing(), "another epoch's word");
        assertEquals(Optional.empty(), failing.newRound().archiveFailing(), "a new epoch's master reports for itself");
    }

    @Test
    void theScheduleIsDueAnIntervalAfterTheLastBackupOrTheCreation() {
        var life = running(2);
        var log = BackupLog.empty();
        assertFalse(Backups.due(life, log, NOW.plus(Duration.ofDays(30))), "off by default");
        log = log.apply(new ClusterEvent.BackupScheduleChanged(Duration.ofHours(6).toSeconds(), 0));
        assertFalse(Backups.due(life, log, NOW.plus(Duration.ofHours(6)).minusSeconds(1)));
        assertTrue(Backups.due(life, log, NOW.plus(Duration.ofHours(6))));
        log = log.apply(new ClusterEvent.BackupRequested("x", "schedule", NOW.plus(Duration.ofHours(6))));
        assertFalse(Backups.due(life, log, NOW.plus(Duration.ofHours(13))), "not while one runs");
        log = log.apply(new ClusterEvent.BackupFailed("x", "down", NOW.plus(Duration.ofHours(6))));
        assertFalse(Backups.due(life, log, NOW.plus(Duration.ofHours(12)).minusSeconds(1)));
        assertTrue(Backups.due(life, log, NOW.plus(Duration.ofHours(12))));
    }

    @Test
    void policiesParseFromTheRequestFields() {
        assertEquals(new BackupPolicy(Duration.ofHours(6), 7), BackupPolicy.NONE.with(Map.of("backup_interval", "6h", "backup_keep", "7")));
        assertEquals(BackupPolicy.NONE, BackupPolicy.NONE.with(Map.of()));
        assertEquals("1d", BackupPolicy.NONE.with(Map.of("backup_interval", "1d")).describeInterval());
        assertEquals(Duration.ZERO, new BackupPolicy(Duration.ofHours(1), 3).with(Map.of("backup_interval", "off")).interval());
        assertThrows(InvalidInputException.class, () -> BackupPolicy.NONE.with(Map.of("backup_interval", "1m")));
        assertThrows(InvalidInputException.class, () -> BackupPolicy.NONE.with(Map.of("backup_interval", "six hours")));
        assertThrows(InvalidInputException.class, () -> BackupPolicy.NONE.with(Map.of("backup_keep", "-1")));
    }

    @Test
    void createTakesABackupIdOfTheFormClusterSlashId() {
        var request = CreateRequest.parse("restored", Map.of("cluster_user", "app", "backup_id", "orders/20261125-120000-1",
                "backup_interval", "6h"));
        assertEquals(Optional.of("orders/20261125-120000-1"), request.spec().backupId());
        assertEquals(Duration.ofHours(6), request.spec().backupPolicy().interval());
        for (var bad : List.of("orders", "orders/", "/x", "orders/../x", "a/b/c")) {
            assertThrows(InvalidInputException.class, () -> CreateRequest.parse("restored", Map.of("cluster_user", "app", "backup_id", bad)), bad);
        }
    }
}

package io.mysos.actors.cluster;

import static io.mysos.actors.cluster.ClusterSimulation.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.backup.BackupLog;
import io.mysos.core.backup.BackupPolicy;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.task.TaskState;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Backups as the cluster actor takes them: asked through the API or by the schedule, reported, failed, kept. On manual time. */
class BackupSimulationTest {
    private ClusterSimulation sim;

    @BeforeEach
    void setUp() {
        sim = new ClusterSimulation();
    }

    @AfterEach
    void tearDown() {
        sim.close();
    }

    @Test
    void aBackupAskedForIsTakenByAReplicaAndRecordedWhenReported() {
        var tasks = sim.runningCluster(3);
        var accepted = assertInstanceOf(ClusterActor.BackupAccepted.class, sim.guarded(r -> new ClusterActor.TakeBackup(PASSWORD, r)));
        var now = sim.clock.instant();
        sim.expectEvents(new ClusterEvent.BackupRequested(accepted.id(), "api", now),
                new ClusterEvent.BackupStarted(accepted.id(), tasks.get(1), now));
        sim.expectToResources(new ResourceSide.Send(tasks.get(1), new ExecutorCommand.TakeBackup(0, accepted.id())));

        var refused = sim.guarded(r -> new ClusterActor.TakeBackup(PASSWORD, r));
        assertTrue(((ClusterActor.Conflict) refused).reason().contains("still running"), refused.toString());

        sim.report(new ExecutorReport.BackupTaken(tasks.get(1), 0, accepted.id(), "file:/b/orders/" + accepted.id(), 1234, "0-1-9", 50));
        sim.expectEvents(new ClusterEvent.BackupCompleted(accepted.id(), "file:/b/orders/" + accepted.id(), 1234, "0-1-9", 50, now));
        var listing = (ClusterActor.BackupListing) sim.guarded(ClusterActor.ListBackups::new);
        assertEquals(BackupLog.State.COMPLETED, listing.backups().entry(accepted.id()).orElseThrow().state());
        var shown = sim.view().backups().orElseThrow();
        assertEquals(java.util.Optional.of(accepted.id()), shown.lastCompletedId());
        assertEquals(java.util.Optional.of(now), shown.lastCompletedAt());
        assertEquals(java.util.Optional.empty(), shown.lastFailedAt());
        assertEquals(java.util.Optional.empty(), shown.running());
    }

    @Test
    void aWrongPasswordTakesNoBackup() {
        sim.runningCluster(2);
        assertInstanceOf(ClusterActor.WrongPassword.class, sim.guarded(r -> new ClusterActor.TakeBackup("wrong", r)));
        sim.expectNoEvents();
    }

    @Test
    void theSourceDyingFailsTheBackupAndTheClusterServesOnAndTheNextBackupWorks() {
        var tasks = sim.runningCluster(3);
        var first = (ClusterActor.BackupAccepted) sim.guarded(r -> new ClusterActor.TakeBackup(PASSWORD, r));
        sim.journal.receivePersisted(sim.pid(), 2, ClusterEvent.class);
        sim.status(tasks.get(1), TaskState.FAILED, "mysqld exited");
        var events = sim.journal.receivePersisted(sim.pid(), 3, ClusterEvent.class);
        var failed = events.stream().filter(ClusterEvent.BackupFailed.class::isInstance).map(ClusterEvent.BackupFailed.class::cast)
                .findFirst().orElseThrow();
        assertEquals(first.id(), failed.id());
        assertTrue(failed.reason().contains(tasks.get(1) + " ended (FAILED: mysqld exited)"), failed.reason());

        var second = assertInstanceOf(ClusterActor.BackupAccepted.class, sim.guarded(r -> new ClusterActor.TakeBackup(PASSWORD, r)));
        var started = sim.journal.receivePersisted(sim.pid(), 2, ClusterEvent.class).get(1);
        assertEquals(new ClusterEvent.BackupStarted(second.id(), tasks.get(2), sim.clock.instant()), started);
    }

    @Test
    void aBackupRunningWhenTheSchedulerRestartedIsFailedAndTheNextOneStarts() {
        var tasks = sim.runningCluster(2);
        var first = (ClusterActor.BackupAccepted) sim.guarded(r -> new ClusterActor.TakeBackup(PASSWORD, r));
        sim.journal.receivePersisted(sim.pid(), 2, ClusterEvent.class);
        sim.passes(Duration.ofSeconds(1));
        sim.stopScheduler();
        sim.start();
        // Recovered (it answers a view only then) and its converge timer running, before the clock moves.
        sim.settle();
        sim.passes(Duration.ofSeconds(1));
        var failed = sim.journal.receivePersisted(sim.pid(), 1, ClusterEvent.class).get(0);
        assertEquals(new ClusterEvent.BackupFailed(first.id(), "the scheduler restarted while it ran; its outcome is unknown",
                sim.clock.instant()), failed);
        sim.reparented(tasks.get(1), 0, tasks.get(0));
        sim.promoted(tasks.get(0), 0);
        sim.settle();
        assertInstanceOf(ClusterActor.BackupAccepted.class, sim.guarded(r -> new ClusterActor.TakeBackup(PASSWORD, r)));
    }

    @Test
    void aBackupThatRunsPastItsTimeoutIsFailedItsSourceToldToStopItAndTheNextOneStarts() {
        sim.close();
        sim = new ClusterSimulation(com.typesafe.config.ConfigFactory.parseString("mysos.backup.timeout = 2m"));
        var tasks = sim.runningCluster(2);
        var hung = (ClusterActor.BackupAccepted) sim.guarded(r -> new ClusterActor.TakeBackup(PASSWORD, r));
        sim.journal.receivePersisted(sim.pid(), 2, ClusterEvent.class);
        sim.settle();
        sim.drain();

        sim.passes(Duration.ofMinutes(2).minusSeconds(1));
        sim.expectNoEvents();
        sim.passes(Duration.ofSeconds(1));
        sim.expectEvents(new ClusterEvent.BackupFailed(hung.id(), "it did not finish within 2m (mysos.backup.timeout); " + tasks.get(1)
                + " was told to stop it", sim.clock.instant()));
        sim.settle();
        assertEquals(java.util.List.of(new ResourceSide.Send(tasks.get(1), new ExecutorCommand.CancelBackup(0, hung.id())),
                new ResourceSide.Send(tasks.get(1), new ExecutorCommand.DeleteBackup(0, hung.id()))), ClusterSimulation.takeQueued(sim.resources));

        // Its late report changes nothing; the next backup may start.
        sim.report(new ExecutorReport.BackupFailed(tasks.get(1), 0, hung.id(), "mariadb-backup stopped: it ran past its time limit"));
        sim.expectNoEvents();
        assertInstanceOf(ClusterActor.BackupAccepted.class, sim.guarded(r -> new ClusterActor.TakeBackup(PASSWORD, r)));
    }

    @Test
    void theMastersArchiveFailingShowsInTheViewWithItsReasonAndSinceWhenUntilItWorksAgain() {
        var tasks = sim.runningCluster(2);
        assertEquals(java.util.Optional.empty(), sim.view().backups(), "no backups, no schedule, an archive that works: nothing to show");
        var since = sim.clock.instant();
        sim.report(new ExecutorReport.ArchiveHealth(tasks.get(0), 0, java.util.Optional.of("No space left on device")));
        sim.settle();
        sim.passes(Duration.ofSeconds(5));
        sim.report(new ExecutorReport.ArchiveHealth(tasks.get(1), 0, java.util.Optional.empty()));
        var shown = sim.view().backups().orElseThrow();
        assertEquals(java.util.Optional.of("No space left on device"), shown.archiveFailing(), "a replica's word does not clear it");
        assertEquals(java.util.Optional.of(since), shown.archiveFailingSince());
        sim.expectNoEvents();

        sim.report(new ExecutorReport.ArchiveHealth(tasks.get(0), 0, java.util.Optional.empty()));
        assertEquals(java.util.Optional.empty(), sim.view().backups(), "it works again");
    }

    @Test
    void aFailureReportIsRecordedAndTheLeftoversDeleted() {
        var tasks = sim.runningCluster(2);
        var accepted = (ClusterActor.BackupAccepted) sim.guarded(r -> new ClusterActor.TakeBackup(PASSWORD, r));
        sim.journal.receivePersisted(sim.pid(), 2, ClusterEvent.class);
        sim.settle();
        sim.drain();
        sim.report(new ExecutorReport.BackupFailed(tasks.get(1), 0, accepted.id(), "cannot create hdfs://nn/mysos/orders: Connection refused"));
        sim.expectEvents(new ClusterEvent.BackupFailed(accepted.id(), "cannot create hdfs://nn/mysos/orders: Connection refused",
                sim.clock.instant()));
        var shown = sim.view().backups().orElseThrow();
        assertEquals(java.util.Optional.of("cannot create hdfs://nn/mysos/orders: Connection refused"), shown.lastFailure());
        assertEquals(java.util.Optional.of(sim.clock.instant()), shown.lastFailedAt());
        assertEquals(java.util.Optional.empty(), shown.lastCompletedAt(), "none completed: the alert on failing backups fires");
        sim.expectToResources(new ResourceSide.Send(tasks.get(1), new ExecutorCommand.DeleteBackup(0, accepted.id())));
    }

    @Test
    void theScheduleTakesABackupEveryIntervalAndRetentionDeletesTheOldest() {
        var tasks = sim.runningCluster(2);
        var changed = sim.guarded(r -> new ClusterActor.ChangeBackupPolicy(new BackupPolicy(Duration.ofMinutes(5), 1), PASSWORD, r));
        assertEquals("backup_interval 5m, backup_keep 1", ((ClusterActor.Done) changed).detail());
        sim.expectEvents(new ClusterEvent.BackupScheduleChanged(300, 1));
        sim.expectNoEvents();

        String previous = null;
        for (int round = 0; round < 2; round++) {
            // Every converge tick (1 s) on the way runs: a short interval keeps the simulation quick.
            sim.passes(Duration.ofMinutes(5).minusSeconds(1));
            sim.expectNoEvents();
            sim.passes(Duration.ofSeconds(1));
            var requested = (ClusterEvent.BackupRequested) sim.journal.receivePersisted(sim.pid(), 2, ClusterEvent.class).get(0);
            assertEquals("schedule", requested.cause());
            sim.settle();
            sim.drain();
            sim.report(new ExecutorReport.BackupTaken(tasks.get(1), 0, requested.id(), "loc", 1, "0-1-" + round, 1));
            var after = sim.journal.receivePersisted(sim.pid(), round == 0 ? 1 : 2, ClusterEvent.class);
            if (previous != null) {
                assertEquals(new ClusterEvent.BackupDeleted(previous, sim.clock.instant()), after.get(1));
                sim.settle();
                assertEquals(java.util.List.of(new ResourceSide.Send(tasks.get(1), new ExecutorCommand.DeleteBackup(0, previous))),
                        ClusterSimulation.takeQueued(sim.resources));
            }
            previous = requested.id();
        }
    }
}

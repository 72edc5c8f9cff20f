package io.mysos.actors.cluster;

import io.mysos.core.backup.BackupLog;
import io.mysos.core.cluster.ClusterHealth;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.cluster.ClusterStatus;
import io.mysos.core.cluster.Instance;
import io.mysos.core.cluster.Lag;
import io.mysos.core.cluster.ReplicaSync;
import io.mysos.core.failover.Observed;
import io.mysos.core.task.TaskId;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Collectors;

/** What the API shows of a cluster, and in words why it is not RUNNING: built from its state and what its actor observed. */
final class ClusterViews {
    private ClusterViews() {}

    static Optional<ClusterView> view(String name, ClusterState state, Observed observed, Instant now) {
        return state.current().map(life -> {
            boolean deleting = state instanceof ClusterState.Deleting;
            var status = status(life, deleting, observed);
            var master = life.masterInstance().map(m -> instanceView(m, "master", Optional.empty()));
            // Ended instances are listed apart: their ports may belong to live instances by now.
            var replicas = life.live().stream().filter(i -> !life.isMaster(i.taskId()))
                    .map(i -> instanceView(i, "replica", i.running() ? observed.lag(i.taskId()) : Optional.empty()))
                    .toList();
            var ended = life.ended().stream().filter(i -> !life.isMaster(i.taskId())).map(ClusterViews::endedView).toList();
            var lastFailover = life.lastFailover().map(f -> new ClusterView.Failover(f.epoch(), f.from().map(TaskId::value),
                    f.to().value(), f.startedAt(), f.millis(), f.cause()));
            return new ClusterView(name, status, life.spec().numNodes(), life.epoch(), master, replicas, life.spec().size(),
                    life.spec().user(), life.createdAt(), reason(name, life, status, observed, now), life.spec().backupId(),
                    life.spec().semiSync(), lastFailover, ended, EndpointViews.routing(life, deleting, observed),
                    life.spec().restoreTo(), backups(state.backups(), observed));
        });
    }

    /** The backups at a glance; none for a cluster that never had one, has no schedule and whose archive does not fail. */
    static Optional<ClusterView.BackupsView> backups(BackupLog log, Observed observed) {
        var archive = observed.archiveFailing();
        if (log.entries().isEmpty() && !log.policy().scheduled() && archive.isEmpty()) {
            return Optional.empty();
        }
        var completed = log.latestCompleted();
        var failed = log.latestFailed();
        return Optional.of(new ClusterView.BackupsView(log.policy().interval().toSeconds(), log.policy().keep(),
                completed.map(BackupLog.Entry::id), completed.flatMap(BackupLog.Entry::finishedAt),
                failed.map(BackupLog.Entry::id), failed.flatMap(BackupLog.Entry::finishedAt),
                failed.map(BackupLog.Entry::reason), log.inFlight().map(BackupLog.Entry::id),
                archive.map(Observed.ArchiveFailing::reason), archive.map(Observed.ArchiveFailing::since)));
    }

    /**
     * {@code observed.confirmed()} are the instances that confirmed their role since the actor
     * started (the master writable, replicas replicating from it): the journal alone cannot say
     * whether an instance still runs after a restart. A replica that said it is catching up with the
     * master is not ready until it says it is in sync.
     */
    static ClusterStatus status(ClusterLife life, boolean deleting, Observed observed) {
        boolean electing = life.election().isPresent();
        boolean masterWritable = life.master().map(observed::isConfirmed).orElse(false) && life.masterRunning() && !electing;
        int ready = (int) life.instances().stream().filter(i -> ready(life, observed, i)).count();
        int catchingUp = (int) life.instances().stream().filter(i -> catchingUp(life, observed, i)).count();
        return ClusterHealth.status(deleting, life.everAtFullStrength(), life.masterRunning() && !electing,
                (int) life.runningCount(), masterWritable, ready, catchingUp, life.spec().numNodes());
    }

    /** Running in its confirmed role and, a replica, known to be in sync (it reported its lag, and is not behind). */
    private static boolean ready(ClusterLife life, Observed observed, Instance i) {
        return i.running() && observed.isConfirmed(i.taskId())
                && (life.isMaster(i.taskId()) || ReplicaSync.inSync(observed.lag(i.taskId())));
    }

    private static boolean catchingUp(ClusterLife life, Observed observed, Instance i) {
        // Catching up, or its replication stopped: ReplicaSync decides.
        return i.running() && !life.isMaster(i.taskId()) && ReplicaSync.behind(observed.lag(i.taskId()));
    }

    private static Optional<String> reason(String name, ClusterLife life, ClusterStatus status, Observed observed, Instant now) {
        if (status == ClusterStatus.RUNNING || status == ClusterStatus.DELETING) {
            return Optional.empty();
        }
        var backoff = life.backoff(now);
        if (life.election().isEmpty() && life.replacementHeldFor(now).isPresent()) {
            return backoff.reason(now);
        }
        // A replacement that is starting after a crash loop: say what it may run into again.
        var repeating = backoff.repeats() < 2 ? ""
                : "; " + backoff.role() + " failed " + backoff.repeats() + " times with '" + backoff.cause() + "'";
        return reasonWithoutBackoff(name, life, observed).map(reason -> reason + repeating);
    }

    private static Optional<String> reasonWithoutBackoff(String name, ClusterLife life, Observed observed) {
        if (life.election().isPresent()) {
            var e = life.election().get();
            if (e.planned()) {
                return Optional.of("switching the master over to " + e.candidates().get(0) + " (epoch " + e.epoch() + ")");
            }
            if (e.diverged().isPresent()) {
                var d = e.diverged().get();
                var lacking = d.lacking().entrySet().stream()
                        .map(l -> l.getKey() + " holds " + String.join(",", l.getValue()))
                        .collect(Collectors.joining("; "));
                return Optional.of("no master for epoch " + e.epoch() + ": the replicas' histories diverged, and "
                        + d.mostAdvanced() + " (the most advanced) lacks transactions others hold (" + lacking + "). "
                        + "Nothing was promoted, so nothing is lost yet. Compare the instances, then promote one with "
                        + "POST /clusters/" + name + "/failover target=<task> force=true; what the others hold beyond it is discarded");
            }
            if (observed.electionStalled()) {
                return Optional.of("no replica to elect as master for epoch " + e.epoch() + " has answered; retrying ("
                        + e.cause() + ")");
            }
            var starting = io.mysos.core.failover.ElectionRound.starting(life, e).size();
            return Optional.of("electing a new master for epoch " + e.epoch() + ": " + observed.answers().size() + " of "
                    + (life.candidates().size() + starting) + " replicas answered"
                    + (starting > 0 ? ", " + starting + " still starting" : "") + " (" + e.cause() + ")");
        }
        if (life.missing() > 0 && observed.shortfall().isPresent()) {
            return observed.shortfall();
        }
        if (life.missing() > 0) {
            return Optional.of("waiting for resources: " + life.missing() + " x " + life.spec().size().describe());
        }
        if (!life.masterRunning() && life.master().isPresent()) {
            return Optional.of("the master " + life.master().get() + " is not running");
        }
        var behind = life.instances().stream().filter(i -> catchingUp(life, observed, i))
                .map(i -> ReplicaSync.reason(i.taskId().value(), observed.lag(i.taskId())).orElseThrow())
                .toList();
        if (!behind.isEmpty()) {
            return Optional.of(String.join("; ", behind));
        }
        long ready = life.instances().stream().filter(i -> ready(life, observed, i)).count();
        var unreported = life.instances().stream()
                .filter(i -> i.running() && observed.isConfirmed(i.taskId()) && !life.isMaster(i.taskId())
                        && observed.lag(i.taskId()).isEmpty())
                .map(i -> i.taskId().value()).toList();
        return Optional.of("waiting for instances to take their roles: " + ready + " of " + life.spec().numNodes() + " ready"
                + (unreported.isEmpty() ? "" : "; waiting for the first replication report of " + String.join(", ", unreported)));
    }

    private static ClusterView.InstanceView instanceView(Instance i, String role, Optional<Lag> lag) {
        return new ClusterView.InstanceView(i.taskId().value(), i.host(), i.port(), i.state(), role, lag);
    }

    private static ClusterView.EndedView endedView(Instance i) {
        return new ClusterView.EndedView(i.taskId().value(), i.host(), i.port(), i.state(), i.message(), i.endedAt());
    }
}

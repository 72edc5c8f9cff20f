package io.mysos.actors.cluster;

import io.mysos.actors.cluster.ClusterProtocol.BackupAccepted;
import io.mysos.actors.cluster.ClusterProtocol.ChangeBackupPolicy;
import io.mysos.actors.cluster.ClusterProtocol.Conflict;
import io.mysos.actors.cluster.ClusterProtocol.Done;
import io.mysos.core.backup.Backups;
import io.mysos.core.backup.Seeding;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.Instance;
import io.mysos.core.failover.Action;
import io.mysos.core.failover.Decision;
import io.mysos.core.failover.Observed;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster's backup requests, as the {@link ClusterActor} meets them: a backup asked through the API,
 * the schedule's tick, the executors' reports, the end of a backup's source, a new schedule. Every
 * decision is {@link Backups}' (core); this only joins them to the actor's other decisions.
 */
final class ClusterBackups {
    private final String name;
    /** New instances are seeded from a copy only where there is a backup store to put it in. */
    private final boolean seeding;

    /** When this actor started: a backup running since before then lost its executor's report (see {@link Backups#abandoned}). */
    private final Instant since;

    /** How long a backup may run before it is failed and stopped ({@code mysos.backup.timeout}). */
    private final java.time.Duration limit;

    ClusterBackups(String name, boolean seeding, Instant since, java.time.Duration limit) {
        this.name = name;
        this.seeding = seeding;
        this.since = since;
        this.limit = limit;
    }

    /** A cluster's backups as {@code config} sets them up ({@code mysos.backup.*}), for an actor started at {@code since}. */
    static ClusterBackups of(String name, com.typesafe.config.Config config, Instant since) {
        return new ClusterBackups(name, seeding(config), since, limit(config));
    }

    /** {@code mysos.backup.timeout}: at least a minute. */
    static java.time.Duration limit(com.typesafe.config.Config config) {
        var limit = config.hasPath("mysos.backup.timeout") ? config.getDuration("mysos.backup.timeout") : java.time.Duration.ofHours(6);
        if (limit.compareTo(java.time.Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("mysos.backup.timeout must be at least 1m, not " + config.getString("mysos.backup.timeout"));
        }
        return limit;
    }

    /** Whether new instances are seeded: a backup store is configured ({@code mysos.backup.root}) and {@code mysos.backup.seed} is on. */
    static boolean seeding(com.typesafe.config.Config config) {
        return config.hasPath("mysos.backup.root") && !config.getString("mysos.backup.root").isBlank()
                && (!config.hasPath("mysos.backup.seed") || config.getBoolean("mysos.backup.seed"));
    }

    static boolean isBackupReport(ExecutorReport report) {
        return report instanceof ExecutorReport.BackupTaken || report instanceof ExecutorReport.BackupFailed
                || report instanceof ExecutorReport.ArchiveHealth;
    }

    static boolean isBackupRequest(ClusterProtocol.Guarded request) {
        return request instanceof ClusterProtocol.TakeBackup || request instanceof ChangeBackupPolicy;
    }

    /** After a status update's own decision: the running backup fails if its source ended. */
    static Decision onStatus(ClusterState state, Decision decided, TaskStatus status, Instant now) {
        return decided.then(Backups.onStatus(state.backups(), decided.observed(), status, now));
    }

    /**
     * The converge tick: a backup to seed a new instance from, when one is needed; else a scheduled backup
     * when it is due (and a source runs). A seed that cannot be taken is recorded failed: the instance
     * then starts empty, as before seeding existed.
     */
    Decision schedule(ClusterState.Active state, Decision converge, Instant now) {
        var life = state.life();
        var abandoned = Backups.abandoned(life, state.backups(), converge.observed(), since, now);
        if (!abandoned.events().isEmpty()) {
            return converge.then(abandoned);
        }
        var overdue = Backups.overdue(life, state.backups(), converge.observed(), limit, now);
        if (!overdue.events().isEmpty()) {
            return converge.then(overdue);
        }
        if (seeding && life.needed(now) > 0 && Seeding.seed(life, state.backups(), now) == Seeding.Take.INSTANCE) {
            var request = Backups.request(life, state.backups(), converge.observed(), Seeding.SEED, now);
            if (request instanceof Backups.Started started) {
                return converge.then(started.decision());
            }
            if (life.instances().stream().anyMatch(Instance::running)) {
                // An instance runs but has not confirmed its role yet (right after a failover, a restart): next tick.
                return converge;
            }
            var id = Backups.nextId(state.backups(), now);
            return converge.then(new Decision(List.of(new ClusterEvent.BackupRequested(id, Seeding.SEED, now),
                    new ClusterEvent.BackupFailed(id, ((Backups.Refused) request).reason(), now)), List.of(), converge.observed()));
        }
        if (!Backups.due(life, state.backups(), now)) {
            return converge;
        }
        var request = Backups.request(life, state.backups(), converge.observed(), Backups.SCHEDULE, now);
        return request instanceof Backups.Started started ? converge.then(started.decision()) : converge;
    }

    /** How many instances the cluster asks resources for (none while a seed backup is to be taken). */
    int needed(ClusterState state, io.mysos.core.cluster.ClusterLife life, Instant now) {
        if (!(state instanceof ClusterState.Active)) {
            return 0;
        }
        return seeding ? Seeding.needed(life, state.backups(), now) : life.needed(now);
    }

    /** A new instance's task data: it restores the seed backup, if it has one. */
    io.mysos.core.protocol.TaskData launchData(ClusterState state, io.mysos.core.protocol.TaskData data, Instant now) {
        return !seeding ? data : Seeding.seeded(state.current().orElseThrow(), state.backups(), data, now);
    }

    /** An authorized backup request to an active cluster. */
    GuardedRequests.Answer whenActive(ClusterState.Active state, Observed observed, ClusterProtocol.Guarded request, Instant now) {
        if (request instanceof ChangeBackupPolicy change) {
            var policy = change.policy();
            var changed = new ClusterEvent.BackupScheduleChanged(policy.interval().toSeconds(), policy.keep());
            var events = new ArrayList<ClusterEvent>(List.of(changed));
            var actions = new ArrayList<Action>();
            var deleter = state.life().instances().stream().filter(Instance::running).map(Instance::taskId).findFirst();
            for (var old : Backups.expired(state.backups().apply(changed))) {
                events.add(new ClusterEvent.BackupDeleted(old.id(), now));
                deleter.ifPresent(task -> actions.add(new Action.Send(task, new ExecutorCommand.DeleteBackup(state.life().epoch(), old.id()))));
            }
            return new GuardedRequests.Record(new Decision(events, actions, observed), new Done(name,
                    "backup_interval " + policy.describeInterval() + ", backup_keep " + policy.keep()));
        }
        var asked = Backups.request(state.life(), state.backups(), observed, Backups.API, now);
        if (asked instanceof Backups.Started started) {
            return new GuardedRequests.Record(started.decision(), new BackupAccepted(name, started.id()));
        }
        return new GuardedRequests.Reply(new Conflict(name, ((Backups.Refused) asked).reason()));
    }

    static ClusterProtocol.BackupListing listing(String name, ClusterState state) {
        return new ClusterProtocol.BackupListing(name, state.backups());
    }
}

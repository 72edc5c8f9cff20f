package io.mysos.core.cluster;

import io.mysos.core.cluster.ClusterEvent.ClusterResized;
import io.mysos.core.cluster.ClusterEvent.ElectionStarted;
import io.mysos.core.cluster.ClusterEvent.FailoverCompleted;
import io.mysos.core.cluster.ClusterEvent.HistoriesDiverged;
import io.mysos.core.cluster.ClusterEvent.MasterElected;
import io.mysos.core.cluster.ClusterEvent.MasterLost;
import io.mysos.core.cluster.ClusterEvent.ReplicaAdded;
import io.mysos.core.cluster.ClusterEvent.ReplicaLost;
import io.mysos.core.cluster.ClusterEvent.TaskStateChanged;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One cluster between its ClusterCreated and its ClusterTerminated, as its events built it: its
 * instances, who is master in which epoch, an open election, a promotion not yet confirmed, and
 * the replicas lost lately ({@code failures}: what the replacement back-off counts).
 * {@link #apply} is the event handler; the rest answers questions the decisions ask.
 */
public record ClusterLife(ClusterSpec spec, ClusterSecrets secrets, Instant createdAt, List<Instance> instances,
                          long epoch, Optional<TaskId> master, boolean everAtFullStrength,
                          Optional<OpenElection> election, Optional<PendingFailover> failover,
                          Optional<LastFailover> lastFailover, List<ReplacementBackoff.Failure> failures,
                          List<Volume> volumes) {
    /** Ended instances kept for the API to show (the journal keeps the full story). */
    public static final int KEPT_TERMINAL = 20;

    /**
     * An open election. {@code diverged}: it found no candidate with every transaction, and waits
     * for an operator to force one.
     */
    public record OpenElection(long epoch, Optional<TaskId> previousMaster, List<TaskId> candidates, String cause,
                               boolean planned, Instant startedAt, Optional<HistoriesDiverged> diverged) {
        /** The master handing over in a planned switchover (alive, read-only while the election runs). */
        public Optional<TaskId> retiringMaster() {
            return planned ? previousMaster : Optional.empty();
        }
    }

    /** A master elected whose promotion is not yet confirmed: what FailoverCompleted will record. */
    public record PendingFailover(long epoch, Optional<TaskId> oldMaster, String cause, Instant startedAt) {}

    /** The last completed failover or switchover: lost (or handed over) at {@code startedAt}, writable {@code millis} later. */
    public record LastFailover(long epoch, Optional<TaskId> from, TaskId to, Instant startedAt, long millis, String cause) {}

    /** Failures kept for the back-off at most: the wait stops growing long before, only the count in the reason stops here. */
    static final int KEPT_FAILURES = 100;

    public ClusterLife {
        instances = List.copyOf(instances);
        // Snapshots taken before the back-off have no failures.
        failures = failures == null ? List.of() : List.copyOf(failures);
        // Snapshots taken before persistent volumes have none.
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }

    /** A life without persistent volumes (as every life was before they existed). */
    public ClusterLife(ClusterSpec spec, ClusterSecrets secrets, Instant createdAt, List<Instance> instances,
                       long epoch, Optional<TaskId> master, boolean everAtFullStrength,
                       Optional<OpenElection> election, Optional<PendingFailover> failover,
                       Optional<LastFailover> lastFailover, List<ReplacementBackoff.Failure> failures) {
        this(spec, secrets, createdAt, instances, epoch, master, everAtFullStrength, election, failover, lastFailover, failures,
                List.of());
    }

    public static ClusterLife created(ClusterEvent.ClusterCreated e) {
        return new ClusterLife(e.spec(), e.secrets(), e.createdAt(), List.of(), 0, Optional.empty(), false,
                Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    /** The event handler for everything that happens within a life. */
    public ClusterLife apply(ClusterEvent event) {
        if (event instanceof ReplicaAdded e) {
            var added = new ArrayList<>(instances);
            added.add(new Instance(e.taskId(), e.agentId(), e.host(), e.port(), e.resources(), TaskState.STAGING, "", false,
                    Instant.EPOCH));
            return withInstances(added);
        }
        if (event instanceof TaskStateChanged e) {
            return withInstance(e.taskId(), i -> i.with(e.state(), e.message(), e.at())).withVolumes(Volumes.onTaskState(volumes, e));
        }
        if (event instanceof ReplicaLost e) {
            return withFailure(new ReplacementBackoff.Failure("replica", e.cause(), e.at()));
        }
        if (event instanceof MasterLost) {
            return withMaster(epoch, Optional.empty());
        }
        if (event instanceof ElectionStarted e) {
            return withElection(Optional.of(new OpenElection(e.epoch(), e.previousMaster(), e.candidates(), e.cause(),
                    e.planned(), e.at(), Optional.empty())));
        }
        if (event instanceof HistoriesDiverged e) {
            return withElection(election.filter(el -> el.epoch() == e.epoch()).map(el -> new OpenElection(el.epoch(),
                    el.previousMaster(), el.candidates(), el.cause(), el.planned(), el.startedAt(), Optional.of(e))));
        }
        if (event instanceof MasterElected e) {
            var pending = election.filter(el -> el.epoch() == e.epoch())
                    .map(el -> new PendingFailover(e.epoch(), el.previousMaster(), el.cause(), el.startedAt()));
            return withMaster(e.epoch(), Optional.of(e.taskId())).withElection(Optional.empty()).withFailover(pending);
        }
        if (event instanceof FailoverCompleted e) {
            var startedAt = failover.map(PendingFailover::startedAt).orElse(Instant.EPOCH);
            return new ClusterLife(spec, secrets, createdAt, instances, epoch, master, everAtFullStrength, election,
                    Optional.empty(), Optional.of(new LastFailover(e.epoch(), e.oldMaster(), e.newMaster(), startedAt,
                    e.millis(), e.cause())), failures, volumes);
        }
        if (event instanceof ClusterResized e) {
            var resized = withSpec(spec.withNumNodes(e.to()));
            for (var id : e.removed()) {
                resized = resized.withInstance(id, Instance::asRemoved);
            }
            return resized;
        }
        if (event instanceof ClusterEvent.VolumeCreated || event instanceof ClusterEvent.VolumeReused
                || event instanceof ClusterEvent.VolumeReleased) {
            return withVolumes(Volumes.apply(volumes, event));
        }
        throw new IllegalStateException(event + " does not change a cluster's life");
    }

    public Optional<Instance> instance(TaskId id) {
        return instances.stream().filter(i -> i.taskId().equals(id)).findFirst();
    }

    public List<Instance> live() {
        return instances.stream().filter(Instance::live).toList();
    }

    /**
     * The instances that ended, newest first (by when they ended; those the journal gives no time
     * for last, the newest task first), at most {@link #KEPT_TERMINAL}.
     */
    public List<Instance> ended() {
        return instances.stream().filter(i -> !i.live())
                .sorted(java.util.Comparator.comparing(Instance::changedAt)
                        .thenComparingLong(i -> i.taskId().serverId()).reversed())
                .limit(KEPT_TERMINAL)
                .toList();
    }

    public long runningCount() {
        return instances.stream().filter(Instance::running).count();
    }

    public Optional<Instance> masterInstance() {
        return master.flatMap(this::instance);
    }

    public boolean masterRunning() {
        return masterInstance().map(Instance::running).orElse(false);
    }

    public boolean isMaster(TaskId id) {
        return master.equals(Optional.of(id));
    }

    /** Whether {@code id} is known and not ended. */
    public boolean liveInstance(TaskId id) {
        return instance(id).map(Instance::live).orElse(false);
    }

    /** Replicas that may be elected: running, not being removed, not the master. */
    public List<TaskId> candidates() {
        return instances.stream()
                .filter(i -> i.running() && !i.removed() && !isMaster(i.taskId()))
                .map(Instance::taskId)
                .toList();
    }

    /** The live replicas a shrink may let go: never the master. */
    public List<Instance> removable() {
        return instances.stream().filter(i -> i.live() && !i.removed() && !isMaster(i.taskId())).toList();
    }

    /**
     * How many instances the cluster lacks. None while a master is being elected or promoted:
     * starting a mysqld competes with the promotion for the machine, and the replacement is
     * launched a moment later, once the new master takes writes.
     */
    public int missing() {
        long kept = instances.stream().filter(i -> i.live() && !i.removed()).count();
        boolean failingOver = election.isPresent() || failover.isPresent();
        return failingOver ? 0 : (int) Math.max(0, spec.numNodes() - kept);
    }

    /**
     * How many instances the cluster should be given at {@code now}: what it lacks, unless replicas
     * keep failing the same way and the back-off holds the next replacement ({@link #backoff}).
     */
    public int needed(Instant now) {
        return backoff(now).allowsLaunchAt(now) ? missing() : 0;
    }

    /** When the next replacement may launch, from the replicas lost lately (events, so it survives a restart). */
    public ReplacementBackoff.Decision backoff(Instant now) {
        return ReplacementBackoff.decide(failures, now);
    }

    /** How long the back-off still holds a replacement the cluster lacks; nothing when it lacks none or may launch now. */
    public Optional<Duration> replacementHeldFor(Instant now) {
        var wait = backoff(now).waitFrom(now);
        return missing() > 0 && !wait.isZero() ? Optional.of(wait) : Optional.empty();
    }

    /** What the executor of {@code instance} is launched (or reconciled) with. */
    public TaskData taskData(Instance instance) {
        return new TaskData(instance.taskId(), spec.name(), instance.taskId().serverId(), instance.host(), instance.port(),
                instance.resources(), spec.user(), secrets.password(), secrets.adminPassword(), spec.backupId(),
                spec.semiSync(), spec.restoreTo(), TaskData.lifeOf(createdAt));
    }

    /** Keeps the instances that are live or the master, and the {@link #KEPT_TERMINAL} that ended last. */
    ClusterLife withInstances(List<Instance> changed) {
        var shown = new ClusterLife(spec, secrets, createdAt, changed, epoch, master, everAtFullStrength, election, failover,
                lastFailover, failures, volumes).ended();
        var kept = changed.stream().filter(i -> i.live() || isMaster(i.taskId()) || shown.contains(i)).toList();
        return new ClusterLife(spec, secrets, createdAt, kept, epoch, master, everAtFullStrength, election, failover,
                lastFailover, failures, volumes).withFullStrengthNoted();
    }

    ClusterLife withInstance(TaskId id, UnaryOperator<Instance> change) {
        return withInstances(instances.stream().map(i -> i.taskId().equals(id) ? change.apply(i) : i).toList());
    }

    /** Keeps the failures of the current unstable stretch, the newest {@value #KEPT_FAILURES} of them. */
    ClusterLife withFailure(ReplacementBackoff.Failure failure) {
        var more = new ArrayList<>(failures);
        more.add(failure);
        var stretch = ReplacementBackoff.currentStretch(more, failure.at(), ReplacementBackoff.Policy.DEFAULT);
        var kept = stretch.subList(Math.max(0, stretch.size() - KEPT_FAILURES), stretch.size());
        return new ClusterLife(spec, secrets, createdAt, instances, epoch, master, everAtFullStrength, election, failover,
                lastFailover, kept, volumes);
    }

    ClusterLife withMaster(long newEpoch, Optional<TaskId> newMaster) {
        return new ClusterLife(spec, secrets, createdAt, instances, newEpoch, newMaster, everAtFullStrength, election,
                failover, lastFailover, failures, volumes).withFullStrengthNoted();
    }

    ClusterLife withElection(Optional<OpenElection> newElection) {
        return new ClusterLife(spec, secrets, createdAt, instances, epoch, master, everAtFullStrength, newElection,
                failover, lastFailover, failures, volumes);
    }

    ClusterLife withFailover(Optional<PendingFailover> newFailover) {
        return new ClusterLife(spec, secrets, createdAt, instances, epoch, master, everAtFullStrength, election,
                newFailover, lastFailover, failures, volumes);
    }

    ClusterLife withSpec(ClusterSpec newSpec) {
        return new ClusterLife(newSpec, secrets, createdAt, instances, epoch, master, everAtFullStrength, election,
                failover, lastFailover, failures, volumes);
    }

    ClusterLife withVolumes(List<Volume> changed) {
        return new ClusterLife(spec, secrets, createdAt, instances, epoch, master, everAtFullStrength, election, failover,
                lastFailover, failures, changed);
    }

    ClusterLife withFullStrengthNoted() {
        boolean full = everAtFullStrength || (masterRunning() && runningCount() >= spec.numNodes());
        return new ClusterLife(spec, secrets, createdAt, instances, epoch, master, full, election, failover, lastFailover, failures,
                volumes);
    }
}

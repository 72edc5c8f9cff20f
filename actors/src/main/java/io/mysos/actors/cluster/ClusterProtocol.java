package io.mysos.actors.cluster;

import akka.actor.typed.ActorRef;
import io.mysos.actors.JsonSerializable;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.protocol.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a {@link ClusterActor} understands and answers. {@code ClusterActor} implements this
 * interface, so callers name the messages {@code ClusterActor.Create}, {@code ClusterActor.Place}, ...
 * The events it records are {@link ClusterEvent}s (in core).
 */
public interface ClusterProtocol {

    /**
     * Timing: how often the actor re-sends what was not confirmed; how long an instance may stay
     * STAGING before the resource side is asked about it; how often an election re-asks replicas
     * that have not reported their position, and when it elects from those that did.
     */
    record Settings(Duration convergeInterval, Duration stagingTimeout, Duration queryInterval,
                           Duration electionTimeout, Clock clock, Duration agentGoneAfter) {
        /** {@code agentGoneAfter}: how long a free persistent volume waits for its agent before the instance is replaced elsewhere. */
        public Settings(Duration convergeInterval, Duration stagingTimeout, Duration queryInterval, Duration electionTimeout, Clock clock) {
            this(convergeInterval, stagingTimeout, queryInterval, electionTimeout, clock, Duration.ofMinutes(10));
        }

        /** From the {@code mysos.cluster} section of the configuration (see the actors' reference.conf). */
        public static Settings fromConfig(com.typesafe.config.Config config) {
            // Read by each cluster actor; checked here, at start, so that a bad value stops Mysos with its reason.
            ClusterBackups.limit(config);
            var cluster = config.getConfig("mysos.cluster");
            return new Settings(cluster.getDuration("converge-interval"), cluster.getDuration("staging-timeout"),
                    cluster.getDuration("query-interval"), cluster.getDuration("election-timeout"), Clock.systemUTC(),
                    cluster.getDuration("agent-gone-after"));
        }

        public Settings withClock(Clock newClock) {
            return new Settings(convergeInterval, stagingTimeout, queryInterval, electionTimeout, newClock, agentGoneAfter);
        }
    }

    /** Who the actor talks to. */
    record Peers(ActorRef<ClusterRegistry.Command> registry, ActorRef<OfferRouter.Command> router,
                        ActorRef<ResourceSide.Command> resources) {}

    /** The cause of a planned switchover, as {@code FailoverCompleted} records it. */
    String PLANNED = ClusterEvent.PLANNED;

    interface Command extends JsonSerializable {}

    /** Create the cluster (idempotent: the registry re-sends it after every restart). */
    record Create(ClusterSpec spec, ClusterSecrets secrets, Instant at, ActorRef<CreateResult> replyTo) implements Command {}

    sealed interface CreateResult extends JsonSerializable {}

    record Created(String name) implements CreateResult {}

    // ---------------------------------------------------------------- placement (the offer router's protocol, adapted)

    /** A placement request or a shortfall from the offer router (see {@link OfferRouter.ToCluster}). */
    record FromRouter(OfferRouter.ToCluster message) implements Command {}

    // ---------------------------------------------------------------- from the resource side

    record StatusUpdate(TaskStatus status) implements Command {}

    record ReportReceived(ExecutorReport report) implements Command {}

    /**
     * Pass {@code message} on to {@code to}: sent right after a command whose events must be written
     * first (a persisting actor handles the next command only after its events are written).
     */
    record Relay(ActorRef<ResourceSide.Command> to, ResourceSide.Command message) implements Command {}

    // ---------------------------------------------------------------- guarded requests (from the API)

    /** A request that needs the cluster password. */
    sealed interface Guarded extends Command {
        String password();

        ActorRef<Outcome> replyTo();
    }

    record Delete(String password, ActorRef<Outcome> replyTo) implements Guarded {}

    /** Grow or shrink the cluster to {@code numNodes} instances. */
    record Resize(int numNodes, String password, ActorRef<Outcome> replyTo) implements Guarded {}

    /**
     * Move the master role to {@code target} (or the best replica) without losing a write. With
     * {@code force}, promote {@code target} in a failover that cannot elect by itself (diverged
     * histories): what the others hold beyond it is lost, and the event says what.
     */
    record Switchover(Optional<String> target, boolean force, String password, ActorRef<Outcome> replyTo)
            implements Guarded {
        public Switchover(Optional<String> target, String password, ActorRef<Outcome> replyTo) {
            this(target, false, password, replyTo);
        }
    }

    /** Take a backup now (POST /clusters/{name}/backups); answered {@link BackupAccepted} with its id. */
    record TakeBackup(String password, ActorRef<Outcome> replyTo) implements Guarded {}

    /** Change the backup schedule to what {@code fields} say ({@code backup_interval}, {@code backup_keep}). */
    record ChangeBackupPolicy(io.mysos.core.backup.BackupPolicy policy, String password, ActorRef<Outcome> replyTo) implements Guarded {}

    /** The name's backups (no password: the list shows no data); answered {@link BackupListing} in any phase. */
    record ListBackups(ActorRef<Outcome> replyTo) implements Guarded {
        @Override
        public String password() {
            return "";
        }
    }

    /** How a guarded request ended. */
    sealed interface Outcome extends JsonSerializable {}

    record Done(String name, String detail) implements Outcome {}

    record WrongPassword(String name) implements Outcome {}

    /** Too many password checks for this cluster right now; try again after {@code retryAfterSeconds}. */
    record TooManyAttempts(String name, String reason, long retryAfterSeconds) implements Outcome {}

    record NotFound(String name) implements Outcome {}

    /** The request is valid but cannot be carried out now (e.g. during a failover). */
    record Conflict(String name, String reason) implements Outcome {}

    /** The request does not make sense for this cluster (e.g. a target that is not a replica). */
    record Invalid(String name, String reason) implements Outcome {}

    /** A backup was started: {@code id} (the full id, for backup_id, is {@code <name>/<id>}). */
    record BackupAccepted(String name, String id) implements Outcome {}

    record BackupListing(String name, io.mysos.core.backup.BackupLog backups) implements Outcome {}

    record GetView(ActorRef<Optional<ClusterView>> replyTo) implements Command {}
}

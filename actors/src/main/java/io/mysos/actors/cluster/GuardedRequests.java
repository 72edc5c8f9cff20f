package io.mysos.actors.cluster;

import akka.actor.typed.javadsl.ActorContext;
import io.mysos.actors.cluster.ClusterProtocol.Command;
import io.mysos.actors.cluster.ClusterProtocol.Conflict;
import io.mysos.actors.cluster.ClusterProtocol.Delete;
import io.mysos.actors.cluster.ClusterProtocol.Done;
import io.mysos.actors.cluster.ClusterProtocol.Guarded;
import io.mysos.actors.cluster.ClusterProtocol.Invalid;
import io.mysos.actors.cluster.ClusterProtocol.Outcome;
import io.mysos.actors.cluster.ClusterProtocol.Resize;
import io.mysos.actors.cluster.ClusterProtocol.TooManyAttempts;
import io.mysos.actors.cluster.ClusterProtocol.WrongPassword;
import io.mysos.actors.password.PasswordChecks;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.failover.Decision;
import io.mysos.core.failover.Deletion;
import io.mysos.core.failover.Observed;
import io.mysos.core.failover.Resizing;
import io.mysos.core.failover.Switchover;
import java.time.Instant;
import java.util.Optional;

/**
 * A cluster's guarded requests (delete, resize, switchover: each needs the cluster's password):
 * starts the password check off the actor's thread, and says what a request comes to once its
 * verdict is back. The {@link ClusterActor} records what the answer records, and carries it out.
 */
final class GuardedRequests {
    /** What an authorized request comes to. */
    sealed interface Answer {}

    /** Answer at once; nothing to record. */
    record Reply(Outcome outcome) implements Answer {}

    /** Record the decision's events, then carry out its actions and answer. */
    record Record(Decision decision, Outcome outcome) implements Answer {}

    /** Carry on with the resize plan (which may still have to ask the replicas for their positions). */
    record ResizePlan(Resizing.Plan plan) implements Answer {}

    private final String name;
    private final ActorContext<Command> context;

    GuardedRequests(String name, ActorContext<Command> context) {
        this.name = name;
        this.context = context;
    }

    /** The password check runs off the actor's thread (hashing is slow on purpose); its answer comes back as {@link ClusterActor.Authorized}. */
    void checkPassword(ClusterLife life, Guarded request) {
        context.pipeToSelf(PasswordChecks.get(context.getSystem()).check(name, life.secrets().passwordHash(), request.password()),
                (verdict, failure) -> new ClusterActor.Authorized(request, failure == null ? verdict : PasswordChecks.Checked.WRONG));
    }

    /** An authorized request to a cluster that is active. */
    Answer whenActive(ClusterLife life, Observed observed, ClusterActor.Authorized cmd, Instant now) {
        var request = cmd.request();
        var refused = refusal(cmd);
        if (refused.isPresent()) {
            return new Reply(refused.get());
        }
        if (request instanceof Delete) {
            return new Record(Deletion.start(life, observed, now), new Done(name, "deleting"));
        }
        if (request instanceof Resize resize) {
            return new ResizePlan(Resizing.plan(life, observed, resize.numNodes()));
        }
        var switchover = (ClusterProtocol.Switchover) request;
        var plan = Switchover.plan(life, observed, switchover.target(), switchover.force(), now);
        if (plan instanceof Switchover.Accepted accepted) {
            return new Record(accepted.decision(), new Done(name, accepted.detail()));
        }
        return new Reply(plan instanceof Switchover.Invalid invalid
                ? new Invalid(name, invalid.reason())
                : new Conflict(name, ((Switchover.Conflict) plan).reason()));
    }

    /** An authorized request to a cluster being deleted: a delete is already under way, anything else conflicts. */
    Outcome whileDeleting(ClusterActor.Authorized cmd) {
        return refusal(cmd).orElseGet(() -> cmd.request() instanceof Delete
                ? new Done(name, "deleting") : new Conflict(name, "cluster '" + name + "' is being deleted"));
    }

    /** The answer to a resize plan that records nothing: unchanged, or refused. */
    Outcome unresized(Resizing.Plan plan) {
        return plan instanceof Resizing.Unchanged unchanged ? new Done(name, unchanged.detail())
                : new Conflict(name, ((Resizing.Refused) plan).reason());
    }

    /** A request whose password did not match, or that was not checked (too many attempts). */
    Optional<Outcome> refusal(ClusterActor.Authorized cmd) {
        if (cmd.verdict() instanceof PasswordChecks.Refused refused) {
            return Optional.of(new TooManyAttempts(name, refused.reason(), refused.retryAfterSeconds()));
        }
        return cmd.verdict() == PasswordChecks.Checked.MATCHES ? Optional.empty() : Optional.of(new WrongPassword(name));
    }
}

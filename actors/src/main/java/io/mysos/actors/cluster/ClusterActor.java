package io.mysos.actors.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import io.mysos.actors.Instruments;
import io.mysos.actors.JournalBackoff;
import io.mysos.actors.cluster.ClusterState.Active;
import io.mysos.actors.cluster.ClusterState.Deleting;
import io.mysos.actors.cluster.ClusterState.NoCluster;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.actors.password.PasswordChecks;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.ClusterLife;
import io.mysos.core.failover.Decision;
import io.mysos.core.failover.Deletion;
import io.mysos.core.failover.ElectionRound;
import io.mysos.core.failover.Failover;
import io.mysos.core.failover.Observed;
import io.mysos.core.failover.Resizing;
import io.mysos.core.failover.Roles;
import io.mysos.core.failover.Switchover;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.task.TaskId;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * One MySQL cluster, event-sourced (persistence id {@code cluster|<name>}). It records every
 * instance it is given and every task state change; asks the offer router for the instances it
 * lacks; and drives its instances towards their roles: one writable master, the others replicating
 * from it. What each status update, report and request means is decided in core
 * ({@link Failover}, {@link ElectionRound}, {@link Roles}, {@link Switchover}); this actor records
 * the events a decision returns, then carries out its actions. After a restart the journal says what
 * may be in flight, and the actor takes it up again.
 */
public final class ClusterActor extends EventSourcedBehaviorWithEnforcedReplies<ClusterProtocol.Command, ClusterEvent, ClusterState>
        implements ClusterProtocol {

    /** Internal: the password check of a guarded request finished. */
    record Authorized(Guarded request, PasswordChecks.Verdict verdict) implements Command {}

    enum Converge implements Command { INSTANCE }

    enum QueryTick implements Command { INSTANCE }

    record ElectionDeadline(long epoch) implements Command {}

    enum ResizeDeadline implements Command { INSTANCE }

    private final String name;
    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final Settings settings;
    private final ClusterOutbox outbox;
    private final GuardedRequests guarded;
    private final ClusterBackups backups;
    /** Not journaled: what this actor observed since it started (see {@link Observed}); replaced, never changed. */
    private Observed observed = Observed.initial();
    /** Who waits for the answer of the shrink in {@code observed.shrink()}. */
    private Optional<ActorRef<Outcome>> shrinkRequester = Optional.empty();
    /** When the last decision's journal write began (for {@link Instruments}: the actor waits for it, so one at a time). */
    private long persistStarted;

    public static Behavior<Command> create(String name, Peers peers, Settings settings) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> new ClusterActor(name, context, timers, peers, settings)));
    }

    public static PersistenceId persistenceId(String name) {
        return PersistenceId.of("cluster", name);
    }

    private ClusterActor(String name, ActorContext<Command> context, TimerScheduler<Command> timers, Peers peers, Settings settings) {
        super(persistenceId(name), JournalBackoff.strategy());
        this.name = name;
        this.context = context;
        this.timers = timers;
        this.settings = settings;
        this.backups = ClusterBackups.of(name, context.getSystem().settings().config(), settings.clock().instant());
        this.outbox = new ClusterOutbox(name, peers, context.messageAdapter(OfferRouter.ToCluster.class, FromRouter::new),
                context.getLog(), settings.clock(), backups);
        this.guarded = new GuardedRequests(name, context);
    }

    @Override
    public ClusterState emptyState() {
        return ClusterState.empty();
    }

    @Override
    public Set<String> tagsFor(ClusterEvent event) {
        // "cluster-created" marks where each life of a name starts, so the audit finds a life without reading the ones before.
        return event instanceof ClusterEvent.ClusterCreated ? Set.of("cluster", "cluster-created") : Set.of("cluster");
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(200, 2);
    }

    @Override
    public EventHandler<ClusterState, ClusterEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(ClusterState::apply);
    }

    @Override
    public SignalHandler<ClusterState> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::onRecovered).build();
    }

    @Override
    public CommandHandlerWithReply<Command, ClusterEvent, ClusterState> commandHandler() {
        var builder = newCommandHandlerWithReplyBuilder();
        builder.forStateType(NoCluster.class)
                .onCommand(Create.class, this::create)
                .onCommand(StatusUpdate.class, (state, cmd) -> carryOut(state, Failover.onStatusOfAStranger(observed, cmd.status())))
                .onCommand(ListBackups.class, (state, cmd) -> Effect().reply(cmd.replyTo(), ClusterBackups.listing(name, state)))
                .onCommand(Guarded.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new NotFound(name)))
                .onCommand(Authorized.class, (state, cmd) -> Effect().reply(cmd.request().replyTo(), new NotFound(name)));
        builder.forStateType(Active.class)
                .onCommand(Create.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new Created(name)))
                .onCommand(StatusUpdate.class, (state, cmd) -> carryOut(state, ClusterBackups.onStatus(state, Failover.onStatus(state.life(), observed, cmd.status(), now()), cmd.status(), now())))
                .onCommand(ReportReceived.class, this::onReport)
                .onCommand(ListBackups.class, (state, cmd) -> Effect().reply(cmd.replyTo(), ClusterBackups.listing(name, state)))
                .onCommand(Guarded.class, this::checkPassword)
                .onCommand(Authorized.class, this::onAuthorized)
                .onCommand(Converge.class, (state, cmd) -> converge(state, ClusterVolumeEvents.withReleases(state.life(),
                        backups.schedule(state, Roles.converge(state.life(), observed, now(), settings.stagingTimeout()), now()),
                        now(), settings.agentGoneAfter())))
                .onCommand(QueryTick.class, (state, cmd) -> carryOut(state, Decision.act(ElectionRound.queries(state.life(), observed), observed)))
                .onCommand(ElectionDeadline.class, this::onElectionDeadline)
                .onCommand(ResizeDeadline.class, (state, cmd) -> finishShrink(state));
        builder.forStateType(Deleting.class)
                .onCommand(Create.class, (state, cmd) -> Effect().reply(cmd.replyTo(), new Created(name)))
                .onCommand(StatusUpdate.class, (state, cmd) -> carryOut(state, Deletion.onStatus(state.life(), observed, cmd.status(), now())))
                .onCommand(ListBackups.class, (state, cmd) -> Effect().reply(cmd.replyTo(), ClusterBackups.listing(name, state)))
                .onCommand(Guarded.class, this::checkPassword)
                .onCommand(Authorized.class, (state, cmd) -> Effect().reply(cmd.request().replyTo(), guarded.whileDeleting(cmd)))
                .onCommand(Converge.class, (state, cmd) -> converge(state, Decision.act(Deletion.kills(state.life()), observed)));
        builder.forAnyState()
                .onCommand(GetView.class, (state, cmd) -> Effect().reply(cmd.replyTo(), ClusterViews.view(name, state, observed, now())))
                .onCommand(FromRouter.class, this::fromRouter)
                .onCommand(Relay.class, (state, cmd) -> outbox.relay(cmd, Effect().noReply()))
                .onCommand(Converge.class, (state, cmd) -> converge(state, Decision.nothing(observed)))
                .onCommand(ReportReceived.class, (state, cmd) -> Effect().noReply())
                .onCommand(QueryTick.class, (state, cmd) -> Effect().noReply())
                .onCommand(ElectionDeadline.class, (state, cmd) -> Effect().noReply())
                .onCommand(ResizeDeadline.class, (state, cmd) -> finishShrink(state));
        return builder.build();
    }

    private java.time.Instant now() {
        return settings.clock().instant();
    }

    private void onRecovered(ClusterState state) {
        timers.startTimerWithFixedDelay(Converge.INSTANCE, settings.convergeInterval());
        state.current().ifPresent(life -> {
            var now = now();
            for (var instance : life.live()) {
                observed = observed.stagedAt(instance.taskId(), now);
            }
            outbox.act(Failover.onRecovery(life));
            // An election that was open when the scheduler stopped is run again for the same epoch.
            if (life.election().isPresent() && state instanceof Active) {
                openElection(life);
                outbox.act(ElectionRound.queries(life, observed));
            }
        });
        afterChange(state);
    }

    // ---------------------------------------------------------------- carrying out decisions

    /** Records the decision's events, then keeps what it observed and carries out its actions. */
    private ReplyEffect<ClusterEvent, ClusterState> carryOut(ClusterState state, Decision decision) {
        if (decision.events().isEmpty()) {
            boolean changed = !decision.observed().equals(observed);
            observed = decision.observed();
            outbox.act(decision.actions());
            if (changed) {
                outbox.publish(state, observed);
            }
            return Effect().noReply();
        }
        persistStarted = System.nanoTime();
        return Effect().persist(decision.events()).thenRun(next -> afterRecorded(next, decision)).thenNoReply();
    }

    /** The periodic nudge: re-sends what was not confirmed, and the demand, so lost messages heal. */
    private ReplyEffect<ClusterEvent, ClusterState> converge(ClusterState state, Decision decision) {
        outbox.tellDemand(state);
        return carryOut(state, decision);
    }

    /** Nobody to elect at the deadline: keep asking, and look again after another timeout. */
    private ReplyEffect<ClusterEvent, ClusterState> onElectionDeadline(Active state, ElectionDeadline deadline) {
        var decision = ElectionRound.onDeadline(state.life(), observed, deadline.epoch(), now());
        if (decision.events().isEmpty() && decision.observed().electionStalled()) {
            timers.startSingleTimer("deadline", deadline, settings.electionTimeout());
        }
        return carryOut(state, decision);
    }

    private void afterRecorded(ClusterState next, Decision decision) {
        Instruments.of(context.getSystem()).eventsRecorded(name, decision.events(), Duration.ofNanos(System.nanoTime() - persistStarted));
        observed = decision.observed();
        if (decision.records(ClusterEvent.ElectionStarted.class)) {
            next.current().ifPresent(this::openElection);
        }
        if (decision.records(ClusterEvent.MasterElected.class) || decision.records(ClusterEvent.HistoriesDiverged.class)
                || decision.records(ClusterEvent.ClusterDeletionRequested.class)) {
            timers.cancel("query");
            timers.cancel("deadline");
        }
        outbox.act(decision.actions());
        if (decision.records(ClusterEvent.ClusterTerminated.class)) {
            afterTermination(next);
        } else {
            afterChange(next);
        }
    }

    /**
     * An election opened (or re-opened after a restart): a shrink waiting for positions gives way;
     * the election's clocks start. The decision that opened it asks the candidates.
     */
    private void openElection(ClusterLife life) {
        shrinkRequester.ifPresent(requester -> requester.tell(new Conflict(name,
                "a failover of cluster '" + name + "' began; shrink it once it has a master")));
        shrinkRequester = Optional.empty();
        observed = observed.newRound().withShrink(Optional.empty());
        timers.cancel("resize");
        timers.startTimerWithFixedDelay("query", QueryTick.INSTANCE, settings.queryInterval());
        timers.startSingleTimer("deadline", new ElectionDeadline(life.election().orElseThrow().epoch()), settings.electionTimeout());
    }

    // ---------------------------------------------------------------- creation and placement

    private ReplyEffect<ClusterEvent, ClusterState> create(NoCluster state, Create cmd) {
        if (state.lastCreatedAt().equals(Optional.of(cmd.at()))) {
            // This life already ended; the registry missed the news before a restart.
            outbox.gone();
            return Effect().reply(cmd.replyTo(), new Created(name));
        }
        return Effect().persist(new ClusterEvent.ClusterCreated(cmd.spec(), cmd.secrets(), cmd.at()))
                .thenRun(this::afterChange)
                .thenReply(cmd.replyTo(), s -> new Created(name));
    }

    private ReplyEffect<ClusterEvent, ClusterState> reject(OfferRouter.Place cmd) {
        return Effect().reply(cmd.replyTo(), new OfferRouter.Rejected(cmd.placement(), "cluster " + name + " needs no instance"));
    }

    /** A placement only an active cluster can take; a shortfall the view shows. */
    private ReplyEffect<ClusterEvent, ClusterState> fromRouter(ClusterState state, FromRouter cmd) {
        if (cmd.message() instanceof OfferRouter.Place place) {
            return state instanceof Active active ? place(active, place) : reject(place);
        }
        return carryOut(state, Decision.nothing(observed.withShortfall(((OfferRouter.Shortfall) cmd.message()).reason())));
    }

    /** The router offers resources for one instance: recorded before the launch (the reply) is sent. */
    private ReplyEffect<ClusterEvent, ClusterState> place(Active state, OfferRouter.Place cmd) {
        if (backups.needed(state, state.life(), now()) <= 0 || !ClusterVolumeEvents.canTake(state.life(), cmd.placement())) {
            return reject(cmd);
        }
        var p = cmd.placement();
        var taskId = TaskId.of(name, state.lastServerId() + 1);
        return Effect().persist(ClusterVolumeEvents.placed(taskId, p))
                .thenRun(next -> {
                    observed = observed.stagedAt(taskId, now());
                    afterChange(next);
                })
                .thenReply(cmd.replyTo(), s -> {
                    var life = s.current().orElseThrow();
                    return new OfferRouter.Accepted(p, backups.launchData(s, life.taskData(life.instance(taskId).orElseThrow()), now()));
                });
    }

    // ---------------------------------------------------------------- executor reports

    private ReplyEffect<ClusterEvent, ClusterState> onReport(Active state, ReportReceived cmd) {
        var life = state.life();
        var report = cmd.report();
        if (report instanceof ExecutorReport.PositionReported reported) {
            if (life.election().isEmpty() && observed.shrink().isPresent() && reported.epoch() == life.epoch()) {
                observed = observed.withShrink(observed.shrink().map(s -> s.answered(reported.taskId(), reported.applied())));
                return observed.shrink().get().complete() ? finishShrink(state) : Effect().noReply();
            }
            return carryOut(state, ElectionRound.onPosition(life, observed, reported, now()));
        }
        if (report instanceof ExecutorReport.Promoted promoted) {
            return carryOut(state, Roles.onPromoted(life, observed, promoted, now()));
        }
        if (report instanceof ExecutorReport.Reparented reparented) {
            return carryOut(state, Decision.nothing(Roles.onReparented(life, observed, reparented)));
        }
        if (report instanceof ExecutorReport.ReplicationLag lag) {
            return carryOut(state, Decision.nothing(Roles.onReplicationLag(life, observed, lag)));
        }
        if (ClusterBackups.isBackupReport(report)) {
            return carryOut(state, io.mysos.core.backup.Backups.onReport(life, state.backups(), observed, report, now()));
        }
        var failed = (ExecutorReport.CommandFailed) report;
        context.getLog().warn("Task {} failed {} in epoch {}: {}", failed.taskId(), failed.command(), failed.epoch(), failed.reason());
        return carryOut(state, Decision.nothing(Roles.onCommandFailed(life, observed, failed)));
    }

    // ---------------------------------------------------------------- guarded requests

    private ReplyEffect<ClusterEvent, ClusterState> checkPassword(ClusterState state, Guarded request) {
        guarded.checkPassword(state.current().orElseThrow(), request);
        return Effect().noReply();
    }

    private ReplyEffect<ClusterEvent, ClusterState> onAuthorized(Active state, Authorized cmd) {
        var replyTo = cmd.request().replyTo();
        var answer = ClusterBackups.isBackupRequest(cmd.request()) ? guarded.refusal(cmd).<GuardedRequests.Answer>map(GuardedRequests.Reply::new)
                .orElseGet(() -> backups.whenActive(state, observed, cmd.request(), now())) : guarded.whenActive(state.life(), observed, cmd, now());
        if (answer instanceof GuardedRequests.Record record) {
            return recordAndReply(record.decision(), replyTo, record.outcome());
        }
        if (answer instanceof GuardedRequests.ResizePlan resize) {
            return resizing(resize.plan(), replyTo);
        }
        return Effect().reply(replyTo, ((GuardedRequests.Reply) answer).outcome());
    }

    /** Records a request's decision, then carries out its actions and answers. */
    private ReplyEffect<ClusterEvent, ClusterState> recordAndReply(Decision decision, ActorRef<Outcome> replyTo, Outcome outcome) {
        persistStarted = System.nanoTime();
        return Effect().persist(decision.events())
                .thenRun(next -> afterRecorded(next, decision))
                .thenReply(replyTo, s -> outcome);
    }

    /** A shrink's positions are in, or its deadline passed: record which replicas go, and answer who asked. */
    private ReplyEffect<ClusterEvent, ClusterState> finishShrink(ClusterState state) {
        timers.cancel("resize");
        var requester = shrinkRequester;
        shrinkRequester = Optional.empty();
        if (requester.isEmpty() || !(state instanceof Active active)) {
            observed = observed.withShrink(Optional.empty());
            return requester.map(r -> Effect().reply(r, new Conflict(name, "cluster '" + name + "' is being deleted")))
                    .orElse(Effect().noReply());
        }
        var plan = Resizing.finish(active.life(), observed);
        if (!(plan instanceof Resizing.Resized)) {
            observed = observed.withShrink(Optional.empty());
        }
        return resizing(plan, requester.get());
    }

    private ReplyEffect<ClusterEvent, ClusterState> resizing(Resizing.Plan plan, ActorRef<Outcome> replyTo) {
        if (plan instanceof Resizing.Resized resized) {
            return recordAndReply(resized.decision(), replyTo, new Done(name, resized.detail()));
        }
        if (plan instanceof Resizing.Asking asking) {
            shrinkRequester = Optional.of(replyTo);
            observed = asking.decision().observed();
            outbox.act(asking.decision().actions());
            timers.startSingleTimer("resize", ResizeDeadline.INSTANCE, settings.queryInterval().multipliedBy(5));
            return Effect().noReply();
        }
        return Effect().reply(replyTo, guarded.unresized(plan));
    }

    // ---------------------------------------------------------------- housekeeping

    /** After every change: tell the registry what the API should show and the router what is needed (a back-off's end, too). */
    private void afterChange(ClusterState state) {
        if (state.current().isEmpty()) {
            observed = observed.ended();
        }
        outbox.tellDemand(state);
        outbox.publish(state, observed);
        state.current().filter(life -> state instanceof Active).flatMap(life -> life.replacementHeldFor(now())).ifPresentOrElse(
                wait -> timers.startSingleTimer("backoff", Converge.INSTANCE, wait), () -> timers.cancel("backoff"));
    }

    /** After the events of a life's end: the registry forgets the name. */
    private void afterTermination(ClusterState state) {
        timers.cancel("query");
        timers.cancel("deadline");
        afterChange(state);
        outbox.gone();
    }
}

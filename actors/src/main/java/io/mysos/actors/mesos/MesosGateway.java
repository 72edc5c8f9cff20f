package io.mysos.actors.mesos;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.protocol.TaskData;
import io.mysos.core.task.TaskId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * The resource side on Apache Mesos: subscribes to the master's v1 scheduler API as the Mysos
 * framework and translates between the resource-side protocol and Mesos calls and events. Mesos
 * protobufs stay in this package. The framework id the master gives goes to the hook it is
 * created with (whoever keeps it across restarts), and is reused on every re-subscription.
 *
 * <p>While subscribed, every event restarts a heartbeat watch; a stream that ends, fails or falls
 * silent for {@code missedHeartbeats} intervals means {@link ResourceSide.Disconnected} (every
 * offer void) and a new subscription after a jittered exponential backoff.
 */
public final class MesosGateway extends AbstractBehavior<ResourceSide.Command> {

    private record Received(int generation, Event event) implements ResourceSide.Command {}

    private record StreamEnded(int generation, Optional<String> failure) implements ResourceSide.Command {}

    private record HeartbeatsMissed(int generation) implements ResourceSide.Command {}

    private record CallRefused(Call.Type type, String reason) implements ResourceSide.Command {}
    private record LeaderChanged(Optional<String> master) implements ResourceSide.Command {}

    private enum Connect implements ResourceSide.Command { INSTANCE }

    private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);

    private final MesosSettings settings;
    private final Consumer<String> frameworkIdHook;
    private final TimerScheduler<ResourceSide.Command> timers;
    private final String role;
    private Optional<MesosConnection> connection = Optional.empty();
    private final MasterChoice masters;
    /** The master of the current connection (subscribing or subscribed). */
    private Optional<String> connectedTo = Optional.empty();
    /** Events and endings of an earlier connection are ignored. */
    private int generation;
    private int attempt;
    /** Which of the masters to subscribe to: the next one after each lost or failed subscription. */
    private int masterIndex;
    private boolean subscribed;
    private Optional<String> frameworkId;
    private Duration heartbeatWatch = DEFAULT_HEARTBEAT;
    private Optional<ActorRef<ResourceSide.OfferEvent>> offerSubscriber = Optional.empty();
    private final OfferDesk desk;
    private final TaskDesk taskDesk;
    private final KnownTasks tasks;
    private final CallPacing pacing;
    private boolean wantOffers;

    public static Behavior<ResourceSide.Command> create(MesosSettings settings, Consumer<String> frameworkIdHook) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> new MesosGateway(context, timers, settings, frameworkIdHook)));
    }

    private MesosGateway(ActorContext<ResourceSide.Command> context, TimerScheduler<ResourceSide.Command> timers,
                         MesosSettings settings, Consumer<String> frameworkIdHook) {
        super(context);
        this.timers = timers;
        this.settings = settings;
        this.frameworkIdHook = frameworkIdHook;
        this.role = settings.framework().role();
        this.frameworkId = settings.frameworkId();
        this.pacing = new CallPacing(timers, this::send, settings);
        this.desk = new OfferDesk(settings, this::send, context.getLog());
        this.taskDesk = new TaskDesk(status -> send(MesosCalls.acknowledge(framework(), status)), context.getLog());
        this.tasks = taskDesk.tasks();
        this.masters = MasterChoice.of(settings, leader -> context.getSelf().tell(new LeaderChanged(leader)));
        connect();
    }

    @Override
    public Receive<ResourceSide.Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(ResourceSide.SubscribeOffers.class, this::onSubscribeOffers)
                .onMessage(ResourceSide.SubscribeTasks.class, msg -> withDesk(() -> taskDesk.subscribe(msg.subscriber())))
                .onMessage(ResourceSide.Launch.class, this::onLaunch)
                .onMessage(ResourceSide.Decline.class, this::onDecline)
                .onMessage(ResourceSide.Kill.class, this::onKill)
                .onMessage(ResourceSide.Release.class, this::onRelease)
                .onMessage(ResourceSide.Send.class, this::onSend)
                .onMessage(ResourceSide.Reconcile.class, this::onReconcile)
                .onMessageEquals(ResourceSide.Revive.INSTANCE, this::onRevive)
                .onMessageEquals(ResourceSide.Suppress.INSTANCE, this::onSuppress)
                .onMessageEquals(Connect.INSTANCE, () -> withDesk(this::connect))
                .onMessage(CallPacing.Tick.class, this::onTick)
                .onMessage(Received.class, this::onReceived)
                .onMessage(StreamEnded.class, this::onStreamEnded)
                .onMessage(HeartbeatsMissed.class, this::onHeartbeatsMissed)
                .onMessage(CallRefused.class,
                        msg -> withDesk(() -> getContext().getLog().warn("Mesos refused a {} call: {}", msg.type(), msg.reason())))
                .onMessage(LeaderChanged.class, this::onLeaderChanged)
                .onMessage(ResourceSide.HoldVolumes.class, msg -> withDesk(() -> desk.hold(msg, this::revive)))
                .onMessage(ResourceSide.ClustersKnown.class, msg -> withDesk(() -> desk.known(msg)))
                .onMessage(ResourceSide.Acknowledge.class, msg -> withDesk(() -> taskDesk.recorded(msg.token(), subscribed)))
                .onSignal(PostStop.class, signal -> onStop())
                .build();
    }

    // ---------------------------------------------------------------- the resource-side protocol

    private Behavior<ResourceSide.Command> onSubscribeOffers(ResourceSide.SubscribeOffers msg) {
        offerSubscriber = Optional.of(msg.subscriber());
        if (subscribed) {
            msg.subscriber().tell(ResourceSide.Connected.INSTANCE);
        }
        return this;
    }

    private Behavior<ResourceSide.Command> onLaunch(ResourceSide.Launch msg) {
        var offer = desk.take(msg.offerId());
        if (offer.isEmpty() || !subscribed) {
            taskDesk.lost(msg.tasks(), "offer " + msg.offerId() + " is no longer valid");
            return this;
        }
        try {
            send(desk.accept(offer.get(), msg, framework()));
        } catch (ResourcePool.NotEnoughResources e) {
            // The match was made on this very offer, so this is a bug; the offer goes back and the tasks are replaced.
            getContext().getLog().error("Offer {} cannot hold the tasks matched to it: {}", msg.offerId(), e.getMessage());
            send(MesosCalls.decline(framework(), List.of(offer.get().getId()), settings.declineRefuse()));
            taskDesk.lost(msg.tasks(), "offer " + msg.offerId() + " cannot hold the task: " + e.getMessage());
            return this;
        }
        msg.tasks().forEach(t -> tasks.launched(t.taskId(), offer.get().getAgentId()));
        return this;
    }

    private Behavior<ResourceSide.Command> onDecline(ResourceSide.Decline msg) {
        var ids = msg.offerIds().stream().filter(desk::rescind)
                .map(id -> Protos.OfferID.newBuilder().setValue(id).build()).toList();
        if (!ids.isEmpty() && subscribed) {
            send(MesosCalls.decline(framework(), ids, desk.declineRefuse(wantOffers)));
        }
        return this;
    }

    private Behavior<ResourceSide.Command> onKill(ResourceSide.Kill msg) {
        if (subscribed) {
            send(MesosCalls.kill(framework(), MesosTasks.taskId(msg.taskId()), tasks.agent(msg.taskId())));
        } else {
            // The cluster repeats a kill that is not confirmed; after the next subscription it goes through.
            getContext().getLog().info("Not connected to Mesos: the kill of {} waits for the cluster's next try", msg.taskId());
        }
        return this;
    }

    /** A task still running is killed; its volume is destroyed once its cluster no longer holds it (see {@link OfferDesk}). */
    private Behavior<ResourceSide.Command> onRelease(ResourceSide.Release msg) {
        if (tasks.isLive(msg.taskId())) {
            onKill(new ResourceSide.Kill(msg.taskId()));
        }
        return this;
    }

    private Behavior<ResourceSide.Command> onSend(ResourceSide.Send msg) {
        var agent = tasks.agent(msg.taskId());
        if (!subscribed || agent.isEmpty()) {
            // Framework messages are at most once anyway; the cluster repeats what is not answered.
            getContext().getLog().info("Dropping {} for task {}: {}", msg.command().getClass().getSimpleName(), msg.taskId(),
                    subscribed ? "its agent is not known yet" : "not connected to Mesos");
            return this;
        }
        send(MesosCalls.message(framework(), agent.get(), MesosTasks.executorId(msg.taskId()), MesosJson.write(msg.command())));
        return this;
    }

    private Behavior<ResourceSide.Command> onReconcile(ResourceSide.Reconcile msg) {
        var ids = msg.tasks().stream().map(TaskData::taskId).toList();
        tasks.believed(ids);
        if (subscribed) {
            reconcile(ids);
        }
        return this;
    }

    private Behavior<ResourceSide.Command> onRevive() {
        wantOffers = true;
        revive();
        return this;
    }

    private Behavior<ResourceSide.Command> onSuppress() {
        wantOffers = false;
        if (subscribed && !desk.destroying()) { // volumes let go are destroyed when offered: offers must come
            send(MesosCalls.suppress(framework()));
        }
        return this;
    }

    // ---------------------------------------------------------------- the subscription

    private void connect() {
        int gen = ++generation;
        var self = getContext().getSelf();
        connectedTo = masters.master(masterIndex);
        if (connectedTo.isEmpty()) {
            getContext().getLog().warn("No leading Mesos master known in {}: disconnected until one is registered", settings.master());
            return;
        }
        var api = MesosConnection.schedulerApi(connectedTo.get());
        var uri = MesosConnection.authenticated(api, settings.framework().principal(), settings.secret().map(MesosSettings.Secret::value));
        getContext().getLog().info("Subscribing to the Mesos master at {} as {}", api,
                frameworkId.map(id -> "framework " + id).orElse("a new framework"));
        try {
            connection = Optional.of(MesosConnection.open(uri, MesosCalls.subscribe(settings.framework(), frameworkId),
                    event -> self.tell(new Received(gen, event)),
                    end -> self.tell(new StreamEnded(gen, end.map(Throwable::toString)))));
        } catch (RuntimeException e) {
            self.tell(new StreamEnded(gen, Optional.of(e.toString())));
        }
    }

    private Behavior<ResourceSide.Command> onReceived(Received msg) {
        if (msg.generation() != generation) {
            return this;
        }
        timers.startSingleTimer(HeartbeatsMissed.class, new HeartbeatsMissed(generation), heartbeatWatch);
        var event = msg.event();
        switch (event.getType()) {
            case SUBSCRIBED -> onSubscribed(event.getSubscribed());
            case OFFERS -> onOffers(event.getOffers().getOffersList());
            case RESCIND -> onRescind(event.getRescind().getOfferId().getValue());
            case UPDATE -> taskDesk.update(event.getUpdate().getStatus(), pacing::heardOf);
            case MESSAGE -> taskDesk.message(event.getMessage());
            case INVERSE_OFFERS -> send(MesosCalls.declineInverse(framework(),
                    event.getInverseOffers().getInverseOffersList().stream().map(Protos.InverseOffer::getId).toList()));
            case FAILURE -> taskDesk.failure(event.getFailure());
            case ERROR -> {
                return onError(event.getError().getMessage());
            }
            case HEARTBEAT -> { }
            default -> getContext().getLog().debug("Ignoring a {} event", event.getType());
        }
        return this;
    }

    private void onSubscribed(Event.Subscribed subscribedEvent) {
        var id = subscribedEvent.getFrameworkId().getValue();
        if (!frameworkId.equals(Optional.of(id))) {
            frameworkId = Optional.of(id);
            frameworkIdHook.accept(id);
        }
        subscribed = true;
        attempt = 0;
        double interval = subscribedEvent.hasHeartbeatIntervalSeconds() ? subscribedEvent.getHeartbeatIntervalSeconds() : 15;
        heartbeatWatch = Duration.ofMillis(Math.max(1, Math.round(interval * 1000 * settings.missedHeartbeats())));
        timers.startSingleTimer(HeartbeatsMissed.class, new HeartbeatsMissed(generation), heartbeatWatch);
        getContext().getLog().info("Subscribed to Mesos as framework {}", id);
        // A fresh subscription sends offers unless told otherwise; a re-subscription clears old refuse filters.
        if (wantOffers || desk.destroying()) {
            revive();
        } else {
            send(MesosCalls.suppress(framework()));
        }
        if (!tasks.live().isEmpty()) {
            reconcile(tasks.live());
        }
        pacing.reconcileImplicitly();
        offerSubscriber.ifPresent(s -> s.tell(ResourceSide.Connected.INSTANCE));
    }

    private void onOffers(List<Protos.Offer> received) {
        if (offerSubscriber.isEmpty()) {
            send(MesosCalls.decline(framework(), received.stream().map(Protos.Offer::getId).toList(), settings.declineRefuse()));
            return;
        }
        // No launch before every task believed live has answered the reconciliation: it may still run.
        var forward = desk.arrived(received, framework(), pacing.reconciling(), wantOffers);
        if (!forward.isEmpty()) {
            offerSubscriber.get().tell(new ResourceSide.OffersReceived(forward.stream().map(o -> MesosOffers.toOffer(o, role)).toList()));
        }
    }

    private void onRescind(String offerId) {
        if (desk.rescind(offerId)) {
            offerSubscriber.ifPresent(s -> s.tell(new ResourceSide.OfferRescinded(offerId)));
        }
    }

    private Behavior<ResourceSide.Command> onStreamEnded(StreamEnded msg) {
        if (msg.generation() == generation) {
            lose("the subscription ended" + msg.failure().map(f -> ": " + f).orElse(""));
        }
        return this;
    }

    private Behavior<ResourceSide.Command> onHeartbeatsMissed(HeartbeatsMissed msg) {
        if (msg.generation() == generation) {
            lose("no event for " + heartbeatWatch.toMillis() + " ms (" + settings.missedHeartbeats() + " heartbeats)");
        }
        return this;
    }

    /** ZooKeeper names another leading master, or none: leave the one we have, and follow the new one after the backoff. */
    private Behavior<ResourceSide.Command> onLeaderChanged(LeaderChanged msg) {
        if (connectedTo.isPresent() && !msg.master().equals(connectedTo)) {
            lose("the leading master is now " + msg.master().orElse("none"));
        } else if (connectedTo.isEmpty() && msg.master().isPresent() && !timers.isTimerActive(Connect.INSTANCE)) {
            connect();
        }
        return this;
    }

    /** The connection is gone: every offer is void; subscribe again after the backoff. */
    private void lose(String why) {
        generation++;
        connection.ifPresent(MesosConnection::close);
        connection = Optional.empty();
        connectedTo = Optional.empty();
        timers.cancel(HeartbeatsMissed.class);
        pacing.stop();
        desk.clear();
        taskDesk.disconnected();
        if (subscribed) {
            subscribed = false;
            offerSubscriber.ifPresent(s -> s.tell(ResourceSide.Disconnected.INSTANCE));
        }
        masterIndex++;
        var delay = settings.backoff().delay(++attempt, ThreadLocalRandom.current().nextDouble());
        getContext().getLog().warn("Lost the Mesos master ({}); subscribing again in {} ms", why, delay.toMillis());
        timers.startSingleTimer(Connect.INSTANCE, Connect.INSTANCE, delay);
    }

    private Behavior<ResourceSide.Command> withDesk(Runnable change) {
        change.run();
        return this;
    }

    /**
     * The master removed the framework (its failover timeout passed, or an operator tore it down):
     * its tasks are gone; subscribe again as a new framework, and the clusters replace them. Any
     * other error (authentication, authorization) stops the gateway, and with it the scheduler.
     */
    private Behavior<ResourceSide.Command> onError(String message) {
        if (message.toLowerCase(java.util.Locale.ROOT).contains("removed")) {
            getContext().getLog().error("Mesos removed framework {} ({}): subscribing again as a new framework",
                    frameworkId.orElse("?"), message);
            frameworkId = Optional.empty();
            lose("the framework was removed");
            return this;
        }
        getContext().getLog().error("Mesos refuses the framework: {}. Stopping the scheduler; check --principal, --secret-file "
                + "and --role against the master's ACLs", message);
        return Behaviors.stopped();
    }

    private Behavior<ResourceSide.Command> onStop() {
        connection.ifPresent(MesosConnection::close);
        masters.close();
        return this;
    }

    // ---------------------------------------------------------------- helpers

    private void reconcile(List<TaskId> ids) {
        pacing.reconcile(framework(), ids, tasks);
    }

    private void revive() {
        if (subscribed) {
            pacing.revive(framework());
        }
    }

    private Behavior<ResourceSide.Command> onTick(CallPacing.Tick tick) {
        if (subscribed) {
            pacing.onTick(tick, framework(), tasks, wantOffers || desk.destroying());
        }
        return this;
    }

    private Protos.FrameworkID framework() {
        return MesosCalls.id(frameworkId.orElseThrow());
    }

    private void send(Call call) {
        var self = getContext().getSelf();
        connection.ifPresent(c -> c.send(call, (refused, error) -> self.tell(new CallRefused(refused.getType(), error.toString()))));
    }
}

package io.mysos.actors.mesos;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.SignalHandler;
import io.mysos.actors.JournalBackoff;
import io.mysos.actors.JsonSerializable;
import io.mysos.actors.resource.ResourceSide;
import java.util.Optional;

/**
 * The Mesos resource side with a memory: the framework id the master assigned is an event
 * ({@link FrameworkIdAssigned}, persistence id {@code mesos-framework}), so a restarted scheduler
 * subscribes as the same framework and Mesos hands its running tasks back. After the recovery it
 * starts the {@link MesosGateway} with the recorded id and passes every resource-side command on.
 *
 * <p>A plain {@code EventSourcedBehavior}: the resource-side protocol has no replies to enforce.
 */
public final class MesosFramework extends EventSourcedBehavior<ResourceSide.Command, MesosFramework.FrameworkIdAssigned, MesosFramework.State> {

    /** The master gave the framework this id (first subscription, or a new one after the old framework was removed). */
    public record FrameworkIdAssigned(String frameworkId) implements JsonSerializable {}

    public record State(Optional<String> frameworkId) implements JsonSerializable {}

    private record Assigned(String frameworkId) implements ResourceSide.Command {}

    static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("mesos-framework");

    private final ActorContext<ResourceSide.Command> context;
    private final MesosSettings settings;
    private Optional<ActorRef<ResourceSide.Command>> gateway = Optional.empty();

    public static Behavior<ResourceSide.Command> create(MesosSettings settings) {
        return Behaviors.setup(context -> new MesosFramework(context, settings));
    }

    private MesosFramework(ActorContext<ResourceSide.Command> context, MesosSettings settings) {
        super(PERSISTENCE_ID, JournalBackoff.strategy());
        this.context = context;
        this.settings = settings;
    }

    @Override
    public State emptyState() {
        return new State(settings.frameworkId());
    }

    @Override
    public CommandHandler<ResourceSide.Command, FrameworkIdAssigned, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Assigned.class, (state, cmd) -> state.frameworkId().equals(Optional.of(cmd.frameworkId()))
                        ? Effect().none() : Effect().persist(new FrameworkIdAssigned(cmd.frameworkId())))
                .onAnyCommand(cmd -> {
                    gateway.ifPresent(g -> g.tell(cmd));
                    return Effect().none();
                });
    }

    @Override
    public EventHandler<State, FrameworkIdAssigned> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(FrameworkIdAssigned.class, (state, event) -> new State(Optional.of(event.frameworkId())))
                .build();
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::startGateway)
                .build();
    }

    private void startGateway(State state) {
        if (gateway.isPresent()) {
            return;
        }
        var self = context.getSelf();
        gateway = Optional.of(context.spawn(MesosGateway.create(settings.withFrameworkId(state.frameworkId()),
                id -> self.tell(new Assigned(id))), "gateway"));
        // The gateway stopping for good leaves nothing to hand out resources: stop too, so the guardian sees it.
        context.watch(gateway.get());
    }
}

package io.mysos.it.journal;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.SnapshotAdapter;
import akka.persistence.typed.SnapshotCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The journal tests' own event-sourced actor: it records items, snapshots every 3 events and
 * says whether its state came back from a snapshot, so a test proves the snapshot store is read.
 */
final class Tally extends EventSourcedBehaviorWithEnforcedReplies<Tally.Command, Tally.Event, Tally.State> {

    /** Bound to jackson-json in journal-test.conf. */
    interface Json {
    }

    sealed interface Command {
    }

    record Add(String item, ActorRef<Done> replyTo) implements Command {
    }

    record Get(ActorRef<Report> replyTo) implements Command {
    }

    sealed interface Event extends Json {
    }

    record Added(String item, int version) implements Event {
    }

    record State(List<String> items) implements Json {
        State add(String item) {
            var next = new ArrayList<>(items);
            next.add(item);
            return new State(List.copyOf(next));
        }
    }

    record Report(State state, boolean restoredFromSnapshot) {
    }

    static final int SNAPSHOT_EVERY = 3;

    private final String tag;
    private final ActorRef<Long> snapshots;
    private boolean restoredFromSnapshot;

    private Tally(PersistenceId id, String tag, ActorRef<Long> snapshots) {
        super(id);
        this.tag = tag;
        this.snapshots = snapshots;
    }

    /** @param snapshots told the sequence number of every snapshot saved */
    static Behavior<Command> create(String persistenceId, String tag, ActorRef<Long> snapshots) {
        return Behaviors.setup(context -> new Tally(PersistenceId.ofUniqueId(persistenceId), tag, snapshots));
    }

    @Override
    public State emptyState() {
        return new State(List.of());
    }

    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Add.class, (state, add) -> Effect().persist(new Added(add.item(), 1)).thenReply(add.replyTo(), s -> Done.getInstance()))
                .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), new Report(state, restoredFromSnapshot)))
                .build();
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Added.class, (state, added) -> state.add(added.item()))
                .build();
    }

    @Override
    public Set<String> tagsFor(Event event) {
        return Set.of(tag);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(SnapshotCompleted.class, (state, completed) -> snapshots.tell(completed.metadata().sequenceNr()))
                .build();
    }

    @Override
    public SnapshotAdapter<State> snapshotAdapter() {
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(State state) {
                return state;
            }

            @Override
            public State fromJournal(Object stored) {
                restoredFromSnapshot = true;
                return (State) stored;
            }
        };
    }
}

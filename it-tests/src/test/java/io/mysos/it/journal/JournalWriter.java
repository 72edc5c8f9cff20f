package io.mysos.it.journal;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import java.util.List;
import java.util.Set;

/**
 * Writes prepared events under a persistence id, with the tag the real actor would give them: a
 * benchmark's way to fill a journal with a thousand clusters' histories without driving each one.
 */
final class JournalWriter extends EventSourcedBehavior<JournalWriter.Write, Object, Long> {

    /** Persist {@code events} in one atomic write, then answer. */
    record Write(List<Object> events, ActorRef<Done> replyTo) {}

    private final String tag;

    private JournalWriter(PersistenceId id, String tag) {
        super(id);
        this.tag = tag;
    }

    static Behavior<Write> create(PersistenceId id, String tag) {
        return new JournalWriter(id, tag);
    }

    @Override
    public Long emptyState() {
        return 0L;
    }

    @Override
    public Set<String> tagsFor(Object event) {
        // As the cluster actor tags them (see ClusterActor.tagsFor).
        return event instanceof io.mysos.core.cluster.ClusterEvent.ClusterCreated ? Set.of(tag, "cluster-created") : Set.of(tag);
    }

    @Override
    public CommandHandler<Write, Object, Long> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Write.class, (state, write) -> Effect().persist(write.events()).thenReply(write.replyTo(), s -> Done.getInstance()))
                .build();
    }

    @Override
    public EventHandler<Long, Object> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> state + 1);
    }
}

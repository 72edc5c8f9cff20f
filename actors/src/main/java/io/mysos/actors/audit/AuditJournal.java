package io.mysos.actors.audit;

import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.persistence.query.PersistenceQuery;
import akka.persistence.query.Sequence;
import akka.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import akka.persistence.query.javadsl.CurrentEventsByTagQuery;
import akka.persistence.query.javadsl.EventsByTagQuery;
import akka.persistence.query.javadsl.ReadJournal;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.cluster.ClusterRegistry;
import io.mysos.core.audit.RecordedEvent;
import io.mysos.core.cluster.ClusterEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The audit's read side: a cluster's events, and all clusters' events in journal order, read back
 * through Akka Persistence Query (the JDBC plugin's read journal in production, the testkit's in
 * tests). Shared by the API's audit routes and {@code mysos audit}; it never writes.
 */
public final class AuditJournal {
    /** The tag every cluster actor's event carries (see {@link ClusterActor#tagsFor}). */
    public static final String CLUSTER_TAG = "cluster";
    /** The tag a cluster actor's {@code ClusterCreated} also carries: where each life of a name starts. */
    public static final String CREATED_TAG = "cluster-created";

    private final ActorSystem<?> system;
    private final ReadJournal journal;
    private final Map<String, LifeStarts> lifeStarts = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicReference<CreatedIndex> createdIndex =
            new java.util.concurrent.atomic.AtomicReference<>(new CreatedIndex(0, Map.of()));

    /** On the read journal configured as {@code mysos.audit.read-journal} (the JDBC plugin's by default). */
    public AuditJournal(ActorSystem<?> system) {
        this(system, system.settings().config().getString("mysos.audit.read-journal"));
    }

    public AuditJournal(ActorSystem<?> system, String readJournalPluginId) {
        this.system = system;
        this.journal = PersistenceQuery.get(system).getReadJournalFor(ReadJournal.class, readJournalPluginId);
    }

    /** One event of any cluster, with its place in the journal ({@code offset}, what {@code after} continues from). */
    public record TaggedEvent(long offset, String cluster, RecordedEvent recorded) {}

    /** Every event ever recorded under the cluster name (all its lives), in order. */
    public CompletionStage<ClusterHistory> history(String cluster) {
        var query = (CurrentEventsByPersistenceIdQuery) journal;
        return query.currentEventsByPersistenceId(ClusterActor.persistenceId(cluster).id(), 0, Long.MAX_VALUE)
                .filter(env -> env.event() instanceof ClusterEvent)
                .map(AuditJournal::recorded)
                .runWith(Sink.seq(), system)
                .thenApply(events -> new ClusterHistory(cluster, events));
    }

    /** A page of one life's events. */
    public record LifePage(int incarnation, List<RecordedEvent> events) {}

    /** Where each life of a cluster name starts, as far as the journal has been read ({@code scannedTo}). */
    private record LifeStarts(long scannedTo, List<Long> starts) {
        LifeStarts seen(EventEnvelope env) {
            if (env.event() instanceof ClusterEvent.ClusterCreated) {
                var more = new ArrayList<>(starts);
                more.add(env.sequenceNr());
                return new LifeStarts(env.sequenceNr(), List.copyOf(more));
            }
            return new LifeStarts(env.sequenceNr(), starts);
        }
    }

    /**
     * Up to {@code limit} events of one life (the given incarnation, or the newest) from sequence
     * number {@code fromSeq} on that {@code wanted} accepts; empty when there is no such life. Only the
     * page is read, plus the events written since the last call (to learn where lives start): a
     * cluster with a long history answers a page as fast as a short one.
     */
    public CompletionStage<Optional<LifePage>> lifePage(String cluster, Optional<Integer> incarnation, long fromSeq,
                                                        Predicate<RecordedEvent> wanted, int limit) {
        var query = (CurrentEventsByPersistenceIdQuery) journal;
        var pid = ClusterActor.persistenceId(cluster).id();
        return lifeStarts(cluster).thenCompose(starts -> {
            int chosen = incarnation.orElse(starts.size());
            if (chosen < 1 || chosen > starts.size()) {
                return CompletableFuture.completedFuture(Optional.<LifePage>empty());
            }
            long start = starts.get(chosen - 1);
            long first = Math.max(fromSeq, start);
            long last = chosen < starts.size() ? starts.get(chosen) - 1 : Long.MAX_VALUE;
            return query.currentEventsByPersistenceId(pid, first, last)
                    .filter(env -> env.event() instanceof ClusterEvent)
                    // The tag is read a moment behind the journal: a creation it has not shown yet still ends the life.
                    .takeWhile(env -> env.sequenceNr() == start || !(env.event() instanceof ClusterEvent.ClusterCreated))
                    .map(AuditJournal::recorded)
                    .filter(wanted::test)
                    .take(limit)
                    .runWith(Sink.seq(), system)
                    .thenApply(events -> Optional.of(new LifePage(chosen, events)));
        });
    }

    /**
     * Where each life of the name starts. From the {@value #CREATED_TAG} tag when it has the first
     * life (sequence number 1): every later creation was tagged too. A journal written before the tag
     * existed is read through once (what was read is remembered).
     */
    private CompletionStage<List<Long>> lifeStarts(String cluster) {
        var pid = ClusterActor.persistenceId(cluster).id();
        return createdIndex().thenCompose(index -> {
            var tagged = index.starts().getOrDefault(pid, List.of());
            if (!tagged.isEmpty() && tagged.get(0) == 1L) {
                return CompletableFuture.completedFuture(tagged);
            }
            return scannedLifeStarts(cluster);
        });
    }

    /** Every cluster's {@code ClusterCreated} positions from the tag, read on from where the last call stopped. */
    private CompletionStage<CreatedIndex> createdIndex() {
        var known = createdIndex.get();
        var offset = known.offset() == 0 ? Offset.noOffset() : Offset.sequence(known.offset());
        try {
            return ((CurrentEventsByTagQuery) journal).currentEventsByTag(CREATED_TAG, offset)
                    .runWith(Sink.fold(known, CreatedIndex::seen), system)
                    .thenApply(index -> {
                        createdIndex.accumulateAndGet(index, (a, b) -> a.offset() >= b.offset() ? a : b);
                        return index;
                    })
                    .exceptionally(e -> known);
        } catch (UnsupportedOperationException e) {
            return CompletableFuture.completedFuture(known);
        }
    }

    private CompletionStage<List<Long>> scannedLifeStarts(String cluster) {
        var query = (CurrentEventsByPersistenceIdQuery) journal;
        var known = lifeStarts.getOrDefault(cluster, new LifeStarts(0, List.of()));
        return query.currentEventsByPersistenceId(ClusterActor.persistenceId(cluster).id(), known.scannedTo() + 1, Long.MAX_VALUE)
                .runWith(Sink.fold(known, LifeStarts::seen), system)
                .thenApply(scanned -> {
                    lifeStarts.merge(cluster, scanned, (a, b) -> a.scannedTo() >= b.scannedTo() ? a : b);
                    return scanned.starts();
                });
    }

    /** The tagged creations read so far: per persistence id, the sequence numbers of its {@code ClusterCreated} events. */
    private record CreatedIndex(long offset, Map<String, List<Long>> starts) {
        CreatedIndex seen(EventEnvelope env) {
            var more = new java.util.HashMap<>(starts);
            var list = new ArrayList<>(more.getOrDefault(env.persistenceId(), List.of()));
            if (!list.contains(env.sequenceNr())) {
                list.add(env.sequenceNr());
                list.sort(null);
            }
            more.put(env.persistenceId(), List.copyOf(list));
            long next = env.offset() instanceof Sequence seq ? Math.max(offset, seq.value()) : offset;
            return new CreatedIndex(next, Map.copyOf(more));
        }
    }

    /** Every name a cluster was ever registered under, in the order of their first registration. */
    public CompletionStage<List<String>> clusterNames() {
        var query = (CurrentEventsByPersistenceIdQuery) journal;
        return query.currentEventsByPersistenceId(ClusterRegistry.PERSISTENCE_ID.id(), 0, Long.MAX_VALUE)
                .map(EventEnvelope::event)
                .filter(e -> e instanceof ClusterRegistry.ClusterRegistered)
                .map(e -> ((ClusterRegistry.ClusterRegistered) e).spec().name())
                .runWith(Sink.seq(), system)
                .thenApply(names -> names.stream().distinct().toList());
    }

    /** Every cluster's events after journal offset {@code after}, up to now. */
    public Source<TaggedEvent, NotUsed> currentEvents(long after) {
        return ((CurrentEventsByTagQuery) journal).currentEventsByTag(CLUSTER_TAG, Offset.sequence(after))
                .filter(env -> env.event() instanceof ClusterEvent)
                .map(AuditJournal::tagged);
    }

    /** Every cluster's events after journal offset {@code after}, and those recorded from now on. */
    public Source<TaggedEvent, NotUsed> liveEvents(long after) {
        return ((EventsByTagQuery) journal).eventsByTag(CLUSTER_TAG, Offset.sequence(after))
                .filter(env -> env.event() instanceof ClusterEvent)
                .map(AuditJournal::tagged);
    }

    private static RecordedEvent recorded(EventEnvelope env) {
        return new RecordedEvent(env.sequenceNr(), Instant.ofEpochMilli(env.timestamp()), (ClusterEvent) env.event());
    }

    private static TaggedEvent tagged(EventEnvelope env) {
        long offset = env.offset() instanceof Sequence seq ? seq.value() : 0;
        var pid = env.persistenceId();
        var cluster = pid.substring(pid.indexOf('|') + 1);
        return new TaggedEvent(offset, cluster, recorded(env));
    }
}

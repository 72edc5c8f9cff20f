package io.mysos.it.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorSystem;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.persistence.query.PersistenceQuery;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.Sink;
import io.mysos.journal.JournalKind;
import io.mysos.journal.JournalSchema;
import io.mysos.journal.JournalSchemaException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * One journal's whole life in a test: create the schema, persist events and a snapshot, stop the
 * ActorSystem, start a new one, recover the same state from the snapshot plus the later events,
 * and read the events back with Akka Persistence Query.
 */
final class JournalRoundTrip {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<String> ITEMS = List.of("a", "b", "c", "d", "e");

    private JournalRoundTrip() {
    }

    static void run(JournalKind kind, String url, String user, String password) {
        createSchema(kind, url, user, password);
        // The databases are shared and keep their data: every run gets its own persistence id and tag.
        String run = "journal-test-" + UUID.randomUUID();
        var config = JournalTestConfig.of(kind, url, user, password);
        var expected = new Tally.State(ITEMS);

        ActorTestKit first = ActorTestKit.create("journal-" + kind.id() + "-first", config);
        try {
            TestProbe<Long> snapshots = first.createTestProbe();
            TestProbe<Done> done = first.createTestProbe();
            var tally = first.spawn(Tally.create(run, run, snapshots.ref()));
            for (String item : ITEMS) {
                tally.tell(new Tally.Add(item, done.ref()));
                done.expectMessage(WAIT, Done.getInstance());
            }
            snapshots.expectMessage(WAIT, (long) Tally.SNAPSHOT_EVERY);
            Tally.Report report = ask(first, tally);
            assertEquals(expected, report.state());
            assertFalse(report.restoredFromSnapshot());
        } finally {
            first.shutdownTestKit();
        }

        ActorTestKit second = ActorTestKit.create("journal-" + kind.id() + "-second", config);
        try {
            var tally = second.spawn(Tally.create(run, run, second.<Long>createTestProbe().ref()));
            Tally.Report report = ask(second, tally);
            assertEquals(expected, report.state(), "state recovered by a new ActorSystem");
            assertTrue(report.restoredFromSnapshot(), "recovery must start from the snapshot at " + Tally.SNAPSHOT_EVERY);

            JdbcReadJournal queries = PersistenceQuery.get(second.system())
                    .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
            var byId = collect(second.system(), queries.currentEventsByPersistenceId(run, 0L, Long.MAX_VALUE));
            assertEquals(expectedEvents(), byId.stream().map(EventEnvelope::event).toList());
            assertEquals(LongStream.rangeClosed(1, ITEMS.size()).boxed().toList(),
                    byId.stream().map(EventEnvelope::sequenceNr).toList());
            assertTrue(byId.stream().allMatch(e -> e.persistenceId().equals(run)));

            var byTag = collect(second.system(), queries.currentEventsByTag(run, Offset.noOffset()));
            assertEquals(expectedEvents(), byTag.stream().map(EventEnvelope::event).toList());
        } finally {
            second.shutdownTestKit();
        }
    }

    static void createSchema(JournalKind kind, String url, String user, String password) {
        try {
            JournalSchema.createIfMissing(url, user, password, kind);
        } catch (JournalSchemaException e) {
            fail(e.getMessage() + "\n(bin/test starts PostgreSQL and MariaDB before running the tests)", e);
        }
    }

    private static List<Tally.Added> expectedEvents() {
        return ITEMS.stream().map(item -> new Tally.Added(item, 1)).toList();
    }

    private static Tally.Report ask(ActorTestKit kit, akka.actor.typed.ActorRef<Tally.Command> tally) {
        TestProbe<Tally.Report> reports = kit.createTestProbe();
        tally.tell(new Tally.Get(reports.ref()));
        return reports.expectMessageClass(Tally.Report.class, WAIT);
    }

    private static List<EventEnvelope> collect(ActorSystem<?> system, Source<EventEnvelope, ?> events) {
        try {
            return events.runWith(Sink.seq(), system).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("reading the journal back failed", e);
        }
    }
}

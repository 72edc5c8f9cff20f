package io.mysos.it.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.EventEnvelope;
import akka.persistence.query.Offset;
import akka.persistence.query.PersistenceQuery;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import io.mysos.actors.cluster.ClusterView;
import io.mysos.core.cluster.ClusterStatus;
import io.mysos.core.task.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * A real cluster's whole life on one journal, across three ActorSystems as across three
 * scheduler starts: created with 3 nodes, the epoch-0 master elected, the master lost and a
 * replica elected and promoted, a replacement placed, shrunk to 2 nodes; then a new ActorSystem
 * recovers the same cluster; it is deleted; and after one more start it is gone while every event
 * stays readable, by Akka Persistence Query and by plain SQL, with no password in clear.
 */
final class ClusterLifeRoundTrip {

    private static final String NAME = "orders";

    /** Every event of the life below, in order. */
    private static final List<String> HISTORY = List.of(
            "ClusterCreated", "ReplicaAdded", "ReplicaAdded", "ReplicaAdded",
            "TaskStateChanged", "MasterElected", "TaskStateChanged", "TaskStateChanged",
            // the master dies
            "TaskStateChanged", "MasterLost", "ElectionStarted", "MasterElected", "FailoverCompleted",
            // its replacement, then the shrink
            "ReplicaAdded", "TaskStateChanged", "ClusterResized", "TaskStateChanged",
            // the delete
            "ClusterDeletionRequested", "TaskStateChanged", "TaskStateChanged", "ClusterTerminated");

    private ClusterLifeRoundTrip() {
    }

    static void run(ScratchJournal journal) {
        String password = "Pw-" + UUID.randomUUID();
        String system = "cluster-life-" + journal.kind().id();
        ClusterDriver.Node master;
        ClusterDriver.Node replica;
        ClusterDriver.Recorded before;

        try (var first = ClusterDriver.start(system + "-1", journal.config())) {
            var failedOver = createFailOverAndShrink(first, password);
            master = failedOver.get(0);
            replica = failedOver.get(1);
            before = ClusterDriver.Recorded.of(first.view(NAME).orElseThrow());
        }

        try (var second = ClusterDriver.start(system + "-2", journal.config())) {
            var recovered = second.view(NAME).orElseThrow(() -> new AssertionError("cluster " + NAME + " not recovered"));
            assertEquals(before, ClusterDriver.Recorded.of(recovered), "the cluster as a new ActorSystem recovers it");
            assertEquals(Set.of(master.taskId(), replica.taskId()), second.expectReconcile(), "the live instances are reconciled");

            // The recovered actor takes up its roles in the recovered epoch.
            second.status(master, TaskState.RUNNING, running(master));
            second.expectPromote(master, 1);
            second.promoted(master, 1);
            second.status(replica, TaskState.RUNNING, running(replica));
            second.expectReparent(replica, 1, master);
            second.reparented(replica, 1, master);
            second.awaitView(NAME, "running again", v -> v.status() == ClusterStatus.RUNNING);

            var delete = second.delete(NAME, password);
            assertEquals("deleting", delete.done());
            second.expectKill(master);
            second.expectKill(replica);
            second.status(replica, TaskState.KILLED, "mysqld stopped");
            second.status(master, TaskState.KILLED, "mysqld stopped");
            second.awaitGone(NAME);
        }

        try (var third = ClusterDriver.start(system + "-3", journal.config())) {
            assertEquals(Optional.empty(), third.view(NAME), "a deleted cluster stays deleted after a restart");
            assertEquals(List.of(), third.list());
            assertHistoryByQuery(third.kit().system());
        }
        assertHistoryBySql(journal.tables(), password);
    }

    /** The first start's work; returns the new master and the replica that stays. */
    static List<ClusterDriver.Node> createFailOverAndShrink(ClusterDriver driver, String password) {
        driver.create(NAME, 3, password);
        driver.expectDemand(NAME, 3);
        var first = driver.place(NAME, "10.0.0.1", 31001);
        var second = driver.place(NAME, "10.0.0.2", 31002);
        var third = driver.place(NAME, "10.0.0.3", 31003);
        driver.expectDemand(NAME, 0);

        for (var node : List.of(first, second, third)) {
            driver.status(node, TaskState.RUNNING, running(node));
        }
        driver.expectPromote(first, 0);
        driver.promoted(first, 0);
        for (var replica : List.of(second, third)) {
            driver.expectReparent(replica, 0, first);
            driver.reparented(replica, 0, first);
        }
        driver.awaitView(NAME, "running with its epoch-0 master", v -> v.status() == ClusterStatus.RUNNING);

        // The master dies: it is fenced, and the replicas are asked how far they got.
        driver.status(first, TaskState.FAILED, "mysqld exited with signal 9");
        driver.expectKill(first);
        driver.expectPositionQuery(second, 1);
        driver.expectPositionQuery(third, 1);
        driver.position(second, 1, "0-1-100");
        driver.position(third, 1, "0-1-120");
        driver.expectPromote(third, 1);
        driver.promoted(third, 1);
        driver.expectReparent(second, 1, third);
        driver.reparented(second, 1, third);

        // A replacement for the lost master, once the new one takes writes.
        driver.expectDemand(NAME, 1);
        var fourth = driver.place(NAME, "10.0.0.4", 31004);
        driver.status(fourth, TaskState.RUNNING, running(fourth));
        driver.expectReparent(fourth, 1, third);
        driver.reparented(fourth, 1, third);
        var full = driver.awaitView(NAME, "running with its epoch-1 master", v -> v.status() == ClusterStatus.RUNNING);
        assertEquals(third.taskId().value(), full.master().orElseThrow().taskId());
        var failover = full.lastFailover().orElseThrow();
        assertEquals(List.of(1L, first.taskId().value(), third.taskId().value()),
                List.of(failover.epoch(), failover.from().orElseThrow(), failover.to()));

        // Shrink to 2: the most lagging replica goes.
        var resize = driver.resize(NAME, 2, password);
        driver.expectPositionQuery(second, 1);
        driver.expectPositionQuery(fourth, 1);
        driver.position(second, 1, "0-3-130");
        driver.position(fourth, 1, "0-3-128");
        assertEquals("resizing from 3 to 2 nodes", resize.done());
        driver.expectKill(fourth);
        driver.status(fourth, TaskState.KILLED, "mysqld stopped");
        var shrunk = driver.awaitView(NAME, "shrunk to 2 nodes", v -> v.numNodes() == 2
                && v.ended().stream().anyMatch(e -> e.taskId().equals(fourth.taskId().value()) && e.state() == TaskState.KILLED));
        assertEquals(1, shrunk.epoch());
        // Live instances only in replicas; the ended ones apart, newest first, with when they ended.
        assertEquals(List.of(second.taskId().value()), shrunk.replicas().stream().map(ClusterView.InstanceView::taskId).toList());
        assertEquals(List.of(fourth.taskId().value(), first.taskId().value()),
                shrunk.ended().stream().map(ClusterView.EndedView::taskId).toList());
        assertTrue(shrunk.ended().stream().allMatch(e -> e.at().isPresent()), shrunk.toString());
        return List.of(third, second);
    }

    private static String running(ClusterDriver.Node node) {
        return "mysqld accepts connections on " + node.host() + ":" + node.port();
    }

    private static void assertHistoryByQuery(ActorSystem<?> system) {
        var queries = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        String pid = ClusterDriver.clusterPersistenceId(NAME);

        var byId = collect(system, queries.currentEventsByPersistenceId(pid, 0L, Long.MAX_VALUE));
        assertEquals(HISTORY, types(byId), "the cluster's events by persistence id");
        assertEquals(LongStream.rangeClosed(1, HISTORY.size()).boxed().toList(), byId.stream().map(EventEnvelope::sequenceNr).toList());

        var byTag = collect(system, queries.currentEventsByTag(ClusterDriver.clusterTag(), Offset.noOffset()));
        assertEquals(HISTORY, types(byTag), "the cluster's events by tag");
        assertTrue(byTag.stream().allMatch(e -> e.persistenceId().equals(pid)));

        var registry = collect(system, queries.currentEventsByPersistenceId(ClusterDriver.registryPersistenceId(), 0L, Long.MAX_VALUE));
        assertEquals(List.of("ClusterRegistered", "ClusterRemoved"), types(registry), "the registry's events");
    }

    /** What an operator finds with SQL: JSON documents, in order, with what happened and without the password. */
    private static void assertHistoryBySql(JournalTables tables, String password) {
        var rows = tables.events(ClusterDriver.clusterPersistenceId(NAME));
        assertEquals(HISTORY, rows.stream().map(JournalTables.Row::type).toList());
        for (var row : rows) {
            assertFalse(row.gzipped(), row.type() + " is stored as plain JSON");
            assertTrue(row.json().isObject(), row.type());
        }
        var elected = rows.get(11).json();
        assertEquals(1, elected.path("epoch").asLong(), elected.toString());
        assertEquals("mysos-orders-3", elected.path("taskId").asText(), elected.toString());
        assertEquals("mariadb:0-1-120", elected.path("positions").path("mysos-orders-3").asText(), elected.toString());
        var completed = rows.get(12).json();
        assertEquals(List.of("mysos-orders-1", "mysos-orders-3"),
                List.of(completed.path("oldMaster").asText(), completed.path("newMaster").asText()), completed.toString());
        var resized = rows.get(15).json();
        assertEquals(List.of(3, 2, "mysos-orders-4"),
                List.of(resized.path("from").asInt(), resized.path("to").asInt(), resized.path("removed").path(0).asText()),
                resized.toString());
        for (var row : rows) {
            if (row.type().equals("TaskStateChanged")) {
                var at = row.json().path("at").asText();
                assertTrue(!at.isEmpty() && Instant.parse(at).isAfter(Instant.EPOCH), "a task's change records when: " + row.json());
            }
        }
        var created = rows.get(0).json();
        assertTrue(created.path("secrets").path("passwordHash").isObject(), "the hash is kept: " + created);

        var everything = new java.util.ArrayList<>(tables.allEvents());
        everything.addAll(tables.allSnapshots());
        assertTrue(everything.size() > HISTORY.size());
        for (var row : everything) {
            assertFalse(row.text().contains(password), row.persistenceId() + " " + row.type() + " holds the password in clear");
        }
    }

    private static List<String> types(List<EventEnvelope> envelopes) {
        return envelopes.stream().map(e -> ClusterDriver.eventType(e.event())).toList();
    }

    private static List<EventEnvelope> collect(ActorSystem<?> system, Source<EventEnvelope, ?> events) {
        try {
            return events.runWith(Sink.seq(), system).toCompletableFuture().get(ClusterDriver.WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("reading the journal back failed", e);
        }
    }
}

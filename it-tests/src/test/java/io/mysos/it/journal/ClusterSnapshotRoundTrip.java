package io.mysos.it.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.task.TaskState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A long-lived cluster recovered from its snapshot: enough task status changes to pass the cluster
 * actor's snapshot interval, then a new ActorSystem on a journal that has lost the events the
 * snapshot covers (as retention that deletes on snapshot would leave it), so only a recovery that
 * reads the snapshot can bring the cluster back.
 */
final class ClusterSnapshotRoundTrip {

    /** The cluster actor's RetentionCriteria.snapshotEvery(200, 2). */
    static final int SNAPSHOT_EVERY = 200;
    private static final String NAME = "orders";
    /** Events after the snapshot, recovered by replay on top of it. */
    private static final int AFTER_SNAPSHOT = 10;

    private ClusterSnapshotRoundTrip() {
    }

    /**
     * @param nodes instances of the cluster
     * @param messageLength length of each status message; long ones make a large snapshot. They are
     *     random letters and digits, so that compression cannot make the stored snapshot small again.
     * @param storedAtLeast how many bytes the database must hold of the snapshot's payload, so a
     *     test of large payloads proves it stored one
     */
    static void run(ScratchJournal journal, int nodes, int messageLength, long storedAtLeast) {
        String password = "Pw-" + UUID.randomUUID();
        String pid = ClusterDriver.clusterPersistenceId(NAME);
        String system = "cluster-snapshot-" + journal.kind().id();
        var tables = journal.tables();
        var messages = new Messages(messageLength);
        List<ClusterDriver.Node> placed = new ArrayList<>();
        Map<ClusterDriver.Node, String> atSnapshot;
        Map<ClusterDriver.Node, String> last;
        ClusterDriver.Recorded before;

        try (var first = ClusterDriver.start(system + "-1", journal.config())) {
            first.create(NAME, nodes, password);
            first.expectDemand(NAME, nodes);
            for (int i = 1; i <= nodes; i++) {
                placed.add(first.place(NAME, "10.0.0." + i, 31000 + i));
            }
            var current = new LinkedHashMap<ClusterDriver.Node, String>();
            for (var node : placed) {
                current.put(node, "mysqld accepts connections on " + node.host() + ":" + node.port());
                first.status(node, TaskState.RUNNING, current.get(node));
            }
            // ClusterCreated, a ReplicaAdded and a TaskStateChanged per instance, MasterElected(0).
            long recorded = 2L * nodes + 2;
            atSnapshot = Map.of();
            for (int i = 0; recorded < SNAPSHOT_EVERY + AFTER_SNAPSHOT; i++) {
                var node = placed.get(i % nodes);
                current.put(node, messages.next());
                first.status(node, TaskState.RUNNING, current.get(node));
                if (++recorded == SNAPSHOT_EVERY) {
                    atSnapshot = Map.copyOf(current);
                }
            }
            last = Map.copyOf(current);
            before = ClusterDriver.Recorded.of(first.view(NAME).orElseThrow());
            assertEquals(SNAPSHOT_EVERY + AFTER_SNAPSHOT, tables.events(pid).size());
            first.kit().createTestProbe().awaitAssert(ClusterDriver.WAIT, () -> {
                assertEquals(List.of((long) SNAPSHOT_EVERY), tables.snapshots(pid).stream().map(JournalTables.Row::sequenceNr).toList());
                return null;
            });
        }

        long stored = tables.storedSnapshotBytes(pid, SNAPSHOT_EVERY);
        assertTrue(stored >= storedAtLeast, "the database holds " + stored + " bytes of the snapshot, not at least "
                + storedAtLeast + " (a MySQL BLOB column holds 65535)");
        var snapshot = tables.snapshots(pid).get(0);
        // Found wherever the state's shape puts them: the test is about the journal, not that shape.
        var instances = snapshot.json().findValue("instances");
        assertTrue(instances != null && instances.isArray(), "no instances in the snapshot: " + snapshot.text());
        Map<String, String> messagesInSnapshot = new LinkedHashMap<>();
        instances.forEach(i -> messagesInSnapshot.put(i.path("taskId").asText(), i.path("message").asText()));
        assertEquals(atSnapshot.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().taskId().value(), Map.Entry::getValue)),
                messagesInSnapshot, "each instance's status as of event " + SNAPSHOT_EVERY);
        assertFalse(snapshot.text().contains(password), "the snapshot holds the password in clear");

        assertEquals(SNAPSHOT_EVERY, tables.deleteEventsUpTo(pid, SNAPSHOT_EVERY));

        try (var second = ClusterDriver.start(system + "-2", journal.config())) {
            var recovered = second.view(NAME).orElseThrow(() -> new AssertionError("cluster " + NAME + " not recovered"));
            assertEquals(before, ClusterDriver.Recorded.of(recovered), "the cluster recovered from snapshot and later events");
            assertEquals(placed.stream().map(ClusterDriver.Node::taskId).collect(Collectors.toSet()), second.expectReconcile());

            // Each instance's last status came back too: repeating it records nothing, a new one is
            // recorded after the recovered sequence number. (view() answers after earlier messages.)
            last.forEach((node, message) -> second.status(node, TaskState.RUNNING, message));
            second.view(NAME);
            assertEquals(SNAPSHOT_EVERY + AFTER_SNAPSHOT, lastSequenceNr(tables, pid), "repeated statuses recorded nothing");
            second.status(placed.get(0), TaskState.RUNNING, messages.next());
            second.view(NAME);
            assertEquals(SNAPSHOT_EVERY + AFTER_SNAPSHOT + 1, lastSequenceNr(tables, pid));
        }
    }

    private static long lastSequenceNr(JournalTables tables, String pid) {
        var events = tables.events(pid);
        return events.get(events.size() - 1).sequenceNr();
    }

    /** Task status messages: short ones as health checks write them, or long random ones. */
    private static final class Messages {
        private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        private final int length;
        private final Random random = new Random(42);
        private int count;

        Messages(int length) {
            this.length = length;
        }

        String next() {
            var text = new StringBuilder("check " + (++count) + ": ");
            while (text.length() < length) {
                text.append(LETTERS.charAt(random.nextInt(LETTERS.length())));
            }
            return text.toString();
        }
    }
}

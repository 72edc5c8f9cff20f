package io.mysos.executor.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

class PendingUpdatesTest {
    private static final Calls CALLS = new Calls("fw-1", "mysos-orders-1");
    private static final Instant T0 = Instant.parse("2026-12-01T03:00:00Z");
    private static final Protos.TaskInfo TASK = AgentEvents.task("mysos-orders-1", new byte[0], List.of());
    private static final Protos.TaskID ID = TASK.getTaskId();
    private final PendingUpdates pending = new PendingUpdates();

    @Test
    void keepsUpdatesInOrderUntilEachIsAcknowledged() {
        pending.launched(TASK);
        var starting = CALLS.update(ID, TaskState.STARTING, "starting", T0);
        var running = CALLS.update(ID, TaskState.RUNNING, "running", T0);
        pending.sent(starting, T0);
        pending.sent(running, T0);
        assertEquals(List.of(starting, running), pending.updates());
        assertEquals(List.of(TASK), pending.tasks(), "no update of the task is acknowledged yet");

        assertEquals(Optional.of(starting), pending.acknowledge(ID, starting.getStatus().getUuid()));
        assertEquals(List.of(running), pending.updates());
        assertEquals(List.of(), pending.tasks(), "the agent knows the task once it acknowledged an update of it");
        assertFalse(pending.isEmpty());

        assertEquals(Optional.of(running), pending.acknowledge(ID, running.getStatus().getUuid()));
        assertTrue(pending.isEmpty());
    }

    @Test
    void ignoresAnAcknowledgementOfAnotherTaskOrUuid() {
        var running = CALLS.update(ID, TaskState.RUNNING, "running", T0);
        pending.sent(running, T0);
        var other = Protos.TaskID.newBuilder().setValue("mysos-orders-2").build();
        assertEquals(Optional.empty(), pending.acknowledge(other, running.getStatus().getUuid()));
        var unknownUuid = CALLS.update(ID, TaskState.RUNNING, "running", T0).getStatus().getUuid();
        assertEquals(Optional.empty(), pending.acknowledge(ID, unknownUuid));
        assertEquals(List.of(running), pending.updates());
    }

    @Test
    void sendsAnUpdateAgainOnlyOnceItWaitedAnInterval() {
        var interval = Duration.ofSeconds(10);
        var starting = CALLS.update(ID, TaskState.STARTING, "starting", T0);
        var running = CALLS.update(ID, TaskState.RUNNING, "running", T0);
        pending.sent(starting, T0);
        pending.sent(running, T0.plusSeconds(5));

        assertEquals(List.of(), pending.due(T0.plusSeconds(9), interval));
        assertEquals(List.of(starting), pending.due(T0.plusSeconds(10), interval));
        assertEquals(List.of(running), pending.due(T0.plusSeconds(15), interval), "starting was just sent again");
        assertEquals(List.of(starting), pending.due(T0.plusSeconds(20), interval));
    }

    @Test
    void everyUpdateHasAFreshUuidAndSaysWhoSentIt() {
        var first = CALLS.update(ID, TaskState.RUNNING, "running", T0).getStatus();
        var second = CALLS.update(ID, TaskState.RUNNING, "running", T0).getStatus();
        assertEquals(16, first.getUuid().size());
        assertNotEquals(first.getUuid(), second.getUuid());
        assertEquals("mysos-orders-1", first.getExecutorId().getValue());
        assertEquals(Protos.TaskStatus.Source.SOURCE_EXECUTOR, first.getSource());
        assertEquals(T0.getEpochSecond(), (long) first.getTimestamp());
    }

    @Test
    void mapsEveryTaskStateToMesosByName() {
        for (var state : TaskState.values()) {
            assertEquals("TASK_" + state.name(), Calls.toMesos(state).name());
        }
    }
}

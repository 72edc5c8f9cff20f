package io.mysos.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TaskStateTest {
    @Test
    void finishedFailedKilledAndLostTasksNeverRunAgain() {
        var terminal = Arrays.stream(TaskState.values()).filter(TaskState::isTerminal)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(TaskState.class)));
        assertEquals(EnumSet.of(TaskState.FINISHED, TaskState.FAILED, TaskState.KILLED, TaskState.LOST), terminal);
    }

    @Test
    void stagingStartingAndRunningTasksAreStillAlive() {
        assertEquals(false, TaskState.STAGING.isTerminal());
        assertEquals(false, TaskState.STARTING.isTerminal());
        assertEquals(false, TaskState.RUNNING.isTerminal());
    }
}

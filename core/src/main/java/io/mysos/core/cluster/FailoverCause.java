package io.mysos.core.cluster;

import io.mysos.core.task.TaskState;
import java.util.Arrays;
import java.util.Locale;

/**
 * A failover's cause in a few fixed words, for metric labels: the recorded cause is free text
 * ("FAILED: mysqld exited with signal 9"), which would make a new time series per message.
 */
public final class FailoverCause {
    private FailoverCause() {}

    /** {@code planned}, the lowercased task state the old master ended in ({@code failed}, {@code lost}, ...), or {@code other}. */
    public static String label(String cause) {
        if (cause.equals(ClusterEvent.PLANNED)) {
            return ClusterEvent.PLANNED;
        }
        var head = cause.split("[:\\s]", 2)[0];
        return Arrays.stream(TaskState.values()).map(TaskState::name).filter(head::equals).findFirst()
                .map(state -> state.toLowerCase(Locale.ROOT)).orElse("other");
    }
}

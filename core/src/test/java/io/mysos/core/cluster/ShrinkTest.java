package io.mysos.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysos.core.election.Position;
import io.mysos.core.task.TaskId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShrinkTest {
    private static Shrink.Replica replica(long serverId, boolean running, String position) {
        return new Shrink.Replica(TaskId.of("orders", serverId), running,
                Optional.ofNullable(position).map(Position::mariadb));
    }

    @Test
    void removesReplicasThatDoNotRunFirst() {
        var chosen = Shrink.choose(List.of(replica(2, true, "0-1-5"), replica(3, false, null), replica(4, true, "0-1-9")), 1);
        assertEquals(List.of(TaskId.of("orders", 3)), chosen);
    }

    @Test
    void thenTheMostLagging() {
        var chosen = Shrink.choose(List.of(replica(2, true, "0-1-5"), replica(3, true, "0-1-9"), replica(4, true, "0-1-7")), 2);
        assertEquals(List.of(TaskId.of("orders", 2), TaskId.of("orders", 4)), chosen);
    }

    @Test
    void aReplicaThatDidNotAnswerCountsAsTheMostLagging() {
        var chosen = Shrink.choose(List.of(replica(2, true, "0-1-1"), replica(3, true, null)), 1);
        assertEquals(List.of(TaskId.of("orders", 3)), chosen);
    }

    @Test
    void equalPositionsGoNewestFirst() {
        var chosen = Shrink.choose(List.of(replica(2, true, "0-1-5"), replica(5, true, "0-1-5"), replica(3, true, "0-1-5")), 2);
        assertEquals(List.of(TaskId.of("orders", 5), TaskId.of("orders", 3)), chosen);
    }
}

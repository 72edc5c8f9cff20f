package io.mysos.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.password.PasswordHash;
import io.mysos.core.password.SealedSecret;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The replacement back-off as a cluster's events build it: what {@link ClusterLife#needed} asks for, and when. */
class ClusterLifeBackoffTest {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final String CAUSE = "FAILED: replication broke: Got fatal error 1236 from master (10.0.0.1:31001)";

    /** A master (task 1) and a replica (task 2) running. */
    private static ClusterLife twoNodes() {
        var spec = new ClusterSpec("orders", "app", 2, Resources.DEFAULT_INSTANCE, Optional.empty(), false);
        var secrets = new ClusterSecrets(new PasswordHash("pbkdf2", 1, "salt", "hash"), new SealedSecret("a", "b"), new SealedSecret("c", "d"));
        var life = ClusterLife.created(new ClusterEvent.ClusterCreated(spec, secrets, T0));
        for (int i = 1; i <= 2; i++) {
            life = added(life, i).apply(new ClusterEvent.TaskStateChanged(TaskId.of("orders", i), TaskState.RUNNING, ""));
        }
        return life.apply(new ClusterEvent.MasterElected(0, TaskId.of("orders", 1), Map.of()));
    }

    private static ClusterLife added(ClusterLife life, long serverId) {
        return life.apply(new ClusterEvent.ReplicaAdded(TaskId.of("orders", serverId), "agent-1", "10.0.0." + serverId,
                31000 + (int) serverId, Resources.DEFAULT_INSTANCE));
    }

    private static ClusterLife lost(ClusterLife life, long serverId, String cause, Instant at) {
        var id = TaskId.of("orders", serverId);
        return life.apply(new ClusterEvent.TaskStateChanged(id, TaskState.FAILED, cause))
                .apply(new ClusterEvent.ReplicaLost(id, cause, at));
    }

    @Test
    void aFirstLossIsReplacedAtOnce() {
        var life = lost(twoNodes(), 2, CAUSE, T0);
        assertEquals(1, life.needed(T0));
        assertEquals(Optional.empty(), life.replacementHeldFor(T0));
        assertEquals(Optional.empty(), life.backoff(T0).reason(T0), "a first failure is routine");
    }

    @Test
    void repeatedLossesOfOneCauseHoldTheReplacementForLongerAndLonger() {
        var life = lost(twoNodes(), 2, CAUSE, T0);
        var second = T0.plusSeconds(2);
        life = lost(added(life, 3), 3, CAUSE.replace("31001", "31002"), second);
        assertEquals(1, life.missing());
        assertEquals(0, life.needed(second), "the second replacement waits");
        assertEquals(Optional.of(Duration.ofSeconds(5)), life.replacementHeldFor(second));
        assertEquals(1, life.needed(second.plusSeconds(5)));
        assertTrue(life.backoff(second).reason(second).orElseThrow().startsWith("replica failed 2 times with 'FAILED: replication broke"));

        var third = second.plusSeconds(6);
        life = lost(added(life, 4), 4, CAUSE, third);
        assertEquals(Optional.of(Duration.ofSeconds(10)), life.replacementHeldFor(third));
        var fourth = third.plusSeconds(11);
        life = lost(added(life, 5), 5, CAUSE, fourth);
        assertEquals(Optional.of(Duration.ofSeconds(20)), life.replacementHeldFor(fourth));
        assertEquals(4, life.failures().size());
    }

    @Test
    void aClusterLackingNothingIsNotHeld() {
        var life = lost(added(lost(twoNodes(), 2, CAUSE, T0), 3), 3, CAUSE, T0.plusSeconds(1));
        assertTrue(life.replacementHeldFor(T0.plusSeconds(2)).isPresent());
        life = added(life, 4);
        assertEquals(0, life.missing());
        assertEquals(Optional.empty(), life.replacementHeldFor(T0.plusSeconds(2)), "nothing to hold: no timer is needed");
    }

    @Test
    void aLongQuietPeriodForgetsTheStreak() {
        var life = lost(added(lost(twoNodes(), 2, CAUSE, T0), 3), 3, CAUSE, T0.plusSeconds(1));
        var muchLater = T0.plusSeconds(3600);
        life = lost(added(life, 4), 4, CAUSE, muchLater);
        assertEquals(1, life.needed(muchLater), "a failure an hour after the last is a first failure again");
        assertEquals(1, life.failures().size(), "what no longer counts is not kept");
    }

    @Test
    void lossesRecordedBeforeTheyHadATimeHoldNothing() {
        var life = lost(added(lost(twoNodes(), 2, CAUSE, null), 3), 3, CAUSE, null);
        assertEquals(1, life.needed(T0));
    }

    @Test
    void aCrashLoopKeepsABoundedNumberOfFailures() {
        var life = twoNodes();
        var at = T0;
        for (int i = 2; i < 2 + ClusterLife.KEPT_FAILURES + 20; i++) {
            life = lost(i == 2 ? life : added(life, i), i, CAUSE, at);
            at = at.plus(Duration.ofMinutes(5));
        }
        assertEquals(ClusterLife.KEPT_FAILURES, life.failures().size());
        assertEquals(Optional.of(ReplacementBackoff.Policy.DEFAULT.max()), life.replacementHeldFor(at.minus(Duration.ofMinutes(5))),
                "the wait stays at its maximum");
    }

    @Test
    void aFailoverHoldsReplacementsWhateverTheBackoff() {
        var life = twoNodes().apply(new ClusterEvent.TaskStateChanged(TaskId.of("orders", 1), TaskState.FAILED, ""))
                .apply(new ClusterEvent.MasterLost(0, TaskId.of("orders", 1), "FAILED", T0))
                .apply(new ClusterEvent.ElectionStarted(1, Optional.of(TaskId.of("orders", 1)), java.util.List.of(TaskId.of("orders", 2)),
                        "FAILED", false, T0));
        assertEquals(0, life.needed(T0));
        assertTrue(life.failures().isEmpty(), "a lost master is failed over at once, and does not count for the replacements' back-off");
    }
}

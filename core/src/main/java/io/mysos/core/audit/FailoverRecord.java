package io.mysos.core.audit;

import io.mysos.core.task.TaskId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One failover or planned switchover of a cluster, as its events tell it (see {@link FailoverRecords}).
 *
 * @param epoch            the epoch the election was for
 * @param planned          a switchover an operator asked for, not a lost master
 * @param detectedAt       when the scheduler saw the master go (or the switchover was asked for)
 * @param cause            why: the lost master's last status, or {@code planned}
 * @param failedMaster     the master of the epoch before
 * @param candidates       the replicas asked, with the positions they reported (empty: did not answer)
 * @param winner           the new master, once elected
 * @param why              why the winner won
 * @param replicasLost     replicas whose task ended while the failover ran
 * @param leftBehind       candidates the new master does not carry along: no position reported, or
 *                         GTIDs a forced promotion discarded
 * @param endedAt          when the new master confirmed it is writable
 * @param durationMillis   from detection to a writable master
 * @param outcome          {@code completed}, {@code waiting for an operator}, {@code in progress}, {@code abandoned}
 * @param writesSurvived   whether every acknowledged write survived, by the positions compared: the winner's
 *                         position covers every position reported and nothing was overruled (empty: nothing to compare)
 */
public record FailoverRecord(long epoch, boolean planned, Instant detectedAt, String cause, Optional<TaskId> failedMaster,
                             List<Candidate> candidates, Optional<TaskId> winner, String why, List<TaskId> replicasLost,
                             List<TaskId> leftBehind, Instant startedAt, Optional<Instant> endedAt,
                             Optional<Long> durationMillis, String outcome, Optional<Boolean> writesSurvived,
                             List<Step> steps) {
    public FailoverRecord {
        candidates = List.copyOf(candidates);
        replicasLost = List.copyOf(replicasLost);
        leftBehind = List.copyOf(leftBehind);
        steps = List.copyOf(steps);
    }

    /** A replica asked for its position; {@code position} is empty when it did not answer before the election was decided. */
    public record Candidate(TaskId taskId, Optional<String> position) {}

    /** One step, with its time, its outcome and what went wrong, if anything. */
    public record Step(long seq, Instant at, String step, String outcome, Optional<String> error) {}
}

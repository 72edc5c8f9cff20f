package io.mysos.core.audit;

import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invariants a cluster name's whole history must keep, over all its lives: one master per
 * epoch, epochs only grow, no task id is used twice, and every task launched either ended or is
 * still alive (a life that terminated has no task left running). Pure: {@code mysos audit --verify}
 * reports what it returns.
 */
public final class HistoryCheck {
    private HistoryCheck() {}

    /** A broken invariant, at the event that broke it. */
    public record Violation(long seq, String rule, String detail) {}

    public static List<Violation> check(List<RecordedEvent> events) {
        var violations = new ArrayList<Violation>();
        Set<TaskId> everAdded = new HashSet<>();
        Map<Long, TaskId> masters = new HashMap<>();
        long epoch = -1;
        Map<TaskId, TaskState> tasks = new LinkedHashMap<>();
        for (var recorded : events) {
            var event = recorded.event();
            long seq = recorded.seq();
            if (event instanceof ClusterEvent.ClusterCreated) {
                masters.clear();
                epoch = -1;
                tasks.clear();
            } else if (event instanceof ClusterEvent.ReplicaAdded added) {
                if (!everAdded.add(added.taskId())) {
                    violations.add(new Violation(seq, "no task id reused", "task " + added.taskId() + " was added before"));
                }
                tasks.put(added.taskId(), TaskState.STAGING);
            } else if (event instanceof ClusterEvent.TaskStateChanged changed) {
                var before = tasks.get(changed.taskId());
                if (before == null) {
                    violations.add(new Violation(seq, "every task is launched first", "task " + changed.taskId() + " was never added"));
                } else if (before.isTerminal() && !changed.state().isTerminal()) {
                    violations.add(new Violation(seq, "an ended task stays ended",
                            "task " + changed.taskId() + " went from " + before + " to " + changed.state()));
                }
                tasks.put(changed.taskId(), changed.state());
            } else if (event instanceof ClusterEvent.MasterElected elected) {
                var earlier = masters.get(elected.epoch());
                if (earlier != null && !earlier.equals(elected.taskId())) {
                    violations.add(new Violation(seq, "one master per epoch",
                            "epoch " + elected.epoch() + " elected " + elected.taskId() + " after " + earlier));
                }
                if (elected.epoch() < epoch) {
                    violations.add(new Violation(seq, "epochs only grow",
                            "epoch " + elected.epoch() + " elected after epoch " + epoch));
                }
                masters.put(elected.epoch(), elected.taskId());
                epoch = Math.max(epoch, elected.epoch());
            } else if (event instanceof ClusterEvent.ClusterTerminated) {
                tasks.forEach((id, state) -> {
                    if (!state.isTerminal()) {
                        violations.add(new Violation(seq, "every launched task ends or is alive",
                                "the cluster terminated while task " + id + " was " + state));
                    }
                });
                tasks.clear();
            }
        }
        return violations;
    }
}

package io.mysos.executor.isolation;

import io.mysos.core.isolation.CgroupLimits;
import io.mysos.core.task.TaskId;
import java.util.Optional;

/**
 * Keeps each instance's mysqld within its size, as a Mesos agent's isolators do: {@link Cgroups} in
 * local mode, {@link #NONE} under Mesos (the agent isolates) or when switched off. No method throws:
 * an instance that cannot be isolated still runs.
 */
public interface Isolation {
    /** Isolates nothing. */
    Isolation NONE = new Isolation() {
        @Override
        public void confine(TaskId task, CgroupLimits limits, long pid) {}

        @Override
        public void release(TaskId task) {}

        @Override
        public Optional<String> overLimit(TaskId task) {
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "no isolation";
        }
    };

    /** Puts {@code pid} (the task's mysqld, just spawned or adopted) under {@code limits}; again is harmless. */
    void confine(TaskId task, CgroupLimits limits, long pid);

    /** Removes what {@link #confine} made, once the task's mysqld is gone. */
    void release(TaskId task);

    /** Why the task's mysqld was killed, when it was for going over its memory limit. */
    Optional<String> overLimit(TaskId task);

    /**
     * The isolation a setting names: {@code cgroups} (those of this machine, or none after saying why
     * they cannot be used) or {@code none}.
     *
     * @throws IllegalArgumentException for any other name
     */
    static Isolation named(String setting) {
        return switch (setting.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "cgroups" -> Cgroups.detect();
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("isolation must be 'cgroups' or 'none', not '" + setting + "'");
        };
    }
}

package io.mysos.core.task;

/** The state of one MySQL instance's task, with Mesos's names. */
public enum TaskState {
    STAGING, STARTING, RUNNING, FINISHED, FAILED, KILLED, LOST;

    /** A terminal task never runs again; its instance must be replaced. */
    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == KILLED || this == LOST;
    }
}

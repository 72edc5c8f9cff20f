package io.mysos.core.protocol;

import io.mysos.core.task.TaskId;
import io.mysos.core.task.TaskState;

/** A task status update: the instance's task is now in {@code state}; {@code message} says why. */
public record TaskStatus(TaskId taskId, TaskState state, String message) {}

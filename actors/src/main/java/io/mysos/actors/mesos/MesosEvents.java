package io.mysos.actors.mesos;

import org.apache.mesos.v1.scheduler.Protos.Event;

/** Mesos events as people read them in logs. */
final class MesosEvents {
    private MesosEvents() {}

    static String describe(Event.Failure failure) {
        var text = new StringBuilder();
        if (failure.hasExecutorId()) {
            text.append("executor ").append(failure.getExecutorId().getValue());
            if (failure.hasStatus()) {
                text.append(" exited with ").append(failure.getStatus());
            }
            text.append(failure.hasAgentId() ? " on " : "");
        }
        if (failure.hasAgentId()) {
            text.append(failure.hasExecutorId() ? "" : "lost ").append("agent ").append(failure.getAgentId().getValue());
        }
        return text.toString();
    }
}

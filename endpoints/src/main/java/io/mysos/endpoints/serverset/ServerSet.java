package io.mysos.endpoints.serverset;

import io.mysos.core.endpoint.RoutingView;
import io.mysos.core.endpoint.Targets;
import io.mysos.core.task.TaskState;
import java.util.List;
import java.util.Optional;

/**
 * What one cluster publishes in ZooKeeper: its master (only once writable, as the read-write
 * endpoint routes) under {@code master/}, and its running replicas under {@code slaves/}.
 */
public record ServerSet(Optional<Member> master, List<Member> slaves) {
    /** One ServerSet instance: a mysqld's address. */
    public record Member(String taskId, String host, int port) {}

    public ServerSet {
        slaves = List.copyOf(slaves);
    }

    public static ServerSet of(RoutingView view, Targets targets) {
        var master = targets.readWrite().map(t -> new Member(t.taskId(), t.host(), t.port()));
        var slaves = view.replicas().stream().filter(r -> r.state() == TaskState.RUNNING)
                .map(r -> new Member(r.taskId(), r.host(), r.port())).toList();
        return new ServerSet(master, slaves);
    }
}

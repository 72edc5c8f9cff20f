package io.mysos.actors.mesos;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;

/** The v1 scheduler calls the gateway makes, built from plain values. */
final class MesosCalls {
    private MesosCalls() {}

    /** Who the framework is, as SUBSCRIBE tells the master. */
    record Framework(String name, String user, String role, Optional<String> principal, Duration failoverTimeout) {}

    static Protos.FrameworkInfo frameworkInfo(Framework framework, Optional<String> frameworkId) {
        var info = Protos.FrameworkInfo.newBuilder()
                .setName(framework.name())
                .setUser(framework.user())
                .setRole(framework.role())
                // Agents keep the tasks' state on disk, so an agent restart does not lose the instances.
                .setCheckpoint(true)
                .setFailoverTimeout(framework.failoverTimeout().toMillis() / 1000.0);
        framework.principal().ifPresent(info::setPrincipal);
        frameworkId.ifPresent(id -> info.setId(id(id)));
        return info.build();
    }

    static Call subscribe(Framework framework, Optional<String> frameworkId) {
        var call = Call.newBuilder()
                .setType(Call.Type.SUBSCRIBE)
                .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(frameworkInfo(framework, frameworkId)));
        frameworkId.ifPresent(id -> call.setFrameworkId(id(id)));
        return call.build();
    }

    static Call accept(Protos.FrameworkID framework, Protos.OfferID offer, List<Protos.TaskInfo> tasks, Duration refuse) {
        var launch = Protos.Offer.Operation.newBuilder()
                .setType(Protos.Offer.Operation.Type.LAUNCH)
                .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addAllTaskInfos(tasks));
        return Call.newBuilder().setFrameworkId(framework).setType(Call.Type.ACCEPT)
                .setAccept(Call.Accept.newBuilder().addOfferIds(offer).addOperations(launch).setFilters(filters(refuse)))
                .build();
    }

    /** One ACCEPT of an offer with these operations (RESERVE, CREATE, LAUNCH; or DESTROY, UNRESERVE). */
    static Call acceptOperations(Protos.FrameworkID framework, Protos.OfferID offer, List<Protos.Offer.Operation> operations,
                                 Duration refuse) {
        return Call.newBuilder().setFrameworkId(framework).setType(Call.Type.ACCEPT)
                .setAccept(Call.Accept.newBuilder().addOfferIds(offer).addAllOperations(operations).setFilters(filters(refuse)))
                .build();
    }

    /** Implicit reconciliation: the master answers with the state of every task it knows of this framework. */
    static Call reconcileAll(Protos.FrameworkID framework) {
        return Call.newBuilder().setFrameworkId(framework).setType(Call.Type.RECONCILE)
                .setReconcile(Call.Reconcile.newBuilder()).build();
    }

    static Call decline(Protos.FrameworkID framework, List<Protos.OfferID> offers, Duration refuse) {
        return Call.newBuilder().setFrameworkId(framework).setType(Call.Type.DECLINE)
                .setDecline(Call.Decline.newBuilder().addAllOfferIds(offers).setFilters(filters(refuse)))
                .build();
    }

    /** Mysos does not give agents up for maintenance on request: its instances move only when they fail. */
    static Call declineInverse(Protos.FrameworkID framework, List<Protos.OfferID> inverseOffers) {
        return Call.newBuilder().setFrameworkId(framework).setType(Call.Type.DECLINE_INVERSE_OFFERS)
                .setDeclineInverseOffers(Call.DeclineInverseOffers.newBuilder().addAllInverseOfferIds(inverseOffers))
                .build();
    }

    static Call kill(Protos.FrameworkID framework, Protos.TaskID task, Optional<Protos.AgentID> agent) {
        var kill = Call.Kill.newBuilder().setTaskId(task);
        agent.ifPresent(kill::setAgentId);
        return Call.newBuilder().setFrameworkId(framework).setType(Call.Type.KILL).setKill(kill).build();
    }

    static Call message(Protos.FrameworkID framework, Protos.AgentID agent, Protos.ExecutorID executor, byte[] data) {
        return Call.newBuilder().setFrameworkId(framework).setType(Call.Type.MESSAGE)
                .setMessage(Call.Message.newBuilder().setAgentId(agent).setExecutorId(executor).setData(ByteString.copyFrom(data)))
                .build();
    }

    static Call acknowledge(Protos.FrameworkID framework, Protos.TaskStatus status) {
        return Call.newBuilder().setFrameworkId(framework).setType(Call.Type.ACKNOWLEDGE)
                .setAcknowledge(Call.Acknowledge.newBuilder()
                        .setAgentId(status.getAgentId()).setTaskId(status.getTaskId()).setUuid(status.getUuid()))
                .build();
    }

    /** Explicit reconciliation of these tasks, each with its agent when known. */
    static Call reconcile(Protos.FrameworkID framework, List<Call.Reconcile.Task> tasks) {
        return Call.newBuilder().setFrameworkId(framework).setType(Call.Type.RECONCILE)
                .setReconcile(Call.Reconcile.newBuilder().addAllTasks(tasks))
                .build();
    }

    static Call.Reconcile.Task reconcileTask(Protos.TaskID task, Optional<Protos.AgentID> agent) {
        var t = Call.Reconcile.Task.newBuilder().setTaskId(task);
        agent.ifPresent(t::setAgentId);
        return t.build();
    }

    static Call suppress(Protos.FrameworkID framework) {
        return Call.newBuilder().setFrameworkId(framework).setType(Call.Type.SUPPRESS).build();
    }

    static Call revive(Protos.FrameworkID framework) {
        return Call.newBuilder().setFrameworkId(framework).setType(Call.Type.REVIVE).build();
    }

    static Protos.Filters filters(Duration refuse) {
        return Protos.Filters.newBuilder().setRefuseSeconds(refuse.toMillis() / 1000.0).build();
    }

    static Protos.FrameworkID id(String value) {
        return Protos.FrameworkID.newBuilder().setValue(value).build();
    }
}

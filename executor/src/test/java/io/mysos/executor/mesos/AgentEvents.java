package io.mysos.executor.mesos;

import com.google.protobuf.ByteString;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/** Events as a Mesos agent sends them to an executor, for the tests' stand-in agent. */
final class AgentEvents {
    static final String FRAMEWORK = "f1a2b3c4-0000-4000-8000-000000000001-0000";
    static final String EXECUTOR = "mysos-test-1";
    static final Protos.AgentID AGENT = Protos.AgentID.newBuilder().setValue("a1b2c3d4-agent-S0").build();

    private AgentEvents() {}

    static Event subscribed() {
        var executorId = Protos.ExecutorID.newBuilder().setValue(EXECUTOR);
        var frameworkId = Protos.FrameworkID.newBuilder().setValue(FRAMEWORK);
        return Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed.newBuilder()
                .setExecutorInfo(Protos.ExecutorInfo.newBuilder().setExecutorId(executorId).setFrameworkId(frameworkId)
                        .setCommand(Protos.CommandInfo.newBuilder().setValue("bin/mysos executor")))
                .setFrameworkInfo(Protos.FrameworkInfo.newBuilder().setId(frameworkId).setUser("mysos").setName("mysos")
                        .setCheckpoint(true))
                .setAgentInfo(Protos.AgentInfo.newBuilder().setId(AGENT).setHostname("127.0.0.1").setPort(5051)))
                .build();
    }

    static Protos.TaskInfo task(String taskId, byte[] data, List<Protos.Resource> resources) {
        return Protos.TaskInfo.newBuilder().setName(taskId).setTaskId(Protos.TaskID.newBuilder().setValue(taskId))
                .setAgentId(AGENT).addAllResources(resources).setData(ByteString.copyFrom(data)).build();
    }

    static Event launch(Protos.TaskInfo task) {
        return Event.newBuilder().setType(Event.Type.LAUNCH).setLaunch(Event.Launch.newBuilder().setTask(task)).build();
    }

    static Event kill(Protos.TaskID task) {
        return Event.newBuilder().setType(Event.Type.KILL).setKill(Event.Kill.newBuilder().setTaskId(task)).build();
    }

    static Event shutdown() {
        return Event.newBuilder().setType(Event.Type.SHUTDOWN).build();
    }

    static Event acknowledged(Call.Update update) {
        return Event.newBuilder().setType(Event.Type.ACKNOWLEDGED).setAcknowledged(Event.Acknowledged.newBuilder()
                .setTaskId(update.getStatus().getTaskId()).setUuid(update.getStatus().getUuid())).build();
    }

    static Event message(byte[] data) {
        return Event.newBuilder().setType(Event.Type.MESSAGE).setMessage(Event.Message.newBuilder()
                .setData(ByteString.copyFrom(data))).build();
    }
}

package io.mysos.executor.mesos;

import com.google.protobuf.ByteString;
import io.mysos.core.task.TaskState;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.executor.Protos.Call;

/** The calls this executor makes, for one framework's executor: SUBSCRIBE, UPDATE, MESSAGE. */
final class Calls {
    private final Protos.FrameworkID frameworkId;
    private final Protos.ExecutorID executorId;

    Calls(String frameworkId, String executorId) {
        this.frameworkId = Protos.FrameworkID.newBuilder().setValue(frameworkId).build();
        this.executorId = Protos.ExecutorID.newBuilder().setValue(executorId).build();
    }

    Call subscribe(List<TaskInfo> unacknowledgedTasks, List<Call.Update> unacknowledgedUpdates) {
        return call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
                .addAllUnacknowledgedTasks(unacknowledgedTasks)
                .addAllUnacknowledgedUpdates(unacknowledgedUpdates)).build();
    }

    /** A status update from this executor with a fresh uuid, which its acknowledgement will name. */
    Call.Update update(Protos.TaskID task, TaskState state, String message, Instant now) {
        var status = Protos.TaskStatus.newBuilder()
                .setTaskId(task)
                .setExecutorId(executorId)
                .setState(toMesos(state))
                .setSource(Protos.TaskStatus.Source.SOURCE_EXECUTOR)
                .setMessage(message)
                .setTimestamp(now.toEpochMilli() / 1000.0)
                .setUuid(uuid());
        return Call.Update.newBuilder().setStatus(status).build();
    }

    /** The same update, as its own UPDATE call. */
    Call updateCall(Call.Update update) {
        return call(Call.Type.UPDATE).setUpdate(update).build();
    }

    /** Data for the scheduler (Mesos delivers it at most once). */
    Call message(byte[] data) {
        return call(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder().setData(ByteString.copyFrom(data))).build();
    }

    /** Mysos's task states carry Mesos's names; STAGING is the agent's to send, but maps all the same. */
    static Protos.TaskState toMesos(TaskState state) {
        return switch (state) {
            case STAGING -> Protos.TaskState.TASK_STAGING;
            case STARTING -> Protos.TaskState.TASK_STARTING;
            case RUNNING -> Protos.TaskState.TASK_RUNNING;
            case FINISHED -> Protos.TaskState.TASK_FINISHED;
            case FAILED -> Protos.TaskState.TASK_FAILED;
            case KILLED -> Protos.TaskState.TASK_KILLED;
            case LOST -> Protos.TaskState.TASK_LOST;
        };
    }

    private Call.Builder call(Call.Type type) {
        return Call.newBuilder().setType(type).setFrameworkId(frameworkId).setExecutorId(executorId);
    }

    /** The 16 bytes of a random UUID, as the agent expects a status update's uuid. */
    private static ByteString uuid() {
        var uuid = UUID.randomUUID();
        return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits()).array());
    }
}

package io.mysos.executor.mesos;

import static org.apache.mesos.v1.Protos.TaskState.TASK_FAILED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_KILLED;
import static org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING;
import static org.apache.mesos.v1.Protos.TaskState.TASK_STARTING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.password.SchedulerKey;
import io.mysos.core.protocol.ExecutorCommand;
import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskData;
import io.mysos.executor.MySqlProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.executor.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The executor against a stand-in agent speaking the executor API's HTTP and RecordIO, running real
 * mysqld: what the agent (and through it the scheduler) sees of a task's life.
 */
class MesosExecutorTest {
    private static final Duration CALL = Duration.ofSeconds(10);
    private static final Duration NEVER_RESEND = Duration.ofHours(1);
    private MySqlProcess mysql;
    private AgentStandIn agent;
    private Path directory;
    private MesosExecutor executor;
    private CompletableFuture<MesosExecutor.Outcome> outcome;

    @BeforeEach
    void setUp() throws Exception {
        mysql = new MySqlProcess();
        agent = new AgentStandIn();
        directory = Files.createDirectories(mysql.root().resolve("sandbox"));
    }

    @AfterEach
    void tearDown() {
        try {
            if (executor != null) {
                executor.close();
            }
        } finally {
            agent.close();
            mysql.close();
        }
    }

    private void start(boolean checkpoint, Duration resendInterval, SchedulerKey key) {
        var vars = new HashMap<>(Map.of("MESOS_AGENT_ENDPOINT", agent.endpoint(), "MESOS_FRAMEWORK_ID", AgentEvents.FRAMEWORK,
                "MESOS_EXECUTOR_ID", AgentEvents.EXECUTOR, "MESOS_DIRECTORY", directory.toString(),
                "MESOS_CHECKPOINT", checkpoint ? "1" : "0", "MESOS_SUBSCRIPTION_BACKOFF_MAX", "500ms",
                "MESOS_RECOVERY_TIMEOUT", "1mins"));
        var env = ExecutorEnvironment.from(vars);
        executor = new MesosExecutor(env, new HttpAgent(env),
                MesosExecutor.Runners.of(MySqlProcess.templatedInstallation(), key), Clock.systemUTC(), resendInterval);
        outcome = CompletableFuture.supplyAsync(executor::run);
    }

    private Protos.TaskInfo task(TaskData data, List<Protos.Resource> resources) {
        return AgentEvents.task(data.taskId().toString(), ProtocolJson.writeValue(data), resources);
    }

    @Test
    void runsATaskThroughAnAgentRestartAndKillsIt() throws Exception {
        start(true, NEVER_RESEND, mysql.key());
        var first = agent.awaitSubscription(CALL);
        assertEquals(AgentEvents.FRAMEWORK, first.call.getFrameworkId().getValue());
        assertEquals(AgentEvents.EXECUTOR, first.call.getExecutorId().getValue());
        assertEquals(0, first.call.getSubscribe().getUnacknowledgedUpdatesCount());
        first.send(AgentEvents.subscribed());

        var data = mysql.taskData(1, MySqlProcess.freePort());
        var task = task(data, List.of(TaskSandbox.volume("vol-1", "mysql-data", 1024)));
        first.send(AgentEvents.launch(task));
        var starting = agent.awaitUpdate(TASK_STARTING, MySqlProcess.START);
        var running = agent.awaitUpdate(TASK_RUNNING, MySqlProcess.START);
        assertEquals(task.getTaskId(), running.getStatus().getTaskId());
        assertEquals(Protos.TaskStatus.Source.SOURCE_EXECUTOR, running.getStatus().getSource());
        assertEquals(16, running.getStatus().getUuid().size());
        assertTrue(running.getStatus().getMessage().contains("127.0.0.1:" + data.port()), running.getStatus().getMessage());
        var sandbox = directory.resolve("mysql-data");
        var pids = MySqlProcess.mysqldsOf(sandbox);
        assertEquals(1, pids.size(), "one mysqld with its data on the persistent volume");

        // The agent has STARTING, then restarts before it acknowledges RUNNING.
        first.send(AgentEvents.acknowledged(starting));
        first.close();
        var second = agent.awaitSubscription(CALL);
        assertEquals(List.of(running), second.call.getSubscribe().getUnacknowledgedUpdatesList(),
                "only the unacknowledged update comes again, with its uuid");
        assertEquals(0, second.call.getSubscribe().getUnacknowledgedTasksCount(), "the agent acknowledged an update of it");
        assertEquals(pids, MySqlProcess.mysqldsOf(sandbox), "mysqld runs on through the agent's restart");
        second.send(AgentEvents.subscribed());
        second.send(AgentEvents.acknowledged(running));

        second.send(AgentEvents.message(ProtocolJson.writeValue(new ExecutorCommand.QueryPosition(1))));
        var message = agent.awaitCall(c -> c.getType() == Call.Type.MESSAGE, CALL, "MESSAGE");
        var report = ProtocolJson.read(message.getMessage().getData().toByteArray(), ExecutorReport.class);
        assertTrue(report instanceof ExecutorReport.PositionReported, report.toString());
        assertEquals(data.taskId(), report.taskId());
        assertEquals(1, report.epoch());

        second.send(AgentEvents.kill(task.getTaskId()));
        var killed = agent.awaitUpdate(TASK_KILLED, MySqlProcess.START);
        assertEquals("mysqld stopped", killed.getStatus().getMessage());
        assertEquals(List.of(), MySqlProcess.mysqldsOf(sandbox));
        assertTrue(Files.isDirectory(sandbox.resolve("data")), "the data stays on the volume");
        assertFalse(outcome.isDone(), "the executor waits for the agent to acknowledge TASK_KILLED");

        second.send(AgentEvents.acknowledged(killed));
        assertEquals(new MesosExecutor.Outcome(0, "every task ended and the agent acknowledged every update"),
                outcome.get(10, TimeUnit.SECONDS));
    }

    /**
     * The agent's default filesystem/posix isolator puts the volume into the sandbox as a link to its
     * directory under the agent's work dir. Run as root, mysqld runs as mysql, and must reach its data
     * through that directory's group and mode, not the link's.
     */
    @Test
    void servesFromAVolumeTheAgentLinkedIntoTheSandbox() throws Exception {
        var volume = Files.createDirectories(mysql.root().resolve("agent-work/volumes/roles/mysos/vol-1"));
        Files.createSymbolicLink(directory.resolve("mysql-data"), volume);
        start(true, NEVER_RESEND, mysql.key());
        var subscription = agent.awaitSubscription(CALL);
        subscription.send(AgentEvents.subscribed());
        var data = mysql.taskData(1, MySqlProcess.freePort());
        var task = task(data, List.of(TaskSandbox.volume("vol-1", "mysql-data", 1024)));
        subscription.send(AgentEvents.launch(task));

        var running = agent.awaitUpdate(TASK_RUNNING, MySqlProcess.START);
        assertEquals(task.getTaskId(), running.getStatus().getTaskId());
        assertEquals(1, MySqlProcess.mysqldsOf(volume.toRealPath()).size(), "one mysqld, its files in the volume's directory");
        assertTrue(Files.isDirectory(volume.resolve("data")), "the data is on the volume");
        assertTrue(Files.isSymbolicLink(directory.resolve("mysql-data")), "the agent's link is left as it is");
    }

    @Test
    void shutdownStopsMysqldAndReportsKilled() throws Exception {
        start(true, NEVER_RESEND, mysql.key());
        var subscription = agent.awaitSubscription(CALL);
        subscription.send(AgentEvents.subscribed());
        var task = task(mysql.taskData(1, MySqlProcess.freePort()), List.of());
        subscription.send(AgentEvents.launch(task));
        agent.awaitUpdate(TASK_RUNNING, MySqlProcess.START);
        var sandbox = directory.resolve(TaskSandbox.EPHEMERAL_DIR);
        assertEquals(1, MySqlProcess.mysqldsOf(sandbox).size());

        subscription.send(AgentEvents.shutdown());

        agent.awaitUpdate(TASK_KILLED, MySqlProcess.START);
        assertEquals(new MesosExecutor.Outcome(0, "the agent shut the executor down"), outcome.get(30, TimeUnit.SECONDS));
        assertEquals(List.of(), MySqlProcess.mysqldsOf(sandbox));
    }

    @Test
    void taskDataSealedWithAnotherKeyFailsTheTaskAndStartsNothing() throws Exception {
        start(true, NEVER_RESEND, SchedulerKey.generate());
        var subscription = agent.awaitSubscription(CALL);
        subscription.send(AgentEvents.subscribed());
        subscription.send(AgentEvents.launch(task(mysql.taskData(1, MySqlProcess.freePort()), List.of())));

        var failed = agent.awaitUpdate(TASK_FAILED, CALL);
        assertTrue(failed.getStatus().getMessage().contains("does not open with this scheduler key"),
                failed.getStatus().getMessage());
        assertEquals(List.of(), MySqlProcess.mysqldsOf(directory.resolve(TaskSandbox.EPHEMERAL_DIR)));
        subscription.send(AgentEvents.acknowledged(failed));
        assertEquals(0, outcome.get(10, TimeUnit.SECONDS).exitCode());
    }

    @Test
    void anUnacknowledgedUpdateIsSentAgainWithItsUuid() throws Exception {
        start(true, Duration.ofMillis(200), mysql.key());
        var subscription = agent.awaitSubscription(CALL);
        subscription.send(AgentEvents.subscribed());
        subscription.send(AgentEvents.launch(AgentEvents.task("mysos-test-1", "not json".getBytes(), List.of())));

        var failed = agent.awaitUpdate(TASK_FAILED, CALL);
        assertTrue(failed.getStatus().getMessage().contains("not Mysos task data JSON"), failed.getStatus().getMessage());
        var again = agent.awaitUpdate(TASK_FAILED, CALL);
        assertEquals(failed, again);
        subscription.send(AgentEvents.acknowledged(failed));
        assertEquals(0, outcome.get(10, TimeUnit.SECONDS).exitCode());
    }

    @Test
    void aResubscriptionCarriesTheTaskAndUpdatesTheAgentMissed() throws Exception {
        start(true, NEVER_RESEND, mysql.key());
        var first = agent.awaitSubscription(CALL);
        first.send(AgentEvents.subscribed());
        var task = AgentEvents.task("mysos-test-1", "{}".getBytes(), List.of());
        first.send(AgentEvents.launch(task));
        var failed = agent.awaitUpdate(TASK_FAILED, CALL);
        first.close();

        var second = agent.awaitSubscription(CALL).call.getSubscribe();
        assertEquals(List.of(task), second.getUnacknowledgedTasksList(), "no update of the task was acknowledged");
        assertEquals(List.of(failed), second.getUnacknowledgedUpdatesList());
    }

    @Test
    void stoppingTheExecutorStopsMysqldCleanly() throws Exception {
        start(true, NEVER_RESEND, mysql.key());
        var subscription = agent.awaitSubscription(CALL);
        subscription.send(AgentEvents.subscribed());
        subscription.send(AgentEvents.launch(task(mysql.taskData(1, MySqlProcess.freePort()), List.of())));
        agent.awaitUpdate(TASK_RUNNING, MySqlProcess.START);
        var sandbox = directory.resolve(TaskSandbox.EPHEMERAL_DIR);
        assertEquals(1, MySqlProcess.mysqldsOf(sandbox).size());

        executor.close();

        assertEquals(List.of(), MySqlProcess.mysqldsOf(sandbox), "the agent's SIGTERM leaves no mysqld behind");
        assertEquals(new MesosExecutor.Outcome(0, "stopped"), outcome.get(10, TimeUnit.SECONDS));
        assertTrue(Files.isDirectory(sandbox.resolve("data")));
    }

    @Test
    void withoutCheckpointingALostAgentEndsTheExecutor() throws Exception {
        start(false, NEVER_RESEND, mysql.key());
        var subscription = agent.awaitSubscription(CALL);
        subscription.send(AgentEvents.subscribed());
        subscription.close();

        var ended = outcome.get(10, TimeUnit.SECONDS);
        assertEquals(1, ended.exitCode());
        assertTrue(ended.reason().contains("without checkpointing"), ended.reason());
    }
}

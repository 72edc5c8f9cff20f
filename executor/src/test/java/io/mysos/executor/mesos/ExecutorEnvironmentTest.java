package io.mysos.executor.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExecutorEnvironmentTest {
    private static Map<String, String> agentSets() {
        return new HashMap<>(Map.of(
                "MESOS_AGENT_ENDPOINT", "10.0.0.7:5051",
                "MESOS_FRAMEWORK_ID", "fw-1",
                "MESOS_EXECUTOR_ID", "mysos-orders-1",
                "MESOS_DIRECTORY", "/var/lib/mesos/slaves/s1/frameworks/fw-1/executors/mysos-orders-1/runs/r1",
                "MESOS_CHECKPOINT", "1",
                "MESOS_SUBSCRIPTION_BACKOFF_MAX", "2secs",
                "MESOS_RECOVERY_TIMEOUT", "15mins"));
    }

    private static String refusal(Map<String, String> env) {
        return assertThrows(InvalidInputException.class, () -> ExecutorEnvironment.from(env)).getMessage();
    }

    @Test
    void readsWhatTheAgentSets() {
        var env = ExecutorEnvironment.from(agentSets());
        assertEquals(URI.create("http://10.0.0.7:5051/api/v1/executor"), env.executorApi());
        assertEquals("fw-1", env.frameworkId());
        assertEquals("mysos-orders-1", env.executorId());
        assertEquals(Path.of("/var/lib/mesos/slaves/s1/frameworks/fw-1/executors/mysos-orders-1/runs/r1"), env.directory());
        assertTrue(env.checkpoint());
        assertEquals(Duration.ofSeconds(2), env.subscriptionBackoffMax());
        assertEquals(Duration.ofMinutes(15), env.recoveryTimeout());
        assertEquals(Duration.ofSeconds(5), env.shutdownGracePeriod());
        assertEquals(Optional.empty(), env.authenticationToken());
    }

    @Test
    void withoutCheckpointingNeitherRecoveryVariableIsNeeded() {
        var vars = agentSets();
        vars.put("MESOS_CHECKPOINT", "0");
        vars.remove("MESOS_SUBSCRIPTION_BACKOFF_MAX");
        vars.remove("MESOS_RECOVERY_TIMEOUT");
        var env = ExecutorEnvironment.from(vars);
        assertFalse(env.checkpoint());
        assertEquals(ExecutorEnvironment.DEFAULT_RECOVERY_TIMEOUT, env.recoveryTimeout());
    }

    @Test
    void takesAnIpv6AgentAndAnAuthenticationToken() {
        var vars = agentSets();
        vars.put("MESOS_AGENT_ENDPOINT", "[::1]:5051");
        vars.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", "t0ken");
        var env = ExecutorEnvironment.from(vars);
        assertEquals(URI.create("http://[::1]:5051/api/v1/executor"), env.executorApi());
        assertEquals(Optional.of("t0ken"), env.authenticationToken());
        assertFalse(env.toString().contains("t0ken"), env.toString());
    }

    @Test
    void namesAMissingVariable() {
        for (var variable : new String[] {"MESOS_AGENT_ENDPOINT", "MESOS_FRAMEWORK_ID", "MESOS_EXECUTOR_ID", "MESOS_DIRECTORY"}) {
            var vars = agentSets();
            vars.remove(variable);
            assertEquals(variable + " is not set: mysos executor runs under a Mesos agent, which sets it", refusal(vars));
        }
    }

    @Test
    void refusesValuesNoAgentWrites() {
        var bad = Map.of(
                "MESOS_AGENT_ENDPOINT", "http://10.0.0.7:5051",
                "MESOS_DIRECTORY", "relative/dir",
                "MESOS_CHECKPOINT", "yes",
                "MESOS_SUBSCRIPTION_BACKOFF_MAX", "2 seconds",
                "MESOS_RECOVERY_TIMEOUT", "0secs");
        bad.forEach((variable, value) -> {
            var vars = agentSets();
            vars.put(variable, value);
            assertTrue(refusal(vars).startsWith(variable), variable + ": " + refusal(vars));
        });
        var noPort = agentSets();
        noPort.put("MESOS_AGENT_ENDPOINT", "10.0.0.7");
        assertEquals("MESOS_AGENT_ENDPOINT must be host:port of the agent, not '10.0.0.7'", refusal(noPort));
    }

    @Test
    void readsDurationsAsMesosWritesThem() {
        assertEquals(Duration.ofMillis(500), MesosDuration.parse("X", "500ms"));
        assertEquals(Duration.ofMillis(1500), MesosDuration.parse("X", "1.5secs"));
        assertEquals(Duration.ofMinutes(15), MesosDuration.parse("X", "15mins"));
        assertEquals(Duration.ofHours(2), MesosDuration.parse("X", "2hrs"));
        assertEquals(Duration.ofDays(7), MesosDuration.parse("X", "1weeks"));
        assertEquals(Duration.ofNanos(250), MesosDuration.parse("X", "250ns"));
        assertEquals("X must be a Mesos duration such as 2secs or 15mins, not '15m'",
                assertThrows(InvalidInputException.class, () -> MesosDuration.parse("X", "15m")).getMessage());
    }
}

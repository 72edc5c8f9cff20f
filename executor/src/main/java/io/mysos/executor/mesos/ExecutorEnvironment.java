package io.mysos.executor.mesos;

import io.mysos.core.InvalidInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What the Mesos agent tells an executor it starts, through its environment, validated: where the
 * agent's executor API is, who the executor is, its sandbox, and how long to try to get back to an
 * agent that went away (only when the framework checkpoints; otherwise the agent will not take the
 * executor back and a lost connection ends it).
 */
public record ExecutorEnvironment(URI executorApi, String frameworkId, String executorId, Path directory, boolean checkpoint,
        Duration subscriptionBackoffMax, Duration recoveryTimeout, Duration shutdownGracePeriod,
        Optional<String> authenticationToken) {
    /** The agent's defaults, for variables an older agent does not set. */
    static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(2);
    static final Duration DEFAULT_RECOVERY_TIMEOUT = Duration.ofMinutes(15);
    static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);

    /** Reads the agent's variables from {@code env} (the process environment, or a test's map). */
    public static ExecutorEnvironment from(Map<String, String> env) {
        var endpoint = required(env, "MESOS_AGENT_ENDPOINT");
        var directory = Path.of(required(env, "MESOS_DIRECTORY"));
        if (!directory.isAbsolute()) {
            throw new InvalidInputException("MESOS_DIRECTORY must be an absolute path, not '" + directory + "'");
        }
        return new ExecutorEnvironment(executorApi(endpoint), required(env, "MESOS_FRAMEWORK_ID"),
                required(env, "MESOS_EXECUTOR_ID"), directory.normalize(), checkpoint(env.get("MESOS_CHECKPOINT")),
                duration(env, "MESOS_SUBSCRIPTION_BACKOFF_MAX", DEFAULT_BACKOFF_MAX),
                duration(env, "MESOS_RECOVERY_TIMEOUT", DEFAULT_RECOVERY_TIMEOUT),
                duration(env, "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", DEFAULT_SHUTDOWN_GRACE),
                Optional.ofNullable(env.get("MESOS_EXECUTOR_AUTHENTICATION_TOKEN")).filter(t -> !t.isBlank()));
    }

    /** {@code host:port} (an IPv6 host in brackets) to the agent's {@code /api/v1/executor}. */
    static URI executorApi(String endpoint) {
        URI uri;
        try {
            uri = new URI("http://" + endpoint.trim() + "/api/v1/executor");
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535 || uri.getUserInfo() != null
                || !uri.getPath().equals("/api/v1/executor")) {
            throw new InvalidInputException("MESOS_AGENT_ENDPOINT must be host:port of the agent, not '" + endpoint + "'");
        }
        return uri;
    }

    private static boolean checkpoint(String value) {
        if (value == null) {
            return false;
        }
        return switch (value.trim()) {
            case "1", "true" -> true;
            case "0", "false", "" -> false;
            default -> throw new InvalidInputException("MESOS_CHECKPOINT must be 1 or 0, not '" + value + "'");
        };
    }

    private static Duration duration(Map<String, String> env, String variable, Duration fallback) {
        var value = env.get(variable);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        var duration = MesosDuration.parse(variable, value);
        if (duration.isZero()) {
            throw new InvalidInputException(variable + " must be longer than zero");
        }
        return duration;
    }

    private static String required(Map<String, String> env, String variable) {
        var value = env.get(variable);
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(variable + " is not set: mysos executor runs under a Mesos agent, which sets it");
        }
        return value.trim();
    }

    @Override
    public String toString() {
        return "ExecutorEnvironment(" + executorApi + ", framework " + frameworkId + ", executor " + executorId + ", "
                + directory + ", checkpoint " + checkpoint + ")";
    }
}

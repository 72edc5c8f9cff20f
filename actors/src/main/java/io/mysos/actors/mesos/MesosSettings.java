package io.mysos.actors.mesos;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the Mesos gateway subscribes and behaves ({@code mysos.mesos.*} in reference.conf).
 * {@code frameworkId}: the id a previous run got, so that a restarted scheduler keeps its tasks.
 */
public record MesosSettings(
        String master,
        MesosCalls.Framework framework,
        MesosTasks.ExecutorLaunch executor,
        Optional<String> frameworkId,
        Duration acceptRefuse,
        Duration declineRefuse,
        ReconnectBackoff backoff,
        int missedHeartbeats,
        Duration reviveInterval,
        Duration reconcileFirstPause,
        Duration reconcileMaxPause,
        Duration declineRefuseIdle,
        Duration implicitReconcileInterval,
        Optional<Secret> secret) {

    /** The principal's secret (HTTP basic authentication with the master); never printed. */
    public static final class Secret {
        private final String value;

        public Secret(String value) {
            this.value = value;
        }

        String value() {
            return value;
        }

        @Override
        public String toString() {
            return "(secret)";
        }
    }

    /** The masters of {@code master}, a comma-separated list: the gateway tries them in turn. */
    public List<String> masters() {
        return java.util.Arrays.stream(master.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
    }

    /** Whether {@code master} names the masters' ZooKeeper, {@code zk://HOST:PORT[,HOST:PORT...]/path}, well formed. */
    public static boolean isZooKeeper(String master) {
        return LeadingMaster.ZkAddress.parse(master).isPresent();
    }

    public static MesosSettings fromConfig(Config root) {
        var c = root.getConfig("mysos.mesos");
        var user = c.getString("user").isBlank() ? System.getProperty("user.name") : c.getString("user");
        var framework = new MesosCalls.Framework(c.getString("framework-name"), user, c.getString("role"),
                nonBlank(c.getString("principal")), c.getDuration("failover-timeout"));
        var executor = new MesosTasks.ExecutorLaunch(c.getString("executor-command"), c.getStringList("executor-uris"));
        var backoff = new ReconnectBackoff(c.getDuration("reconnect.min-backoff"), c.getDuration("reconnect.max-backoff"),
                c.getDouble("reconnect.jitter"));
        return new MesosSettings(c.getString("master"), framework, executor, nonBlank(c.getString("framework-id")),
                c.getDuration("accept-refuse"), c.getDuration("decline-refuse"), backoff, c.getInt("missed-heartbeats"),
                c.getDuration("revive-interval"), c.getDuration("reconcile.first-pause"), c.getDuration("reconcile.max-pause"),
                c.getDuration("decline-refuse-idle"), c.getDuration("implicit-reconcile-interval"), secret(c));
    }

    public MesosSettings withMaster(String master) {
        return new MesosSettings(master, framework, executor, frameworkId, acceptRefuse, declineRefuse, backoff, missedHeartbeats,
                reviveInterval, reconcileFirstPause, reconcileMaxPause, declineRefuseIdle, implicitReconcileInterval, secret);
    }

    public MesosSettings withFrameworkId(Optional<String> id) {
        return new MesosSettings(master, framework, executor, id, acceptRefuse, declineRefuse, backoff, missedHeartbeats,
                reviveInterval, reconcileFirstPause, reconcileMaxPause, declineRefuseIdle, implicitReconcileInterval, secret);
    }

    public MesosSettings withExecutor(String command, List<String> uris) {
        return new MesosSettings(master, framework, new MesosTasks.ExecutorLaunch(command, uris), frameworkId,
                acceptRefuse, declineRefuse, backoff, missedHeartbeats,
                reviveInterval, reconcileFirstPause, reconcileMaxPause, declineRefuseIdle, implicitReconcileInterval, secret);
    }

    public MesosSettings withSecret(Optional<Secret> newSecret) {
        return new MesosSettings(master, framework, executor, frameworkId, acceptRefuse, declineRefuse, backoff, missedHeartbeats,
                reviveInterval, reconcileFirstPause, reconcileMaxPause, declineRefuseIdle, implicitReconcileInterval, newSecret);
    }

    /** {@code secret-file}: the principal's secret, read from that file (its path is all the configuration holds). */
    private static Optional<Secret> secret(Config c) {
        if (!c.hasPath("secret-file") || c.getString("secret-file").isBlank()) {
            return Optional.empty();
        }
        var file = java.nio.file.Path.of(c.getString("secret-file"));
        try {
            return Optional.of(new Secret(java.nio.file.Files.readString(file).strip()));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the Mesos secret from " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> nonBlank(String value) {
        return value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}

package io.mysos.core.protocol;

import io.mysos.core.password.SealedSecret;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import java.util.Optional;

/**
 * Everything an executor needs to run one MySQL instance, sent with its launch. Passwords travel
 * sealed with the scheduler key: the cluster user's, and the internal admin account's (which
 * Mysos uses to control each instance and to replicate between them). {@code semiSync}: the
 * master acknowledges a commit only once a replica has it. {@code restoreTo}: with a {@code backupId},
 * the instance rolls the backup forward to this point ({@code restore_to}) from the archived binary logs.
 * {@code life}: which life of the cluster's name the instance belongs to ({@link #lifeOf} its creation
 * time): a name deleted and created again starts a new archive of binary logs, and its backups say
 * which life they hold; empty in task data from before lives were told apart.
 */
public record TaskData(
        TaskId taskId,
        String cluster,
        long serverId,
        String host,
        int port,
        Resources resources,
        String user,
        SealedSecret userPassword,
        SealedSecret adminPassword,
        Optional<String> backupId,
        boolean semiSync,
        Optional<String> restoreTo,
        String life) {
    private static final java.time.format.DateTimeFormatter LIFE =
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(java.time.ZoneOffset.UTC);

    public TaskData {
        restoreTo = restoreTo == null ? Optional.empty() : restoreTo;
        life = life == null ? "" : life;
    }

    /** Without a life (task data from before lives were told apart, and tests that need none). */
    public TaskData(TaskId taskId, String cluster, long serverId, String host, int port, Resources resources, String user,
            SealedSecret userPassword, SealedSecret adminPassword, Optional<String> backupId, boolean semiSync,
            Optional<String> restoreTo) {
        this(taskId, cluster, serverId, host, port, resources, user, userPassword, adminPassword, backupId, semiSync, restoreTo, "");
    }

    /** Without a point-in-time target. */
    public TaskData(TaskId taskId, String cluster, long serverId, String host, int port, Resources resources, String user,
            SealedSecret userPassword, SealedSecret adminPassword, Optional<String> backupId, boolean semiSync) {
        this(taskId, cluster, serverId, host, port, resources, user, userPassword, adminPassword, backupId, semiSync, Optional.empty());
    }

    /** The life of a cluster created at {@code createdAt}: its creation time, to the millisecond, fit for a path. */
    public static String lifeOf(java.time.Instant createdAt) {
        return createdAt == null ? "" : LIFE.format(createdAt);
    }

    /** The same task, its data restored from {@code backupId} (a seeded instance). */
    public TaskData seededFrom(String backupId) {
        return new TaskData(taskId, cluster, serverId, host, port, resources, user, userPassword, adminPassword, Optional.of(backupId),
                semiSync, Optional.empty(), life);
    }

    /**
     * The account Mysos creates on every instance for control and replication: a name no user is
     * likely to pick (original Mysos's own client creates clusters with {@code cluster_user=mysos}).
     */
    public static final String ADMIN_USER = "_mysos_admin";
}

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
        Optional<String> restoreTo) {

    public TaskData {
        restoreTo = restoreTo == null ? Optional.empty() : restoreTo;
    }

    /** Without a point-in-time target. */
    public TaskData(TaskId taskId, String cluster, long serverId, String host, int port, Resources resources, String user,
            SealedSecret userPassword, SealedSecret adminPassword, Optional<String> backupId, boolean semiSync) {
        this(taskId, cluster, serverId, host, port, resources, user, userPassword, adminPassword, backupId, semiSync, Optional.empty());
    }

    /**
     * The account Mysos creates on every instance for control and replication: a name no user is
     * likely to pick (original Mysos's own client creates clusters with {@code cluster_user=mysos}).
     */
    public static final String ADMIN_USER = "_mysos_admin";
}

package io.mysos.core.protocol;

import io.mysos.core.password.SealedSecret;
import io.mysos.core.resources.Resources;
import io.mysos.core.task.TaskId;
import java.util.Optional;

/**
 * Everything an executor needs to run one MySQL instance, sent with its launch. Passwords travel
 * sealed with the scheduler key: the cluster user's, and the internal admin account's (which
 * Mysos uses to control each instance and to replicate between them). {@code semiSync}: the
 * master acknowledges a commit only once a replica has it.
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
        boolean semiSync) {

    /**
     * The account Mysos creates on every instance for control and replication: a name no user is
     * likely to pick (original Mysos's own client creates clusters with {@code cluster_user=mysos}).
     */
    public static final String ADMIN_USER = "_mysos_admin";
}

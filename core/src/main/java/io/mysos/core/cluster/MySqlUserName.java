package io.mysos.core.cluster;

import io.mysos.core.InvalidInputException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * MySQL account names Mysos will create. Only a plain alphabet is accepted, so a name can never
 * break out of the quoted literal it is written into; names Mysos keeps for itself are refused.
 */
public final class MySqlUserName {
    private static final Pattern VALID = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,31}");
    /** Accounts that exist on every server or that Mysos uses to run the cluster. */
    public static final Set<String> RESERVED = Set.of("root", io.mysos.core.protocol.TaskData.ADMIN_USER, "mysql", "mariadb.sys", "mysql.sys",
            "mysql.session", "mysql.infoschema", "public", "pub");

    private MySqlUserName() {}

    public static String validate(String user) {
        if (user == null || user.isEmpty()) {
            throw new InvalidInputException("cluster_user is required");
        }
        if (!VALID.matcher(user).matches()) {
            throw new InvalidInputException("invalid cluster_user '" + ClusterName.printable(user)
                    + "': use 1-32 characters of A-Z, a-z, 0-9 and '_', not starting with a digit");
        }
        if (RESERVED.contains(user.toLowerCase(Locale.ROOT))) {
            throw new InvalidInputException("cluster_user '" + user + "' is reserved; choose another name");
        }
        return user;
    }
}

package io.mysos.core.backup;

import io.mysos.core.InvalidInputException;
import io.mysos.core.cluster.RequestFields;
import java.util.regex.Pattern;

/** Backup ids as {@code backup_id} names them at create: {@code <cluster>/<id>}. */
public final class BackupIds {
    private static final Pattern FULL = Pattern.compile("([a-z0-9][a-z0-9_-]{0,62})/([A-Za-z0-9][A-Za-z0-9_.-]{0,127})");

    private BackupIds() {}

    /** @throws InvalidInputException unless {@code fullId} looks like {@code <cluster>/<id>} */
    public static String validate(String fullId) {
        if (!FULL.matcher(fullId).matches() || fullId.contains("..")) {
            throw new InvalidInputException("backup_id must look like <cluster>/<id> (as GET /clusters/<cluster>/backups lists them), not '"
                    + RequestFields.shown(fullId) + "'");
        }
        return fullId;
    }

    public static String cluster(String fullId) {
        return fullId.substring(0, fullId.indexOf('/'));
    }

    public static String id(String fullId) {
        return fullId.substring(fullId.indexOf('/') + 1);
    }
}

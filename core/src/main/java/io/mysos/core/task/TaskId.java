package io.mysos.core.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mysos.core.InvalidInputException;
import io.mysos.core.cluster.ClusterName;
import java.util.regex.Pattern;

/**
 * The id of one MySQL instance's task: {@code mysos-<cluster>-<serverId>}. The server id is the
 * instance's MySQL {@code server_id}, unique within its cluster and never 0.
 */
public record TaskId(String value) {
    private static final Pattern FORM = Pattern.compile("mysos-([a-z0-9][a-z0-9_-]{0,62})-([1-9][0-9]{0,9})");

    @JsonCreator
    public TaskId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new InvalidInputException("'" + value + "' is not a Mysos task id");
        }
    }

    public static TaskId of(String cluster, long serverId) {
        ClusterName.validate(cluster);
        return new TaskId("mysos-" + cluster + "-" + serverId);
    }

    public String cluster() {
        var m = FORM.matcher(value);
        m.matches();
        return m.group(1);
    }

    public long serverId() {
        var m = FORM.matcher(value);
        m.matches();
        return Long.parseLong(m.group(2));
    }

    @JsonValue
    @Override
    public String toString() {
        return value;
    }
}

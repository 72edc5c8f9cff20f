package io.mysos.core.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mysos.core.InvalidInputException;
import io.mysos.core.cluster.ClusterName;
import java.util.regex.Pattern;

/**
 * The id of one MySQL instance's task: {@code mysos-<cluster>-<serverId>}. The server id is the
 * instance's MySQL {@code server_id}, unique within its cluster and never 0. (A class, not a record,
 * so that Jackson 2.13 reads it from its plain text form.)
 */
public final class TaskId {
    private static final Pattern FORM = Pattern.compile("mysos-([a-z0-9][a-z0-9_-]{0,62})-([1-9][0-9]{0,9})");
    /** MySQL's server_id is an unsigned 32-bit number. */
    private static final long MAX_SERVER_ID = 4_294_967_295L;

    // DELEGATING: with the parameter-names module a one-argument creator would otherwise expect {"value": ...}.
    private final String value;

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public TaskId(String value) {
        var m = value == null ? null : FORM.matcher(value);
        if (m == null || !m.matches() || Long.parseLong(m.group(2)) > MAX_SERVER_ID) {
            throw new InvalidInputException("'" + value + "' is not a Mysos task id");
        }
        this.value = value;
    }

    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskId other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    public static TaskId of(String cluster, long serverId) {
        ClusterName.validate(cluster);
        // A negative id would print as "<cluster>--1" and read back as cluster "<cluster>-", server id 1.
        if (serverId < 1 || serverId > MAX_SERVER_ID) {
            throw new InvalidInputException("server id must be between 1 and " + MAX_SERVER_ID + ", not " + serverId);
        }
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

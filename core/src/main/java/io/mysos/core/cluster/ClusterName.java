package io.mysos.core.cluster;

import io.mysos.core.InvalidInputException;
import java.util.regex.Pattern;

/** Cluster names become task ids, directory names and Mesos ids, so they are kept to a safe alphabet. */
public final class ClusterName {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private ClusterName() {}

    public static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidInputException("a cluster name is required");
        }
        if (!VALID.matcher(name).matches()) {
            throw new InvalidInputException("invalid cluster name '" + printable(name)
                    + "': use 1-63 characters of a-z, 0-9, '_' and '-', starting with a letter or digit");
        }
        return name;
    }

    static String printable(String text) {
        var shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }
}

package io.mysos.http.metrics;

import java.util.Set;

/**
 * The route a request path belongs to, as a metric label: the template ({@code /clusters/{name}}),
 * never the path itself, so clients cannot make a new time series per URL.
 */
final class RouteLabel {
    /** What follows {@code /clusters/{name}/} in routes Mysos serves (or will: other issues add them). */
    private static final Set<String> CLUSTER_RESOURCES = Set.of("failover", "events", "backups", "endpoints");
    private static final Set<String> TOP = Set.of("health", "metrics", "clusters");

    private RouteLabel() {}

    static String of(String path) {
        var parts = path.replaceAll("/+$", "").split("/", -1);
        // "" -> [""], "/clusters" -> ["", "clusters"]
        if (parts.length <= 1) {
            return "/";
        }
        if (parts[1].equals("dashboard")) {
            return "/dashboard";
        }
        if (parts.length == 2 && TOP.contains(parts[1])) {
            return "/" + parts[1];
        }
        if (!parts[1].equals("clusters")) {
            return "other";
        }
        if (parts.length == 3) {
            return "/clusters/{name}";
        }
        if (parts.length == 4 && CLUSTER_RESOURCES.contains(parts[3])) {
            return "/clusters/{name}/" + parts[3];
        }
        return "other";
    }
}

package io.mysos.endpoints.serverset;

import io.mysos.core.InvalidInputException;

/**
 * A ZooKeeper URL as original Mysos took it: {@code zk://HOST:PORT[,HOST:PORT...]/path}. Clusters
 * are published under {@code <path>/<cluster>}, and that is their {@code cluster_url}.
 */
public record ZkUrl(String connectString, String path) {
    public ZkUrl {
        if (!path.startsWith("/") || path.endsWith("/") && path.length() > 1 || path.contains("//")) {
            throw new InvalidInputException("the ZooKeeper path must be absolute, without a trailing slash: " + path);
        }
    }

    public static ZkUrl parse(String url) {
        if (!url.startsWith("zk://")) {
            throw new InvalidInputException("--zk must be zk://HOST:PORT[,HOST:PORT...]/path, not '" + url + "'");
        }
        var rest = url.substring("zk://".length());
        int slash = rest.indexOf('/');
        var hosts = slash < 0 ? rest : rest.substring(0, slash);
        var path = slash < 0 ? "/" : rest.substring(slash);
        if (!hosts.matches("[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}(,[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5})*") || path.length() < 2) {
            throw new InvalidInputException("--zk must be zk://HOST:PORT[,HOST:PORT...]/path, not '" + url + "'");
        }
        return new ZkUrl(hosts, path);
    }

    /** The znode of one cluster: {@code <path>/<cluster>}. */
    public String clusterPath(String cluster) {
        return path + "/" + cluster;
    }

    /** What clients are given as {@code cluster_url}. */
    public String clusterUrl(String cluster) {
        return "zk://" + connectString + clusterPath(cluster);
    }

    @Override
    public String toString() {
        return "zk://" + connectString + path;
    }
}

package io.mysos.executor.mysql;

import io.mysos.core.InvalidInputException;
import java.util.regex.Pattern;

/** Checks for the host names and ports that reach my.cnf, JDBC URLs and CHANGE MASTER statements. */
public final class Endpoints {
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV6 = Pattern.compile("(?=.{2,45}$)[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private Endpoints() {}

    /** Returns {@code host} when it is a host name, an IPv4 or an IPv6 address; refuses anything else. */
    public static String validHost(String host) {
        if (host == null || !(HOSTNAME.matcher(host).matches() || IPV6.matcher(host).matches())) {
            throw new InvalidInputException("'" + host + "' is not a host name or IP address");
        }
        return host;
    }

    public static int validPort(int port) {
        if (port < 1 || port > 65535) {
            throw new InvalidInputException("port must be 1 to 65535, not " + port);
        }
        return port;
    }

    /** {@code host:port}, with an IPv6 address in brackets. */
    public static String address(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

package io.mysos.core.endpoint;

/** One instance an endpoint forwards to, and the epoch in which it was chosen. */
public record Target(String taskId, String host, int port, long epoch) {
    /** {@code host:port}, as clients write it. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

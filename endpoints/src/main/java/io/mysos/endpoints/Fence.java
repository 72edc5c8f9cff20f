package io.mysos.endpoints;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open connections of one endpoint to one target. Pulling it closes them all at once (the
 * target left the endpoint: a fenced master, a lagging replica); a connection added afterwards is
 * closed at once, so no connection outlives its target's place in the endpoint.
 */
final class Fence {
    /** Something a fence can close: a forwarded connection. */
    interface Connection {
        void close();
    }

    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean pulled;

    /** Adds a connection; false (and the connection closed) if the fence was already pulled. */
    boolean add(Connection connection) {
        open.add(connection);
        if (pulled) {
            open.remove(connection);
            connection.close();
            return false;
        }
        return true;
    }

    void remove(Connection connection) {
        open.remove(connection);
    }

    void pull() {
        pulled = true;
        for (var connection : open) {
            open.remove(connection);
            connection.close();
        }
    }

    boolean pulled() {
        return pulled;
    }

    int size() {
        return open.size();
    }
}

package io.mysos.it.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Free TCP ports on 127.0.0.1 for the API and for instances. */
public final class Ports {
    private Ports() {}

    /** Local mode's default endpoint ports ({@code --endpoint-ports 30000-30999}): never handed out as instance ports. */
    private static final int ENDPOINTS_FIRST = 30000;
    private static final int ENDPOINTS_LAST = 30999;

    /** Whether a server could listen on the port now (with SO_REUSEADDR, as mysqld binds). */
    public static boolean isFree(int port) {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static int free() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The first port of {@code count} consecutive free ports in 20000-32767: below Linux's ephemeral
     * range (32768-60999), so no client connection of the test takes one between check and use, and
     * outside local mode's default endpoint ports, which its clusters' endpoints bind as they are created.
     */
    public static int freeRange(int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = 20000 + ThreadLocalRandom.current().nextInt(12768 - count);
            if (first + count > ENDPOINTS_FIRST && first <= ENDPOINTS_LAST) {
                continue; // local mode's endpoints take ports there as clusters are created
            }
            boolean all = true;
            for (int port = first; port < first + count && all; port++) {
                all = isFree(port);
            }
            if (all) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports in 20000-32767");
    }
}

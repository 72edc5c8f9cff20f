package io.mysos.endpoints;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A stand-in for mysqld: greets each connection with its name (the server speaks first, as MySQL does), then echoes. */
final class FakeServer implements AutoCloseable {
    final String name;
    private final ServerSocket socket;
    final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    /** The port each connection came from, as this server sees it. */
    final List<Integer> peerPorts = new CopyOnWriteArrayList<>();

    FakeServer(String name) throws IOException {
        this.name = name;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        var thread = new Thread(this::accept, "fake-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                var s = socket.accept();
                peerPorts.add(s.getPort());
                accepted.incrementAndGet();
                open.add(s);
                var t = new Thread(() -> serve(s), "fake-" + name + "-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            var buffer = new byte[1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (var s : open) {
            s.close();
        }
    }
}

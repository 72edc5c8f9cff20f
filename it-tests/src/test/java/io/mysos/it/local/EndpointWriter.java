package io.mysos.it.local;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stock client of a stable endpoint: it knows one {@code host:port} and nothing of Mysos, keeps
 * inserting numbered rows into {@code shop.writes} and reconnects to the same address when its
 * connection breaks. Each row records the port of the mysqld that took it ({@code @@port}); the
 * writer remembers every row the server acknowledged.
 */
public final class EndpointWriter implements AutoCloseable {
    private final String address;
    private final String password;
    private final List<Long> acknowledged = new CopyOnWriteArrayList<>();
    private final Map<Long, Integer> servedBy = new ConcurrentHashMap<>();
    private final AtomicLong next;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public EndpointWriter(String address, String password, long firstId) throws Exception {
        this.address = address;
        this.password = password;
        this.next = new AtomicLong(firstId);
        try (var connection = connect(); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS shop");
            statement.execute("CREATE TABLE IF NOT EXISTS shop.writes (id BIGINT PRIMARY KEY, port INT NOT NULL)");
        }
        thread = new Thread(this::run, "endpoint-writer-" + address);
        thread.setDaemon(true);
        thread.start();
    }

    Connection connect() throws Exception {
        // connectTimeout above the endpoint's 10 s wait for a new master.
        return DriverManager.getConnection("jdbc:mysql://" + address
                + "/?useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=15000&socketTimeout=15000", "app", password);
    }

    private void run() {
        Connection connection = null;
        while (running.get()) {
            try {
                if (connection == null) {
                    connection = connect();
                }
                long id = next.getAndIncrement();
                try (var statement = connection.createStatement()) {
                    statement.executeUpdate("INSERT INTO shop.writes VALUES (" + id + ", @@port)");
                }
                acknowledged.add(id);
            } catch (Exception e) {
                close(connection);
                connection = null;
                Api.sleep(20);
            }
        }
        close(connection);
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (Exception ignored) {
                // dead anyway
            }
        }
    }

    public void awaitProgress(int count) {
        var target = acknowledged.size() + count;
        var deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
        while (acknowledged.size() < target && System.nanoTime() < deadline) {
            Api.sleep(10);
        }
        if (acknowledged.size() < target) {
            throw new AssertionError("the writer through " + address + " made no progress: " + acknowledged.size() + " rows");
        }
    }

    public List<Long> acknowledged() {
        return List.copyOf(acknowledged);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(20_000);
    }
}

package io.mysos.it.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that keeps inserting numbered rows into {@code shop.writes} on whatever the API says is
 * the master, and remembers every insert the server acknowledged. A failed insert is not retried
 * with the same number (it may or may not have committed); the next row gets the next number.
 */
public final class Writer implements AutoCloseable {
    private final Api api;
    private final String cluster;
    private final String password;
    private final List<Long> acknowledged = new CopyOnWriteArrayList<>();
    private final AtomicLong next = new AtomicLong(1);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public Writer(Api api, String cluster, String password) throws Exception {
        this.api = api;
        this.cluster = cluster;
        this.password = password;
        Sql.execute(master(), "app", password, "CREATE DATABASE IF NOT EXISTS shop",
                "CREATE TABLE IF NOT EXISTS shop.writes (id BIGINT PRIMARY KEY)");
        thread = new Thread(this::run, "writer-" + cluster);
        thread.setDaemon(true);
        thread.start();
    }

    private JsonNode master() {
        return api.awaitCluster(cluster, java.time.Duration.ofSeconds(60), c -> !c.path("master").isNull()
                && "RUNNING".equals(c.path("master").path("state").asText())).path("master");
    }

    private void run() {
        Connection connection = null;
        while (running.get()) {
            try {
                if (connection == null) {
                    connection = Sql.connect(master(), "app", password);
                }
                long id = next.getAndIncrement();
                try (var statement = connection.createStatement()) {
                    statement.executeUpdate("INSERT INTO shop.writes VALUES (" + id + ")");
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
                // the connection is dead anyway
            }
        }
    }

    /** Waits until at least {@code count} more rows were acknowledged. */
    public void awaitProgress(int count) {
        var target = acknowledged.size() + count;
        var deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (acknowledged.size() < target && System.nanoTime() < deadline) {
            Api.sleep(10);
        }
        if (acknowledged.size() < target) {
            throw new AssertionError("the writer made no progress: " + acknowledged.size() + " rows acknowledged");
        }
    }

    public List<Long> acknowledged() {
        return List.copyOf(acknowledged);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}

package io.mysos.it.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysos.journal.JournalKind;
import io.mysos.journal.JournalSchema;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Several schedulers starting at once against an empty database, each creating the schema. */
final class SchemaRace {

    private SchemaRace() {
    }

    static void createFromConcurrentStarts(JournalKind kind, String url, String user, String password) throws Exception {
        int starts = 4;
        var go = new CountDownLatch(1);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < starts; i++) {
            all.add(CompletableFuture.runAsync(() -> {
                awaitQuietly(go);
                JournalSchema.createIfMissing(url, user, password, kind);
            }));
        }
        go.countDown();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        // And once more, as every later start does.
        JournalSchema.createIfMissing(url, user, password, kind);
    }

    /** The tables of the current schema/database of {@code url}, lower-cased. */
    static Set<String> tables(String url, String user, String password) throws SQLException {
        var names = new TreeSet<String>();
        try (var connection = DriverManager.getConnection(url, user, password);
             var rows = connection.getMetaData().getTables(connection.getCatalog(), connection.getSchema(), "%", new String[] {"TABLE"})) {
            while (rows.next()) {
                names.add(rows.getString("TABLE_NAME").toLowerCase());
            }
        }
        return names;
    }

    static void assertJournalTables(Set<String> expected, String url, String user, String password) throws SQLException {
        assertEquals(expected, tables(url, user, password));
    }

    /** Runs administrative SQL (creating and dropping the scratch schema) outside the code under test. */
    static void execute(String url, String user, String password, String sql) throws SQLException {
        try (var connection = DriverManager.getConnection(url, user, password);
             var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** A name no other run uses, for a scratch schema or database. */
    static String scratchName() {
        return "mysos_journal_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

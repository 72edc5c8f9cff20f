package io.mysos.it.journal;

import com.typesafe.config.Config;
import io.mysos.journal.H2Journal;
import io.mysos.journal.JournalKind;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * A journal of its own for one test: the cluster actors use fixed persistence ids ({@code registry},
 * {@code cluster|<name>}) and the tag {@code cluster}, so runs sharing a database would see each
 * other's clusters. An H2 file in a temp dir, a PostgreSQL schema or a MariaDB database, each with
 * the journal's tables, dropped again on close.
 */
record ScratchJournal(JournalKind kind, String url, String user, String password, String dropSql, String adminUrl)
        implements AutoCloseable {

    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String MARIADB = "jdbc:mysql://127.0.0.1:3306/";

    /** The H2 journal under {@code dataDir}; the temp dir goes with the test. */
    static ScratchJournal h2(Path dataDir) {
        return created(new ScratchJournal(JournalKind.H2, H2Journal.url(dataDir), "sa", "", "", ""));
    }

    /** A fresh schema in the local PostgreSQL (database test). */
    static ScratchJournal postgres() throws SQLException {
        String schema = SchemaRace.scratchName();
        SchemaRace.execute(POSTGRES, "postgres", "", "CREATE SCHEMA " + schema);
        return created(new ScratchJournal(JournalKind.POSTGRES, POSTGRES + "?currentSchema=" + schema, "postgres", "",
                "DROP SCHEMA " + schema + " CASCADE", POSTGRES));
    }

    /** A fresh database in the local MariaDB, used as the MySQL journal. */
    static ScratchJournal mariadb() throws SQLException {
        String database = SchemaRace.scratchName();
        SchemaRace.execute(MARIADB + "test", "root", "", "CREATE DATABASE " + database);
        return created(new ScratchJournal(JournalKind.MYSQL, MARIADB + database, "root", "",
                "DROP DATABASE " + database, MARIADB + "test"));
    }

    private static ScratchJournal created(ScratchJournal journal) {
        try {
            JournalRoundTrip.createSchema(journal.kind(), journal.url(), journal.user(), journal.password());
            return journal;
        } catch (RuntimeException | AssertionError e) {
            journal.close();
            throw e;
        }
    }

    /** The ActorSystem config that puts the journal, snapshots and queries here. */
    Config config() {
        return JournalTestConfig.of(kind, url, user, password);
    }

    /** Plain SQL on the journal's tables, as an operator reads them. */
    JournalTables tables() {
        return new JournalTables(url, user, password);
    }

    @Override
    public void close() {
        if (dropSql.isEmpty()) {
            return;
        }
        try {
            SchemaRace.execute(adminUrl, user, password, dropSql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop the scratch journal: " + dropSql, e);
        }
    }
}

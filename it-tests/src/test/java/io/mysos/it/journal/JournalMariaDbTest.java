package io.mysos.it.journal;

import io.mysos.journal.JournalKind;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The journal in the local MariaDB (127.0.0.1:3306, database test; bin/test starts it), served
 * as the MySQL journal: Connector/J and the MySQL DDL.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JournalMariaDbTest {

    private static final String SERVER = "jdbc:mysql://127.0.0.1:3306/";
    private static final String USER = "root";
    private static final String PASSWORD = "";

    @Test
    void recoversTheStateFromSnapshotAndEventsInANewActorSystem() {
        JournalRoundTrip.run(JournalKind.MYSQL, SERVER + "test", USER, PASSWORD);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void recordsARealClustersLifeAndRecoversItInNewActorSystems() throws Exception {
        try (var journal = ScratchJournal.mariadb()) {
            ClusterLifeRoundTrip.run(journal);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void recoversARealClusterFromItsSnapshot() throws Exception {
        try (var journal = ScratchJournal.mariadb()) {
            ClusterSnapshotRoundTrip.run(journal, 3, 0, 0);
        }
    }

    /** A BLOB column holds 64 KiB; the MySQL DDL's LONGBLOB holds the snapshot of a large cluster. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void recoversAClusterFromASnapshotOver64KiB() throws Exception {
        try (var journal = ScratchJournal.mariadb()) {
            ClusterSnapshotRoundTrip.run(journal, 6, 20_000, 64 * 1024 + 1);
        }
    }

    @Test
    void createsTheSchemaInAnEmptyDatabaseFromConcurrentStarts() throws Exception {
        String database = SchemaRace.scratchName();
        SchemaRace.execute(SERVER + "test", USER, PASSWORD, "CREATE DATABASE " + database);
        try {
            String url = SERVER + database;
            SchemaRace.createFromConcurrentStarts(JournalKind.MYSQL, url, USER, PASSWORD);
            SchemaRace.assertJournalTables(Set.of("event_journal", "event_tag", "snapshot"), url, USER, PASSWORD);
            JournalRoundTrip.run(JournalKind.MYSQL, url, USER, PASSWORD);
        } finally {
            SchemaRace.execute(SERVER + "test", USER, PASSWORD, "DROP DATABASE " + database);
        }
    }
}

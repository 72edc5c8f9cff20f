package io.mysos.it.journal;

import io.mysos.journal.JournalKind;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The journal in the local PostgreSQL (127.0.0.1:5432, database test; bin/test starts it). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JournalPostgresTest {

    private static final String DATABASE = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String USER = "postgres";
    private static final String PASSWORD = "";

    @Test
    void recoversTheStateFromSnapshotAndEventsInANewActorSystem() {
        JournalRoundTrip.run(JournalKind.POSTGRES, DATABASE, USER, PASSWORD);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void recordsARealClustersLifeAndRecoversItInNewActorSystems() throws Exception {
        try (var journal = ScratchJournal.postgres()) {
            ClusterLifeRoundTrip.run(journal);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void recoversARealClusterFromItsSnapshot() throws Exception {
        try (var journal = ScratchJournal.postgres()) {
            ClusterSnapshotRoundTrip.run(journal, 3, 0, 0);
        }
    }

    @Test
    void createsTheSchemaInAnEmptySchemaFromConcurrentStarts() throws Exception {
        String schema = SchemaRace.scratchName();
        SchemaRace.execute(DATABASE, USER, PASSWORD, "CREATE SCHEMA " + schema);
        try {
            String url = DATABASE + "?currentSchema=" + schema;
            SchemaRace.createFromConcurrentStarts(JournalKind.POSTGRES, url, USER, PASSWORD);
            SchemaRace.assertJournalTables(Set.of("durable_state", "event_journal", "event_tag", "snapshot"), url, USER, PASSWORD);
            JournalRoundTrip.run(JournalKind.POSTGRES, url, USER, PASSWORD);
        } finally {
            SchemaRace.execute(DATABASE, USER, PASSWORD, "DROP SCHEMA " + schema + " CASCADE");
        }
    }
}

package io.mysos.it.journal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.journal.H2Journal;
import io.mysos.journal.JournalKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default journal: an H2 file under the data directory. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JournalH2Test {

    @TempDir
    Path dataDir;

    @Test
    void recoversTheStateFromSnapshotAndEventsInANewActorSystem() {
        JournalRoundTrip.run(JournalKind.H2, H2Journal.url(dataDir), "sa", "");
        assertTrue(Files.isRegularFile(dataDir.resolve("journal/mysos.mv.db")), "journal file under the data directory");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void recordsARealClustersLifeAndRecoversItInNewActorSystems() {
        try (var journal = ScratchJournal.h2(dataDir)) {
            ClusterLifeRoundTrip.run(journal);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void recoversARealClusterFromItsSnapshot() {
        try (var journal = ScratchJournal.h2(dataDir)) {
            ClusterSnapshotRoundTrip.run(journal, 3, 0, 0);
        }
    }

    @Test
    void createsTheSchemaFromConcurrentStarts() throws Exception {
        String url = H2Journal.url(dataDir);
        SchemaRace.createFromConcurrentStarts(JournalKind.H2, url, "sa", "");
        SchemaRace.assertJournalTables(Set.of("durable_state", "event_journal", "event_tag", "snapshot"), url, "sa", "");
    }
}

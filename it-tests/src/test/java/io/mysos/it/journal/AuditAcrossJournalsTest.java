package io.mysos.it.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same scripted cluster life on H2, PostgreSQL and MariaDB: {@code mysos audit} tells the same
 * timeline, the same states at two moments and the same verification on all three, and agrees with
 * the API on each (see {@link AuditRoundTrip}).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AuditAcrossJournalsTest {

    @TempDir
    Path dataDir;

    @Test
    void everyJournalTellsTheSameHistory() throws Exception {
        AuditRoundTrip.Result h2;
        try (var journal = ScratchJournal.h2(dataDir)) {
            h2 = AuditRoundTrip.run(journal, "--data-dir", dataDir.toString());
        }
        AuditRoundTrip.Result postgres;
        try (var journal = ScratchJournal.postgres()) {
            postgres = AuditRoundTrip.run(journal, "--journal", journal.url(), "--journal-user", journal.user());
        }
        AuditRoundTrip.Result mariadb;
        try (var journal = ScratchJournal.mariadb()) {
            mariadb = AuditRoundTrip.run(journal, "--journal", journal.url().replaceFirst("jdbc:mysql:", "jdbc:mariadb:"),
                    "--journal-user", journal.user());
        }

        assertTrue(h2.timeline().contains("orders, incarnation 2"), String.join("\n", h2.timeline()));
        assertTrue(h2.timeline().stream().anyMatch(l -> l.contains("failover to mysos-orders-3 from mysos-orders-1 completed")),
                String.join("\n", h2.timeline()));
        assertEquals(List.of("orders at <time>: active (incarnation 1, through event #17), 2 node(s) wanted, epoch 1, master mysos-orders-3"),
                h2.atFailover().subList(0, 1), String.join("\n", h2.atFailover()));
        assertTrue(h2.atDeletion().get(0).startsWith("orders at <time>: none (incarnation 1, through event #24)"),
                String.join("\n", h2.atDeletion()));
        assertEquals("verified: every history replays and keeps its invariants", h2.verify().get(h2.verify().size() - 1));

        assertEquals(h2, postgres, "H2 and PostgreSQL");
        assertEquals(h2, mariadb, "H2 and MariaDB");
    }
}

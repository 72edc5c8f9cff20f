package io.mysos.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.journal.H2Journal;
import io.mysos.journal.JournalKind;
import io.mysos.journal.JournalSchema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mysos audit}'s answers when it cannot read: no journal, a journal held by a running scheduler, bad times. */
class AuditCommandTest {
    @TempDir
    Path dataDir;

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        var command = new CommandLine(new Mysos()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int exit = command.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void saysWhereNoJournalIs() {
        var run = run("audit", "--data-dir", dataDir.toString());
        assertEquals(2, run.exit(), run.err());
        assertTrue(run.err().contains("no journal at " + dataDir.resolve("journal")), run.err());
    }

    @Test
    void saysToStopTheSchedulerThatHoldsTheH2Journal() throws Exception {
        var url = H2Journal.url(dataDir);
        JournalSchema.createIfMissing(url, "sa", "", JournalKind.H2);
        var holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), H2Holder.class.getName(), url)
                .redirectErrorStream(true).start();
        try {
            var line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertEquals("open", line);
            var run = run("audit", "--data-dir", dataDir.toString(), "--verify");
            assertEquals(2, run.exit(), run.err());
            assertTrue(run.err().contains("in use by a running mysos local or mysos scheduler") && run.err().contains("stop it first"),
                    run.err());
        } finally {
            holder.destroy();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        var free = run("audit", "--data-dir", dataDir.toString(), "--verify");
        assertEquals(0, free.exit(), free.err());
        assertTrue(free.out().contains("verified"), free.out());
    }

    @Test
    void refusesATimeItCannotRead() {
        var run = run("audit", "--data-dir", dataDir.toString(), "--at", "yesterday");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--at must be a time such as 2026-12-01T06:00:00Z"), run.err());
        var reversed = run("audit", "--data-dir", dataDir.toString(), "--from", "2026-12-01T00:00:00Z", "--to", "2026-11-01T00:00:00Z");
        assertEquals(2, reversed.exit(), "a reversed range is refused, not answered with an empty history");
        assertTrue(reversed.err().contains("--from 2026-12-01T00:00:00Z is after --to 2026-11-01T00:00:00Z"), reversed.err());
    }
}

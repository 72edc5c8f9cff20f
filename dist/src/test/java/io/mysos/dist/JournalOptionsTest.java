package io.mysos.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import io.mysos.journal.JournalKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --journal URL} as local, scheduler and audit read it: the kind from the url, the password never from a flag. */
class JournalOptionsTest {
    @TempDir
    Path dir;

    private static Optional<LocalSettings.Journal> journal(Map<String, String> env, String... args) {
        var options = new JournalOptions();
        new CommandLine(options).parseArgs(args);
        return options.journal(env);
    }

    @Test
    void withoutAUrlItIsTheEmbeddedH2File() {
        assertEquals(Optional.empty(), journal(Map.of()));
    }

    @Test
    void readsEachKindFromTheUrl() {
        var h2 = journal(Map.of(), "--journal", "jdbc:h2:file:/var/lib/mysos/journal/mysos").orElseThrow();
        assertEquals(JournalKind.H2, h2.kind());
        assertEquals("sa", h2.user());
        assertTrue(h2.url().orElseThrow().startsWith("jdbc:h2:file:/var/lib/mysos/journal/mysos;DATABASE_TO_UPPER=FALSE"), h2.url().get());

        var postgres = journal(Map.of(), "--journal", "jdbc:postgresql://db:5432/mysos").orElseThrow();
        assertEquals(new LocalSettings.Journal(JournalKind.POSTGRES, Optional.of("jdbc:postgresql://db:5432/mysos"), "mysos", ""), postgres);

        var mariadb = journal(Map.of(), "--journal", "jdbc:mariadb://db/mysos", "--journal-user", "ops").orElseThrow();
        assertEquals(new LocalSettings.Journal(JournalKind.MYSQL, Optional.of("jdbc:mysql://db/mysos"), "ops", ""), mariadb,
                "MariaDB through Connector/J, the driver Mysos ships");
        assertEquals(JournalKind.MYSQL, journal(Map.of(), "--journal", "jdbc:mysql://db/mysos").orElseThrow().kind());
    }

    @Test
    void thePasswordComesFromAFileOrTheEnvironment() throws Exception {
        var file = Files.writeString(dir.resolve("journal-password"), "s3cret\n");
        assertEquals("s3cret", journal(Map.of(JournalOptions.PASSWORD_ENV, "other"), "--journal", "jdbc:postgresql://db/mysos",
                "--journal-password-file", file.toString()).orElseThrow().password(), "the file wins, without its newline");
        var fromEnv = journal(Map.of(JournalOptions.PASSWORD_ENV, "from-env", JournalOptions.USER_ENV, "ops"),
                "--journal", "jdbc:postgresql://db/mysos").orElseThrow();
        assertEquals(("from-env ops"), fromEnv.password() + " " + fromEnv.user());
        assertThrows(CommandLine.UnmatchedArgumentException.class,
                () -> journal(Map.of(), "--journal", "jdbc:postgresql://db/mysos", "--journal-password", "s3cret"));
    }

    @Test
    void refusesWhatItCannotOpen() {
        var wrong = assertThrows(InvalidInputException.class, () -> journal(Map.of(), "--journal", "jdbc:oracle:thin:@db:1521"));
        assertTrue(wrong.getMessage().contains("jdbc:postgresql://"), wrong.getMessage());
        assertThrows(InvalidInputException.class, () -> journal(Map.of(), "--journal", "jdbc:h2:mem:x"));
        assertThrows(InvalidInputException.class, () -> journal(Map.of(), "--journal-user", "ops"));
        assertThrows(InvalidInputException.class, () -> journal(Map.of(), "--journal", "jdbc:postgresql://db/mysos",
                "--journal-password-file", dir.resolve("missing").toString()));
    }

    @Test
    void localAndSchedulerTakeTheJournal() {
        var local = new LocalCommand();
        new CommandLine(local).parseArgs("--journal", "jdbc:postgresql://db/mysos");
        assertEquals(JournalKind.POSTGRES, local.settings().journal().kind());
        var scheduler = new SchedulerCommand();
        new CommandLine(scheduler).parseArgs("--master", "127.0.0.1:5050", "--journal", "jdbc:mariadb://db/mysos");
        assertEquals(JournalKind.MYSQL, scheduler.settings().journal().kind());
        var embedded = new SchedulerCommand();
        new CommandLine(embedded).parseArgs("--master", "127.0.0.1:5050");
        assertEquals(LocalSettings.Journal.EMBEDDED, embedded.settings().journal());
    }
}

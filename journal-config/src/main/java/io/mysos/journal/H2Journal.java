package io.mysos.journal;

import java.nio.file.Path;

/** Where the embedded default journal lives: an H2 database file under the Mysos data directory. */
public final class H2Journal {

    /**
     * Connection settings, and why:
     * DATABASE_TO_UPPER=FALSE - the plugin's H2 tables have quoted lower-case names; keep any
     *   unquoted name lower-case too, as akka-persistence-jdbc's own H2 setup does.
     * DB_CLOSE_ON_EXIT=FALSE - H2's own shutdown hook would close the file while Akka's
     *   coordinated shutdown may still persist the last events. The database closes (cleanly,
     *   compacted) when its last connection does: when the ActorSystem terminates and the plugin
     *   closes its pool. No DB_CLOSE_DELAY=-1, which would keep it open and never close it cleanly.
     * WRITE_DELAY=0 - write each commit to the file at once instead of up to 500 ms later. With
     *   the default, a JVM killed right after its last commits reopens without them (tried: 50
     *   committed rows, Runtime.halt, 0 rows back); an acknowledged event must survive kill -9.
     * RETENTION_TIME=0 - with WRITE_DELAY=0 every commit writes a new MVStore chunk (about 30 KB:
     *   the changed pages of the table, its indexes and H2's own maps, in 4 KB blocks), and H2 keeps
     *   every chunk of the last 45 s (the default retention) before reusing its space. One persist is
     *   one commit, so a burst of events grew the file by 30-60 KB per event (measured: 2,000 rows of
     *   300 bytes, 60 MB; 10,000 rows, 300 MB). Without retention the space of a chunk no longer in
     *   use is reused at once: 1.2-1.4 KB per row, about three times the row. The price: H2 never
     *   fsyncs a commit, so after a power loss (not a kill -9: the OS still holds the writes) a chunk
     *   reused before the OS flushed its successor can leave the file unreadable; a journal that must
     *   survive power loss belongs in PostgreSQL or MySQL/MariaDB (--journal), as operations.md says.
     */
    static final String SETTINGS = ";DATABASE_TO_UPPER=FALSE;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;RETENTION_TIME=0";

    private H2Journal() {
    }

    /** The JDBC url of the journal kept under {@code dataDir} (file {@code journal/mysos.mv.db}). */
    public static String url(Path dataDir) {
        Path file = dataDir.toAbsolutePath().normalize().resolve("journal").resolve("mysos");
        if (file.toString().contains(";")) {
            // H2 reads everything after a ';' in the url as settings.
            throw new IllegalArgumentException("the data directory must not contain ';': " + dataDir);
        }
        return "jdbc:h2:file:" + file + SETTINGS;
    }

    /** An H2 url as an operator gives it ({@code jdbc:h2:file:/var/lib/mysos/journal/mysos}), with the settings above unless it has its own. */
    public static String withSettings(String url) {
        return url.contains(";") ? url : url + SETTINGS;
    }
}

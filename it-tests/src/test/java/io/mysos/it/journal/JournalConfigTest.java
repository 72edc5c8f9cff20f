package io.mysos.it.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.mysos.journal.H2Journal;
import io.mysos.journal.JournalKind;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The journal HOCON resolves the way callers build it: their connection first, then the journal's file. */
class JournalConfigTest {

    private static Config resolve(JournalKind kind, Map<String, String> overrides) {
        return ConfigFactory.parseMap(overrides)
                .withFallback(ConfigFactory.parseResources(kind.configResource()))
                .withFallback(ConfigFactory.load())
                .resolve();
    }

    @Test
    void theCallersConnectionWinsAndDefaultsFillTheRest() {
        Config config = resolve(JournalKind.POSTGRES, Map.of("mysos.journal.url", "jdbc:postgresql://db:5432/prod"));
        Config db = config.getConfig("akka-persistence-jdbc.shared-databases.slick.db");
        assertEquals("jdbc:postgresql://db:5432/prod", db.getString("url"));
        assertEquals("mysos", db.getString("user"));
        assertEquals("", db.getString("password"));
        assertEquals("org.postgresql.Driver", db.getString("driver"));
        assertEquals("slick.jdbc.PostgresProfile$", config.getString("akka-persistence-jdbc.shared-databases.slick.profile"));
    }

    @Test
    void everyJournalHasItsProfileDriverAndASmallPool() {
        var expected = Map.of(
                JournalKind.H2, new String[] {"slick.jdbc.H2Profile$", "org.h2.Driver", "jdbc:h2:file:"},
                JournalKind.POSTGRES, new String[] {"slick.jdbc.PostgresProfile$", "org.postgresql.Driver", "jdbc:postgresql:"},
                JournalKind.MYSQL, new String[] {"slick.jdbc.MySQLProfile$", "com.mysql.cj.jdbc.Driver", "jdbc:mysql:"});
        expected.forEach((kind, profileDriverUrl) -> {
            Config config = resolve(kind, Map.of("mysos.journal.user", "u", "mysos.journal.password", "p"));
            Config slick = config.getConfig("akka-persistence-jdbc.shared-databases.slick");
            assertEquals(profileDriverUrl[0], slick.getString("profile"), kind.id());
            assertEquals(profileDriverUrl[1], slick.getString("db.driver"), kind.id());
            assertTrue(slick.getString("db.url").startsWith(profileDriverUrl[2]), kind.id());
            assertEquals("u", slick.getString("db.user"), kind.id());
            assertEquals("p", slick.getString("db.password"), kind.id());
            assertEquals(slick.getInt("db.numThreads"), slick.getInt("db.maxConnections"), kind.id());
            assertTrue(slick.getInt("db.maxConnections") <= 5, kind.id());
        });
    }

    @Test
    void journalSnapshotsAndQueriesShareOneDatabase() {
        Config config = resolve(JournalKind.H2, Map.of());
        assertEquals("jdbc-journal", config.getString("akka.persistence.journal.plugin"));
        assertEquals("jdbc-snapshot-store", config.getString("akka.persistence.snapshot-store.plugin"));
        for (String plugin : new String[] {"jdbc-journal", "jdbc-snapshot-store", "jdbc-read-journal", "jdbc-durable-state-store"}) {
            assertEquals("slick", config.getString(plugin + ".use-shared-db"), plugin);
        }
        assertTrue(config.getDuration("jdbc-read-journal.refresh-interval").toMillis() <= 500);
    }

    @Test
    void theDefaultH2UrlHasTheSettingsOfH2JournalUrl() {
        String fromConfig = resolve(JournalKind.H2, Map.of()).getString("mysos.journal.url");
        String fromCode = H2Journal.url(Path.of("mysos-data"));
        assertEquals(fromCode.substring(fromCode.indexOf(';')), fromConfig.substring(fromConfig.indexOf(';')));
    }
}

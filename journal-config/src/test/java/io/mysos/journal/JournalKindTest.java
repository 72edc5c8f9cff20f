package io.mysos.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JournalKindTest {

    @Test
    void readsTheNamesOperatorsWrite() {
        assertEquals(JournalKind.H2, JournalKind.parse("h2"));
        assertEquals(JournalKind.POSTGRES, JournalKind.parse("postgres"));
        assertEquals(JournalKind.POSTGRES, JournalKind.parse("PostgreSQL"));
        assertEquals(JournalKind.MYSQL, JournalKind.parse("mysql"));
        assertEquals(JournalKind.MYSQL, JournalKind.parse(" MariaDB "));
    }

    @Test
    void rejectsAnUnknownJournalNamingTheChoices() {
        var e = assertThrows(IllegalArgumentException.class, () -> JournalKind.parse("oracle"));
        assertTrue(e.getMessage().contains("'oracle'"), e.getMessage());
        assertTrue(e.getMessage().contains("h2, postgres or mysql"), e.getMessage());
    }

    @Test
    void everyKindHasItsConfigAndDdlOnTheClasspath() {
        for (JournalKind kind : JournalKind.values()) {
            assertNotNull(getClass().getClassLoader().getResource(kind.configResource()), kind.configResource());
            assertNotNull(getClass().getClassLoader().getResource(kind.ddlResource()), kind.ddlResource());
        }
    }

    @Test
    void everyDdlStatementIsIdempotent() {
        for (JournalKind kind : JournalKind.values()) {
            var statements = JournalSchema.statements(kind);
            assertTrue(statements.size() >= 3, kind + ": " + statements);
            for (String sql : statements) {
                assertTrue(sql.matches("(?s)CREATE (UNIQUE )?(TABLE|INDEX|SEQUENCE) IF NOT EXISTS .*"), kind + ": " + sql);
            }
        }
    }

    @Test
    void mysqlPayloadsAreNotCutAt64KiB() {
        var ddl = String.join("\n", JournalSchema.statements(JournalKind.MYSQL));
        assertTrue(ddl.contains("event_payload LONGBLOB NOT NULL"), ddl);
        assertTrue(ddl.contains("snapshot_payload LONGBLOB NOT NULL"), ddl);
    }

    @Test
    void splitsOnSemicolonsAndDropsComments() {
        assertEquals(java.util.List.of("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)"),
                JournalSchema.split("-- a comment\nCREATE TABLE a (x INT);\n\n  -- another\nCREATE TABLE b (y INT);\n"));
    }

    @Test
    void keepsTheH2JournalUnderTheDataDirectory() {
        String url = H2Journal.url(Path.of("/var/lib/mysos"));
        assertTrue(url.startsWith("jdbc:h2:file:/var/lib/mysos/journal/mysos;"), url);
        assertTrue(url.contains(";WRITE_DELAY=0"), url);
    }
}

package io.mysos.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mysos.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MySqlUserNameTest {
    private static final String RULE = "': use 1-32 characters of A-Z, a-z, 0-9 and '_', not starting with a digit";

    @ParameterizedTest
    @ValueSource(strings = {"app", "App_1", "_svc", "a", "orders2"})
    void acceptsPlainNames(String user) {
        assertEquals(user, MySqlUserName.validate(user));
    }

    @Test
    void accepts32Characters() {
        assertEquals("u".repeat(32), MySqlUserName.validate("u".repeat(32)));
    }

    @Test
    void rejects33Characters() {
        var user = "u".repeat(33);
        var e = assertThrows(InvalidInputException.class, () -> MySqlUserName.validate(user));
        assertEquals("invalid cluster_user '" + user + RULE, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1app", "a'b", "a\"b", "a`b", "a\\b", "a-b", "a.b", "a b", "app;drop", "app@%", "usér"})
    void rejectsNamesThatCouldLeaveAQuotedLiteral(String user) {
        var e = assertThrows(InvalidInputException.class, () -> MySqlUserName.validate(user));
        assertEquals("invalid cluster_user '" + user + RULE, e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"root", "ROOT", "Root", "_mysos_admin", "_MYSOS_Admin", "MySQL", "PUBLIC", "pub"})
    void rejectsReservedNamesInAnyCase(String user) {
        var e = assertThrows(InvalidInputException.class, () -> MySqlUserName.validate(user));
        assertEquals("cluster_user '" + user + "' is reserved; choose another name", e.getMessage());
    }

    @Test
    void acceptsMysosAsOriginalMysosClientsSendIt() {
        assertEquals("mysos", MySqlUserName.validate("mysos"));
    }

    @Test
    void requiresAName() {
        assertEquals("cluster_user is required",
                assertThrows(InvalidInputException.class, () -> MySqlUserName.validate("")).getMessage());
        assertEquals("cluster_user is required",
                assertThrows(InvalidInputException.class, () -> MySqlUserName.validate(null)).getMessage());
    }
}

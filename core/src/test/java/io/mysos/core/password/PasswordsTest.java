package io.mysos.core.password;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import java.util.HashSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordsTest {
    private static final String LENGTH = "cluster_password must have 8 to 128 characters";
    private static final String QUOTES = "cluster_password may not contain quotes, backquotes or backslashes";
    private static final String PRINTABLE = "cluster_password may only hold printable ASCII characters";

    @Test
    void generatesPasswordsOfAtLeastTwentyLettersAndDigits() {
        var password = Passwords.generate();
        assertTrue(password.length() >= 20, password.length() + " characters");
        assertTrue(password.matches("[A-Za-z0-9]+"), "unexpected characters in a generated password");
        assertEquals(password, Passwords.validate(password));
    }

    @Test
    void generatesADifferentPasswordEachTime() {
        var seen = new HashSet<String>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(seen.add(Passwords.generate()), "a generated password repeated");
        }
    }

    @Test
    void generatedPasswordsUseManyDifferentCharacters() {
        var used = new HashSet<Character>();
        for (int i = 0; i < 200; i++) {
            for (char c : Passwords.generate().toCharArray()) {
                used.add(c);
            }
        }
        assertTrue(used.size() >= 50, "only " + used.size() + " distinct characters in 200 passwords");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3cret-pass", "correct horse battery staple", "p@ss;w0rd%_$#!", "12345678", "~!@#$%^&*()-=+[]{}|;:,.<>/?"})
    void acceptsPrintablePasswords(String password) {
        assertEquals(password, Passwords.validate(password));
    }

    @Test
    void acceptsEightToAHundredAndTwentyEightCharacters() {
        assertEquals("x".repeat(8), Passwords.validate("x".repeat(8)));
        assertEquals("x".repeat(128), Passwords.validate("x".repeat(128)));
    }

    @Test
    void rejectsTooShortAndTooLongPasswords() {
        assertEquals(LENGTH, assertThrows(InvalidInputException.class, () -> Passwords.validate("x".repeat(7))).getMessage());
        assertEquals(LENGTH, assertThrows(InvalidInputException.class, () -> Passwords.validate("x".repeat(129))).getMessage());
        assertEquals(LENGTH, assertThrows(InvalidInputException.class, () -> Passwords.validate("")).getMessage());
        assertEquals(LENGTH, assertThrows(InvalidInputException.class, () -> Passwords.validate(null)).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pass'word1", "pass\"word1", "pass\\word1", "pass`word1", "'; DROP USER root; --"})
    void rejectsQuotesBackquotesAndBackslashes(String password) {
        assertEquals(QUOTES, assertThrows(InvalidInputException.class, () -> Passwords.validate(password)).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pass\nword1", "pass\rword1", "pass\tword1", "pass\u0000word1", "pass\u007fword1", "pässword1", "pass\u00a0word1", "password\u2028"})
    void rejectsControlAndNonAsciiCharacters(String password) {
        assertEquals(PRINTABLE, assertThrows(InvalidInputException.class, () -> Passwords.validate(password)).getMessage());
    }

    @Test
    void neverEchoesTheRejectedPassword() {
        for (var password : new String[] {"Sekr1t", "Sekr1t'Sekr1t", "Sekr1t\nSekr1t"}) {
            var message = assertThrows(InvalidInputException.class, () -> Passwords.validate(password)).getMessage();
            assertFalse(message.contains("Sekr1t"), message);
        }
    }
}

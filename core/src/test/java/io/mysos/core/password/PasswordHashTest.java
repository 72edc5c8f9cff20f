package io.mysos.core.password;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

// Each hash or check costs 100k PBKDF2 rounds (~50-100 ms): the tests here share few of them.
class PasswordHashTest {
    @Test
    void matchesTheRightPasswordAndNoOther() {
        var hash = PasswordHash.of("correct-horse-7");
        assertTrue(hash.matches("correct-horse-7"));
        assertFalse(hash.matches("correct-horse-8"));
        assertFalse(hash.matches("Correct-horse-7"));
        assertFalse(hash.matches(""));
        assertFalse(hash.matches(null));
    }

    @Test
    void saltsEveryHashSoEqualPasswordsHashDifferently() {
        var first = PasswordHash.of("same-password");
        var second = PasswordHash.of("same-password");
        assertNotEquals(first.salt(), second.salt());
        assertNotEquals(first.hash(), second.hash());
        assertTrue(second.matches("same-password"));
    }

    @Test
    void recordsAlgorithmIterationsAndSizes() {
        var hash = PasswordHash.of("");
        assertEquals("PBKDF2WithHmacSHA256", hash.algorithm());
        assertEquals(100_000, hash.iterations());
        assertEquals(16, Base64.getDecoder().decode(hash.salt()).length);
        assertEquals(32, Base64.getDecoder().decode(hash.hash()).length);
    }

    @Test
    void checksAStoredHashWithItsOwnIterations() {
        // RFC 7914, section 11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1 (first 32 bytes).
        var stored = new PasswordHash("PBKDF2WithHmacSHA256", 1, "c2FsdA==",
                Base64.getEncoder().encodeToString(hex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc")));
        assertTrue(stored.matches("passwd"));
        assertFalse(stored.matches("passwe"));
    }

    @Test
    void neverPrintsSaltOrHash() {
        var hash = new PasswordHash("PBKDF2WithHmacSHA256", 1, "c2FsdA==", "VazARlbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw=");
        assertEquals("PasswordHash(PBKDF2WithHmacSHA256)", hash.toString());
    }

    private static byte[] hex(String text) {
        var bytes = new byte[text.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}

package io.mysos.core.password;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mysos.core.InvalidInputException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SchedulerKeyTest {
    private final SchedulerKey key = SchedulerKey.generate();

    @Test
    void opensWhatItSealed() {
        var secret = "s3cret pässwörd ✓ with spaces";
        assertEquals(secret, key.open(key.seal(secret)));
        assertEquals("", key.open(key.seal("")));
    }

    @Test
    void sealsTheSameSecretDifferentlyEachTime() {
        var first = key.seal("same-secret");
        var second = key.seal("same-secret");
        assertNotEquals(first.nonce(), second.nonce());
        assertNotEquals(first.ciphertext(), second.ciphertext());
        assertFalse(first.ciphertext().contains("same-secret"));
    }

    @Test
    void anotherKeyCannotOpenASealedSecret() {
        var sealed = key.seal("s3cret");
        var e = assertThrows(SchedulerKey.WrongKeyException.class, () -> SchedulerKey.generate().open(sealed));
        assertEquals("a sealed secret does not open with this scheduler key: was the key file replaced?", e.getMessage());
    }

    @Test
    void anAlteredCiphertextDoesNotOpen() {
        var sealed = key.seal("s3cret");
        var bytes = Base64.getDecoder().decode(sealed.ciphertext());
        bytes[0] ^= 1;
        var altered = new SealedSecret(sealed.nonce(), Base64.getEncoder().encodeToString(bytes));
        assertThrows(SchedulerKey.WrongKeyException.class, () -> key.open(altered));
    }

    @Test
    void anotherNonceDoesNotOpen() {
        var sealed = key.seal("s3cret");
        var swapped = new SealedSecret(key.seal("other").nonce(), sealed.ciphertext());
        assertThrows(SchedulerKey.WrongKeyException.class, () -> key.open(swapped));
    }

    @Test
    void aCutShortOrGarbledSecretCountsAsAltered() {
        var sealed = key.seal("s3cret");
        var tooShort = Base64.getEncoder().encodeToString(new byte[15]);
        for (var broken : new SealedSecret[] {
                new SealedSecret(sealed.nonce(), ""),
                new SealedSecret(sealed.nonce(), tooShort),
                new SealedSecret("", sealed.ciphertext()),
                new SealedSecret(sealed.nonce().substring(4), sealed.ciphertext()),
                new SealedSecret("not*base64", sealed.ciphertext()),
                new SealedSecret(sealed.nonce(), "not*base64")}) {
            assertThrows(SchedulerKey.WrongKeyException.class, () -> key.open(broken), broken.nonce() + " / " + broken.ciphertext());
        }
    }

    @Test
    void survivesTheRoundTripThroughItsKeyFileText() {
        var text = key.toText();
        assertEquals(32, Base64.getDecoder().decode(text).length);
        var read = SchedulerKey.fromText(text + "\n");
        assertEquals(key, read);
        assertEquals(key.hashCode(), read.hashCode());
        assertEquals("s3cret", read.open(key.seal("s3cret")));
    }

    @Test
    void generatesADifferentKeyEachTime() {
        assertNotEquals(SchedulerKey.generate(), SchedulerKey.generate());
    }

    @Test
    void rejectsKeyFileTextThatIsNotBase64() {
        var e = assertThrows(InvalidInputException.class, () -> SchedulerKey.fromText("not base64 at all!"));
        assertEquals("the key file does not hold base64 text", e.getMessage());
    }

    @Test
    void rejectsAKeyOfTheWrongLength() {
        var shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        var e = assertThrows(InvalidInputException.class, () -> SchedulerKey.fromText(shortKey));
        assertEquals("the key file must hold 32 bytes, it holds 16", e.getMessage());
        var empty = assertThrows(InvalidInputException.class, () -> SchedulerKey.fromText(""));
        assertEquals("the key file must hold 32 bytes, it holds 0", empty.getMessage());
    }

    @Test
    void neverPrintsTheKey() {
        assertEquals("SchedulerKey(***)", key.toString());
    }
}

package io.mysos.core.password;

import io.mysos.core.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The scheduler's AES-256 key. It seals the passwords Mysos must hand to instances later, so the
 * journal holds them only encrypted; whoever holds the key file can open them.
 */
public final class SchedulerKey {
    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    private final byte[] key;

    private SchedulerKey(byte[] key) {
        this.key = key.clone();
    }

    public static SchedulerKey generate() {
        var key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return new SchedulerKey(key);
    }

    /** The key as stored in a key file: base64 text of {@value #KEY_BYTES} bytes. */
    public static SchedulerKey fromText(String text) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("the key file does not hold base64 text");
        }
        if (key.length != KEY_BYTES) {
            throw new InvalidInputException("the key file must hold " + KEY_BYTES + " bytes, it holds " + key.length);
        }
        return new SchedulerKey(key);
    }

    public String toText() {
        return Base64.getEncoder().encodeToString(key);
    }

    public SealedSecret seal(String secret) {
        var nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        var encrypted = run(Cipher.ENCRYPT_MODE, nonce, secret.getBytes(StandardCharsets.UTF_8));
        var encoder = Base64.getEncoder();
        return new SealedSecret(encoder.encodeToString(nonce), encoder.encodeToString(encrypted));
    }

    /** Opens a secret sealed with this key; fails with {@link WrongKeyException} for any other key. */
    public String open(SealedSecret sealed) {
        byte[] nonce;
        byte[] ciphertext;
        try {
            var decoder = Base64.getDecoder();
            nonce = decoder.decode(sealed.nonce());
            ciphertext = decoder.decode(sealed.ciphertext());
        } catch (IllegalArgumentException e) {
            throw new WrongKeyException();
        }
        // A cut-short secret would otherwise fail inside the cipher with a provider error, not as altered.
        if (nonce.length != NONCE_BYTES || ciphertext.length < TAG_BITS / 8) {
            throw new WrongKeyException();
        }
        var plain = run(Cipher.DECRYPT_MODE, nonce, ciphertext);
        return new String(plain, StandardCharsets.UTF_8);
    }

    private byte[] run(int mode, byte[] nonce, byte[] input) {
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new WrongKeyException();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SchedulerKey other && Arrays.equals(key, other.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "SchedulerKey(***)";
    }

    /** A sealed secret did not open: it was sealed with another key (or altered). */
    public static final class WrongKeyException extends RuntimeException {
        WrongKeyException() {
            super("a sealed secret does not open with this scheduler key: was the key file replaced?");
        }
    }
}

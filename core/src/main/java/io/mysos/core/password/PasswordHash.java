package io.mysos.core.password;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** A salted PBKDF2 hash of a cluster password: enough to check a password, never to recover it. */
public record PasswordHash(String algorithm, int iterations, String salt, String hash) {
    private static final String PBKDF2 = "PBKDF2WithHmacSHA256";
    private static final int ITERATIONS = 100_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    public static PasswordHash of(String password) {
        var salt = new byte[16];
        RANDOM.nextBytes(salt);
        var encoder = Base64.getEncoder();
        return new PasswordHash(PBKDF2, ITERATIONS, encoder.encodeToString(salt),
                encoder.encodeToString(derive(password, salt, ITERATIONS)));
    }

    public boolean matches(String password) {
        if (password == null) {
            return false;
        }
        var decoder = Base64.getDecoder();
        var expected = decoder.decode(hash);
        return MessageDigest.isEqual(expected, derive(password, decoder.decode(salt), iterations));
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        try {
            var spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance(PBKDF2).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM lacks " + PBKDF2, e);
        }
    }

    @Override
    public String toString() {
        return "PasswordHash(" + algorithm + ")";
    }
}

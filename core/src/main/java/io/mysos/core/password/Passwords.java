package io.mysos.core.password;

import io.mysos.core.InvalidInputException;
import java.security.SecureRandom;

/**
 * Cluster passwords: generated ones, and the rule for chosen ones. A password reaches SQL only as
 * a quoted literal, so characters that could end or escape a literal are refused outright rather
 * than trusted to escaping.
 */
public final class Passwords {
    public static final int GENERATED_LENGTH = 24;
    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 128;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final String FORBIDDEN = "'\"\\`";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {}

    /** A random password of {@value #GENERATED_LENGTH} letters and digits. */
    public static String generate() {
        var chars = new char[GENERATED_LENGTH];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return new String(chars);
    }

    /** Returns the password when it is safe to use, else says what is wrong with it (without echoing it). */
    public static String validate(String password) {
        if (password == null || password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
            throw new InvalidInputException("cluster_password must have " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < password.length(); i++) {
            char c = password.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new InvalidInputException("cluster_password may only hold printable ASCII characters");
            }
            if (FORBIDDEN.indexOf(c) >= 0) {
                throw new InvalidInputException("cluster_password may not contain quotes, backquotes or backslashes");
            }
        }
        return password;
    }
}

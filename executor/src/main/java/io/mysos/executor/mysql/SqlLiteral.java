package io.mysos.executor.mysql;

import io.mysos.core.InvalidInputException;
import java.util.regex.Pattern;

/**
 * Quoted string literals for names and passwords in statements that take no placeholders
 * (CREATE USER, CHANGE MASTER). A value that could end or escape the literal is refused, never escaped.
 */
final class SqlLiteral {
    private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,31}");
    private static final String FORBIDDEN = "'\"\\`";
    static final int MAX_PASSWORD = 128;

    private SqlLiteral() {}

    /** {@code 'user'} for a user name of letters, digits and '_'. */
    static String userName(String user) {
        if (user == null || !USER.matcher(user).matches()) {
            throw new InvalidInputException("a MySQL user name must be 1-32 characters of A-Z, a-z, 0-9 and '_'");
        }
        return "'" + user + "'";
    }

    /** {@code 'password'} for a password of printable ASCII without quotes, backquotes or backslashes. */
    static String password(String password) {
        if (password == null || password.isEmpty() || password.length() > MAX_PASSWORD) {
            throw new InvalidInputException("a MySQL password must have 1 to " + MAX_PASSWORD + " characters");
        }
        for (int i = 0; i < password.length(); i++) {
            char c = password.charAt(i);
            if (c < 0x20 || c > 0x7e || FORBIDDEN.indexOf(c) >= 0) {
                throw new InvalidInputException(
                        "a MySQL password may only hold printable ASCII without quotes, backquotes or backslashes");
            }
        }
        return "'" + password + "'";
    }

    /** {@code 'host'} for a validated host name or IP address. */
    static String host(String host) {
        return "'" + Endpoints.validHost(host) + "'";
    }
}

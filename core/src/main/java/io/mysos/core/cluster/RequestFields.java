package io.mysos.core.cluster;

import io.mysos.core.InvalidInputException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Typed reads of a request's fields, as they arrive from a form (every value a string) or from a
 * JSON body (strings, numbers, booleans, objects, lists). A field has one type: a JSON
 * {@code true} is not a user name and {@code "+3"} or {@code "３"} is not a node count, so what
 * does not match is refused, never converted. Messages quote at most {@value #SHOWN} characters.
 */
public final class RequestFields {
    static final int SHOWN = 80;
    /** Digits as people type them on any keyboard: ASCII only, no sign, no exponent. */
    private static final Pattern WHOLE = Pattern.compile("[0-9]{1,9}");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,9})?");

    private RequestFields() {}

    /** A text field; absent (or JSON {@code null}) is empty, any other type is refused. */
    public static Optional<String> string(Map<String, ?> fields, String key) {
        var value = fields.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String text) {
            return Optional.of(text);
        }
        throw new InvalidInputException(isCollection(value) ? key + " must be a single value" : key + " must be a string, not " + typeOf(value));
    }

    /** A whole number from a JSON integer or text of ASCII digits (spaces around allowed). */
    public static Optional<Long> wholeNumber(Map<String, ?> fields, String key, String expected) {
        var value = fields.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Integer || value instanceof Long) {
            return Optional.of(((Number) value).longValue());
        }
        if (value instanceof String text && WHOLE.matcher(text.trim()).matches()) {
            return Optional.of(Long.parseLong(text.trim()));
        }
        if (isCollection(value)) {
            throw new InvalidInputException(key + " must be a single value");
        }
        throw new InvalidInputException(key + " must be " + expected + ", not " + shownValue(value));
    }

    /** A decimal number from a JSON number or text like {@code 0.5}: no sign, exponent, hex or NaN. */
    public static double decimal(Object value, String key, String expected) {
        if (value instanceof Number number && !(value instanceof Double d && (d.isNaN() || d.isInfinite()))) {
            return number.doubleValue();
        }
        if (value instanceof String text && DECIMAL.matcher(text.trim()).matches()) {
            return Double.parseDouble(text.trim());
        }
        throw new InvalidInputException(key + " must be " + expected + ", not " + shownValue(value));
    }

    /** A yes/no field: JSON {@code true}/{@code false}, or the text true/false, 1/0, yes/no, on/off. */
    public static Optional<Boolean> bool(Map<String, ?> fields, String key) {
        var value = fields.get(key);
        if (value == null || (value instanceof String s && s.isBlank())) {
            return Optional.empty();
        }
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        if (value instanceof String text) {
            switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes", "on": return Optional.of(true);
                case "false", "0", "no", "off": return Optional.of(false);
                default: break;
            }
        }
        throw new InvalidInputException(key + " must be true or false, not " + shownValue(value));
    }

    /** A value as a message shows it: text quoted and cut, other JSON values by their type. */
    public static String shownValue(Object value) {
        if (value instanceof String text) {
            return "'" + shown(text) + "'";
        }
        if (value instanceof Number number) {
            return shown(number.toString());
        }
        return typeOf(value);
    }

    /** At most {@value #SHOWN} characters of {@code text}, control characters as '?'. */
    public static String shown(String text) {
        var cut = text.length() > SHOWN ? text.substring(0, SHOWN) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static boolean isCollection(Object value) {
        return value instanceof Map || value instanceof Iterable;
    }

    private static String typeOf(Object value) {
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof Iterable) {
            return "a list";
        }
        return value instanceof String ? "text" : "null";
    }
}

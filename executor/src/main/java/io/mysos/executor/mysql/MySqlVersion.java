package io.mysos.executor.mysql;

import java.util.Optional;
import java.util.regex.Pattern;

/** A server version as {@code mysqld --version} prints it: {@code 10.11.19}, {@code 8.0.36}. */
public record MySqlVersion(int major, int minor, int patch) implements Comparable<MySqlVersion> {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    public static Optional<MySqlVersion> parse(String text) {
        var m = FORM.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new MySqlVersion(
                Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
    }

    public boolean isAtLeast(int major, int minor, int patch) {
        return compareTo(new MySqlVersion(major, minor, patch)) >= 0;
    }

    @Override
    public int compareTo(MySqlVersion other) {
        int c = Integer.compare(major, other.major);
        if (c == 0) {
            c = Integer.compare(minor, other.minor);
        }
        return c != 0 ? c : Integer.compare(patch, other.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}

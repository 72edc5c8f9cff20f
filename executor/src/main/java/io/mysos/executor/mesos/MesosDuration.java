package io.mysos.executor.mesos;

import io.mysos.core.InvalidInputException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/** A duration as Mesos writes it into an executor's environment: {@code 2secs}, {@code 15mins}, {@code 1.5hrs}. */
final class MesosDuration {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|ms|secs|mins|hrs|days|weeks)");
    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L, "us", 1_000L, "ms", 1_000_000L, "secs", 1_000_000_000L, "mins", 60_000_000_000L,
            "hrs", 3_600_000_000_000L, "days", 86_400_000_000_000L, "weeks", 604_800_000_000_000L);

    private MesosDuration() {}

    /** @throws InvalidInputException naming {@code variable} when {@code text} is not a Mesos duration */
    static Duration parse(String variable, String text) {
        var match = FORMAT.matcher(text.trim());
        if (!match.matches()) {
            throw new InvalidInputException(variable + " must be a Mesos duration such as 2secs or 15mins, not '" + text + "'");
        }
        double nanos = Double.parseDouble(match.group(1)) * NANOS_PER_UNIT.get(match.group(2));
        if (nanos >= Long.MAX_VALUE) {
            throw new InvalidInputException(variable + " is too long: " + text);
        }
        return Duration.ofNanos(Math.round(nanos));
    }
}

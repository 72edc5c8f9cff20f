package io.mysos.http.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Prometheus's own linter ({@code promtool}, Debian package {@code prometheus}; bin/test installs it). */
public final class Promtool {
    private Promtool() {}

    /** {@code promtool check metrics} on {@code text}; fails the test with promtool's words if it objects. */
    public static void checkMetrics(String text) throws Exception {
        var result = run(List.of("check", "metrics"), text);
        assertEquals(0, result.exit(), "promtool check metrics:\n" + result.output());
    }

    /** {@code promtool check rules} on a rules file. */
    public static void checkRules(Path rules) throws Exception {
        var result = run(List.of("check", "rules", rules.toString()), "");
        assertEquals(0, result.exit(), "promtool check rules:\n" + result.output());
    }

    /** {@code promtool test rules} on a unit test file (series in, alerts expected out). */
    public static void testRules(Path tests) throws Exception {
        var result = run(List.of("test", "rules", tests.toString()), "");
        assertEquals(0, result.exit(), "promtool test rules:\n" + result.output());
    }

    record Result(int exit, String output) {}

    private static Result run(List<String> args, String stdin) throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        command.add(Files.isExecutable(Path.of("/usr/bin/promtool")) ? "/usr/bin/promtool" : "promtool");
        command.addAll(args);
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("promtool did not finish in 60 s");
            }
            return new Result(process.exitValue(), output);
        } finally {
            process.destroyForcibly();
        }
    }
}

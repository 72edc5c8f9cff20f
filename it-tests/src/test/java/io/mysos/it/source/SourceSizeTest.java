package io.mysos.it.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No main source file over 400 lines, so a newcomer finds where something is decided in one step
 * (the foundations issue's rule). Reads every module's {@code src/main/java} from the checkout.
 */
class SourceSizeTest {
    private static final int MAX_LINES = 400;

    private static Path checkout() {
        var here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("it-tests")) ? here : here.getParent();
    }

    private static long lines(Path file) {
        try (var lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void noMainSourceFileIsOverFourHundredLines() throws IOException {
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(checkout())) {
            sources = walk.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .toList();
        }
        assertTrue(sources.size() > 100, "the modules' sources are found from " + checkout() + ": " + sources.size());
        var tooLong = sources.stream().filter(p -> lines(p) > MAX_LINES)
                .map(p -> checkout().relativize(p) + " (" + lines(p) + " lines)").sorted().toList();
        assertEquals(List.of(), tooLong, "split these files: each over " + MAX_LINES + " lines");
    }
}

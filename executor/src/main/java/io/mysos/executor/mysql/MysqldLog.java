package io.mysos.executor.mysql;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** mysqld's error log, read back to tell a person why a server stopped or never started. */
final class MysqldLog {
    private static final int MAX_READ = 64 * 1024;
    private static final int TAIL_LINES = 5;
    private static final Pattern ERROR = Pattern.compile("^.*?\\[ERROR\\]\\s*(?:\\[MY-\\d+\\]\\s*)?(?:\\[[A-Za-z]+\\]\\s*)?(.*)$");
    private final Path file;

    private MysqldLog(Path file) {
        this.file = file;
    }

    static MysqldLog of(Path file) {
        return new MysqldLog(file);
    }

    /** Where the log ends now: what a start writes comes after this. */
    long size() {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The {@code [ERROR]} lines written since {@code offset}, else its last lines, as one line of text. */
    String reasonSince(long offset) {
        var lines = linesSince(offset);
        var errors = new ArrayList<String>();
        for (var line : lines) {
            var m = ERROR.matcher(line);
            if (m.matches() && !m.group(1).strip().equals("Aborting")) {
                errors.add("[ERROR] " + m.group(1).strip());
            }
        }
        if (!errors.isEmpty()) {
            return String.join("; ", errors);
        }
        var tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
        return tail.isEmpty() ? "nothing in " + file : "last lines of " + file + ": " + String.join(" / ", tail);
    }

    /** The non-blank lines written since {@code offset} (at most the last 64 KB of them). */
    List<String> linesSince(long offset) {
        try (var in = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(Math.min(offset, in.length()), in.length() - MAX_READ);
            var bytes = new byte[(int) (in.length() - start)];
            in.seek(start);
            in.readFully(bytes);
            var text = new String(bytes, StandardCharsets.UTF_8);
            return Arrays.stream(text.split("\\R")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}

package io.mysos.dist;

import io.mysos.core.InvalidInputException;
import io.mysos.journal.H2Journal;
import io.mysos.journal.JournalKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --journal URL} for every command that opens the journal ({@code mysos local},
 * {@code mysos scheduler}, {@code mysos audit}): an H2 file, PostgreSQL or MySQL/MariaDB, told apart
 * by the JDBC url. The password never is a flag's value (it would show in {@code ps}): it comes from
 * {@code --journal-password-file} or the environment variable {@code MYSOS_JOURNAL_PASSWORD}.
 */
final class JournalOptions {
    static final String PASSWORD_ENV = "MYSOS_JOURNAL_PASSWORD";
    static final String USER_ENV = "MYSOS_JOURNAL_USER";

    @Option(names = "--journal", paramLabel = "URL", description = "The event journal: jdbc:h2:file:PATH, "
            + "jdbc:postgresql://HOST[:PORT]/DB or jdbc:mariadb://HOST[:PORT]/DB (also jdbc:mysql://) "
            + "(default: the H2 file under the data directory).")
    String url;

    @Option(names = "--journal-user", paramLabel = "USER", description = "Journal database user "
            + "(default: $" + USER_ENV + ", else sa for H2 and mysos otherwise).")
    String user;

    @Option(names = "--journal-password-file", paramLabel = "FILE", description = "File holding the journal password "
            + "(default: $" + PASSWORD_ENV + ", else none).")
    Path passwordFile;

    /** The journal these options name; empty: the embedded H2 file under the data directory. */
    Optional<LocalSettings.Journal> journal() {
        return journal(System.getenv());
    }

    Optional<LocalSettings.Journal> journal(Map<String, String> env) {
        if (url == null) {
            if (user != null || passwordFile != null) {
                throw new InvalidInputException("--journal-user and --journal-password-file need --journal");
            }
            return Optional.empty();
        }
        var kind = kindOf(url);
        var jdbcUrl = switch (kind) {
            case MYSQL -> url.replaceFirst("^jdbc:mariadb:", "jdbc:mysql:");
            case H2 -> H2Journal.withSettings(url);
            case POSTGRES -> url;
        };
        var who = user != null ? user : Optional.ofNullable(env.get(USER_ENV)).orElse(kind == JournalKind.H2 ? "sa" : "mysos");
        return Optional.of(new LocalSettings.Journal(kind, Optional.of(jdbcUrl), who, password(env)));
    }

    /** The kind of journal a JDBC url names, or what to write instead. */
    static JournalKind kindOf(String url) {
        if (url.startsWith("jdbc:h2:file:")) {
            return JournalKind.H2;
        }
        if (url.startsWith("jdbc:postgresql://")) {
            return JournalKind.POSTGRES;
        }
        if (url.startsWith("jdbc:mariadb://") || url.startsWith("jdbc:mysql://")) {
            return JournalKind.MYSQL;
        }
        throw new InvalidInputException("--journal must be jdbc:h2:file:PATH, jdbc:postgresql://HOST/DB, jdbc:mariadb://HOST/DB "
                + "or jdbc:mysql://HOST/DB, not '" + (url.length() > 60 ? url.substring(0, 60) + "..." : url) + "'");
    }

    private String password(Map<String, String> env) {
        if (passwordFile != null) {
            try {
                var text = Files.readString(passwordFile, StandardCharsets.UTF_8);
                // A trailing newline from `echo secret > file` is not part of the password.
                return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                        : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
            } catch (IOException e) {
                throw new InvalidInputException("cannot read --journal-password-file " + passwordFile + ": " + e.getMessage());
            }
        }
        return Optional.ofNullable(env.get(PASSWORD_ENV)).orElse("");
    }
}

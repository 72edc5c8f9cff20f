package io.mysos.journal;

import java.util.Locale;

/** The databases Mysos can keep its event journal in, each with its HOCON and its DDL. */
public enum JournalKind {
    H2("h2"),
    POSTGRES("postgres"),
    MYSQL("mysql");

    private final String id;

    JournalKind(String id) {
        this.id = id;
    }

    /**
     * Reads a journal kind as an operator writes it: {@code h2}, {@code postgres} (or
     * {@code postgresql}), {@code mysql} (or {@code mariadb}, which uses the same driver and DDL).
     */
    public static JournalKind parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "h2" -> H2;
            case "postgres", "postgresql" -> POSTGRES;
            case "mysql", "mariadb" -> MYSQL;
            default -> throw new IllegalArgumentException(
                    "unknown journal '" + text + "': use h2, postgres or mysql (mariadb is served as mysql)");
        };
    }

    /** The classpath resource with this journal's Akka Persistence settings. */
    public String configResource() {
        return "mysos-journal-" + id + ".conf";
    }

    /** The classpath resource with this journal's idempotent DDL. */
    public String ddlResource() {
        return "schema/mysos-" + id + ".sql";
    }

    /** The name an operator types, as {@link #parse} reads it. */
    public String id() {
        return id;
    }
}

package io.mysos.journal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Creates the journal's tables when they are missing. Every statement is idempotent, so this runs
 * at every start; schedulers starting at the same moment take turns (a lock in this JVM, and an
 * advisory lock in PostgreSQL and MySQL), and an "already exists" from a racing creator that does
 * not take the lock (an operator's psql, an older Mysos) is not an error.
 */
public final class JournalSchema {

    /*
     * "Already exists" errors, by SQLState or vendor code. CREATE ... IF NOT EXISTS is not atomic
     * against a concurrent creator: PostgreSQL may report the relation (42P07) or its row type
     * (23505 on pg_type) as existing, MySQL the table (42S01, 1050) or key (1061), H2 the table
     * (42S01, 42101) or index (42S11, 42111).
     */
    private static final Set<String> ALREADY_EXISTS_STATES = Set.of("42P07", "23505", "42S01", "42S11");
    private static final Set<Integer> ALREADY_EXISTS_CODES = Set.of(1050, 1061, 42101, 42111);

    // H2 2.1 fails with an internal "object already exists" error, not an "already exists" one,
    // when two connections run the same CREATE INDEX IF NOT EXISTS at once; found by the it-tests.
    private static final Object CREATORS_IN_THIS_JVM = new Object();

    private static final long POSTGRES_LOCK_KEY = 0x6d79736f73L; // "mysos"
    private static final int LOCK_TIMEOUT_SECONDS = 60;

    private JournalSchema() {
    }

    /**
     * Connects with {@link DriverManager} (the JDBC driver comes from the caller's classpath) and
     * runs {@code kind}'s DDL statement by statement.
     *
     * @throws JournalSchemaException naming the database and the statement that failed
     */
    public static void createIfMissing(String jdbcUrl, String user, String password, JournalKind kind) {
        List<String> statements = statements(kind);
        synchronized (CREATORS_IN_THIS_JVM) {
            try (Connection connection = connect(jdbcUrl, user, password, kind);
                 Statement statement = connection.createStatement()) {
                // Session locks: the database releases them when the connection closes.
                lockAgainstOtherProcesses(statement, kind, jdbcUrl);
                for (String sql : statements) {
                    execute(statement, sql, jdbcUrl);
                }
            } catch (SQLException e) {
                throw new JournalSchemaException("cannot create the journal schema at " + withoutSecrets(jdbcUrl)
                        + ": " + e.getMessage(), e);
            }
        }
    }

    private static Connection connect(String jdbcUrl, String user, String password, JournalKind kind) {
        try {
            Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
            connection.setAutoCommit(true);
            return connection;
        } catch (SQLException e) {
            throw new JournalSchemaException("cannot connect to the " + kind.id() + " journal at "
                    + withoutSecrets(jdbcUrl) + " as user '" + user + "': " + e.getMessage(), e);
        }
    }

    private static void lockAgainstOtherProcesses(Statement statement, JournalKind kind, String jdbcUrl) {
        try {
            switch (kind) {
                // An embedded H2 file is locked to one process already.
                case H2 -> { }
                case POSTGRES -> {
                    // Bounds the wait for the advisory lock, and for the table lock that
                    // CREATE INDEX IF NOT EXISTS takes even when the index exists.
                    statement.execute("SET lock_timeout = '" + LOCK_TIMEOUT_SECONDS + "s'");
                    statement.execute("SELECT pg_advisory_lock(" + POSTGRES_LOCK_KEY + ")");
                }
                case MYSQL -> {
                    try (var result = statement.executeQuery("SELECT GET_LOCK(LEFT(CONCAT('mysos-journal-schema:', "
                            + "IFNULL(DATABASE(), '')), 64), " + LOCK_TIMEOUT_SECONDS + ")")) {
                        if (!result.next() || result.getInt(1) != 1) {
                            throw new SQLException("lock 'mysos-journal-schema:<database>' not granted");
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new JournalSchemaException("another process has been creating the journal schema at "
                    + withoutSecrets(jdbcUrl) + " for " + LOCK_TIMEOUT_SECONDS + " s, or the lock failed ("
                    + e.getMessage() + "); try again", e);
        }
    }

    /** The DDL of {@code kind}, one statement per element, comments removed. */
    public static List<String> statements(JournalKind kind) {
        return split(read(kind.ddlResource()));
    }

    private static void execute(Statement statement, String sql, String jdbcUrl) {
        try {
            statement.execute(sql);
        } catch (SQLException e) {
            if (!alreadyExists(e)) {
                throw new JournalSchemaException("cannot create the journal schema at " + withoutSecrets(jdbcUrl)
                        + ": " + e.getMessage() + "\nstatement: " + firstLine(sql), e);
            }
        }
    }

    private static boolean alreadyExists(SQLException e) {
        return ALREADY_EXISTS_STATES.contains(e.getSQLState()) || ALREADY_EXISTS_CODES.contains(e.getErrorCode());
    }

    static List<String> split(String script) {
        var withoutComments = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                withoutComments.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String statement : withoutComments.toString().split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip());
            }
        }
        return List.copyOf(statements);
    }

    private static String read(String resource) {
        try (InputStream in = JournalSchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("journal DDL " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal DDL " + resource, e);
        }
    }

    private static String firstLine(String sql) {
        int end = sql.indexOf('\n');
        return end < 0 ? sql : sql.substring(0, end) + " ...";
    }

    // A JDBC url may carry "password=..." as a parameter; never print it.
    private static String withoutSecrets(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}

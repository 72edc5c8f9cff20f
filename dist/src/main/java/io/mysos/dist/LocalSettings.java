package io.mysos.dist;

import io.mysos.core.resources.PortRange;
import io.mysos.core.resources.Resources;
import io.mysos.http.ApiSettings;
import io.mysos.journal.JournalKind;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything {@code mysos local} needs to start, validated. {@code advertisedUrl} is what the API
 * gives out as {@code cluster_url}; {@code leaveRunning} keeps the instances up when Mysos is stopped;
 * {@code journal} says where events are kept.
 */
public record LocalSettings(String host, int port, Path dataDir, Path keyFile, Resources resources, List<PortRange> ports,
                            URI advertisedUrl, boolean leaveRunning, Journal journal, Optional<URI> backupRoot,
                            Optional<Path> hadoopConf) {
    public LocalSettings {
        ports = List.copyOf(ports);
        backupRoot = backupRoot == null ? Optional.empty() : backupRoot;
        hadoopConf = hadoopConf == null ? Optional.empty() : hadoopConf;
    }

    /** Backups in {@code <data-dir>/backups}. */
    public LocalSettings(String host, int port, Path dataDir, Path keyFile, Resources resources, List<PortRange> ports,
                         URI advertisedUrl, boolean leaveRunning, Journal journal) {
        this(host, port, dataDir, keyFile, resources, ports, advertisedUrl, leaveRunning, journal, Optional.empty(), Optional.empty());
    }

    /** Where backups go: {@code --backup-root}, by default {@code <data-dir>/backups}. */
    public URI effectiveBackupRoot() {
        return backupRoot.orElseGet(() -> dataDir.resolve("backups").toUri());
    }

    public LocalSettings withBackups(Optional<URI> root, Optional<Path> conf) {
        return new LocalSettings(host, port, dataDir, keyFile, resources, ports, advertisedUrl, leaveRunning, journal, root, conf);
    }

    /** Advertised where the API listens; the instances stop with Mysos; the embedded H2 journal. */
    public LocalSettings(String host, int port, Path dataDir, Path keyFile, Resources resources, List<PortRange> ports) {
        this(host, port, dataDir, keyFile, resources, ports, ApiSettings.urlOf(host, port), false, Journal.EMBEDDED);
    }

    public LocalSettings withLeaveRunning(boolean leave) {
        return new LocalSettings(host, port, dataDir, keyFile, resources, ports, advertisedUrl, leave, journal, backupRoot, hadoopConf);
    }

    public LocalSettings withJournal(Journal newJournal) {
        return new LocalSettings(host, port, dataDir, keyFile, resources, ports, advertisedUrl, leaveRunning, newJournal, backupRoot,
                hadoopConf);
    }

    /**
     * Where the journal is: the embedded H2 file under the data directory (no url), or a PostgreSQL
     * or MySQL/MariaDB database at {@code url} (its tables are created when missing).
     */
    public record Journal(JournalKind kind, Optional<String> url, String user, String password) {
        public static final Journal EMBEDDED = new Journal(JournalKind.H2, Optional.empty(), "sa", "");

        public Journal {
            if (kind != JournalKind.H2 && url.isEmpty()) {
                throw new IllegalArgumentException("a " + kind.id() + " journal needs a JDBC url");
            }
        }

        @Override
        public String toString() {
            return "Journal[" + kind.id() + " " + url.orElse("(embedded)") + " as " + user + "]";
        }
    }
}

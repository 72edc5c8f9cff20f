package io.mysos.dist;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.mysos.core.InvalidInputException;
import io.mysos.executor.backup.InstanceBackups;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code --backup-root} and {@code --hadoop-conf}, shared by {@code mysos local} and {@code mysos scheduler}. */
final class BackupFlags {
    private BackupFlags() {}

    /** A store URI with a scheme (hdfs://, file://); a plain path means a local directory. */
    static Optional<URI> root(String flag) {
        if (flag == null || flag.isBlank()) {
            return Optional.empty();
        }
        try {
            var uri = new URI(flag.trim());
            return Optional.of(uri.getScheme() == null ? Path.of(flag.trim()).toAbsolutePath().normalize().toUri() : uri);
        } catch (URISyntaxException e) {
            throw new InvalidInputException("--backup-root must be a URI like hdfs://namenode:8020/mysos or file:///var/lib/mysos/backups, not '"
                    + flag + "'");
        }
    }

    static Optional<Path> conf(Path flag) {
        if (flag == null) {
            return Optional.empty();
        }
        if (!Files.isDirectory(flag)) {
            throw new InvalidInputException("--hadoop-conf " + flag + " is not a directory");
        }
        for (var name : java.util.List.of("core-site.xml", "hdfs-site.xml")) {
            var file = flag.resolve(name);
            if (Files.exists(file)) {
                checkXml(file);
            }
        }
        return Optional.of(flag.toAbsolutePath().normalize());
    }

    /** Hadoop reads its files lazily, and would fail somewhere later, with a stack trace: a broken one is refused here. */
    private static void checkXml(Path file) {
        try {
            var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // throws, prints nothing
            var root = builder.parse(file.toFile()).getDocumentElement();
            if (!root.getTagName().equals("configuration")) {
                throw new InvalidInputException("--hadoop-conf: " + file + " is no Hadoop configuration (its root element is <"
                        + root.getTagName() + ">, not <configuration>)");
            }
        } catch (org.xml.sax.SAXParseException e) {
            throw new InvalidInputException("--hadoop-conf: " + file + " is not valid XML: line " + e.getLineNumber() + ": " + e.getMessage());
        } catch (org.xml.sax.SAXException | javax.xml.parsers.ParserConfigurationException | java.io.IOException e) {
            throw new InvalidInputException("--hadoop-conf: cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The actors' view of the store ({@code mysos.backup.*}). */
    static Config withBackups(Config config, URI root, Optional<Path> hadoopConf) {
        return config.withValue("mysos.backup.root", ConfigValueFactory.fromAnyRef(root.toString()))
                .withValue("mysos.backup.hadoop-conf", ConfigValueFactory.fromAnyRef(hadoopConf.map(Path::toString).orElse("")));
    }

    /**
     * How often a master's binary log is archived: {@code 500ms}, {@code 1s}, {@code 5s}, {@code 1m}; {@code 0} or
     * {@code off}: never. Blank: the default, every second. {@code setting} names where the value came from, for the error.
     */
    static java.time.Duration archiveInterval(String setting, String flag) {
        if (flag == null || flag.isBlank()) {
            return io.mysos.executor.backup.BinlogArchiver.INTERVAL;
        }
        var text = flag.trim().toLowerCase(java.util.Locale.ROOT);
        if (text.equals("0") || text.equals("off")) {
            return java.time.Duration.ZERO;
        }
        var m = java.util.regex.Pattern.compile("([0-9]{1,6})(ms|s|m)").matcher(text);
        if (!m.matches()) {
            throw new InvalidInputException(setting + " must look like 500ms, 1s or 1m (or off), not '" + flag + "'");
        }
        long n = Long.parseLong(m.group(1));
        var interval = switch (m.group(2)) {
            case "ms" -> java.time.Duration.ofMillis(n);
            case "s" -> java.time.Duration.ofSeconds(n);
            default -> java.time.Duration.ofMinutes(n);
        };
        if (interval.compareTo(java.time.Duration.ofMillis(100)) < 0 || interval.compareTo(java.time.Duration.ofHours(1)) > 0) {
            throw new InvalidInputException(setting + " must be from 100ms to 1h (or off), not '" + flag + "'");
        }
        return interval;
    }

    /**
     * Opens the store once, before anything starts, so that a mistyped {@code --backup-root} is refused with its reason
     * (unknown host, no file system for the scheme, a directory that cannot be made) instead of failing every backup
     * later. Nothing is sent over the network: an HDFS that is down only fails backups, as it would later.
     */
    static void checkOpens(String flag, URI root, Optional<Path> hadoopConf) {
        if ("file".equals(root.getScheme())) {
            createLocal(root);
        }
        try (var store = io.mysos.executor.backup.BackupStore.open(root, hadoopConf)) {
            store.root();
        } catch (RuntimeException e) {
            throw new InvalidInputException(flag + " " + root + ": " + whyNot(root, e));
        }
    }

    /** Why the store at {@code root} cannot be opened, in the operator's terms. */
    static String whyNot(URI root, Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.UnknownHostException unknown) {
                return "unknown host " + unknown.getMessage() + " (an HA name service needs --hadoop-conf with its hdfs-site.xml)";
            }
            if (cause instanceof org.apache.hadoop.fs.UnsupportedFileSystemException || cause instanceof ClassNotFoundException) {
                return "this Mysos has no Hadoop file system for " + root.getScheme() + ":// (it has hdfs:// and file://)";
            }
        }
        return "cannot be opened: " + LocalMode.rootMessage(failure);
    }

    private static void createLocal(URI root) {
        try {
            Files.createDirectories(Path.of(root));
        } catch (java.io.IOException | RuntimeException e) {
            throw new InvalidInputException("cannot create the backup directory " + root + ": " + LocalMode.rootMessage(e));
        }
    }

    /** The executor side of the store, for tasks run in this process; a local root is created. */
    static Optional<InstanceBackups> instanceBackups(URI root, Optional<Path> hadoopConf, java.time.Duration archiveInterval) {
        if ("file".equals(root.getScheme())) {
            createLocal(root);
        }
        return Optional.of(InstanceBackups.at(root, hadoopConf).withArchiveInterval(archiveInterval));
    }
}

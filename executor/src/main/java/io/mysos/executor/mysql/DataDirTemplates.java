package io.mysos.executor.mysql;

import io.mysos.executor.mysql.MySqlInstallation.Flavor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pristine data directories, one per server binary and initialization options, each made once by
 * the flavor's own tool and then copied for every new instance. A template is built under a
 * temporary name and renamed when complete, so concurrent executors never copy half of one.
 */
final class DataDirTemplates {
    private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();
    /** Made per server at its first start, so copies must not share them. */
    private static final List<String> MYSQL_PER_SERVER_FILES = List.of("auto.cnf", "ca.pem", "ca-key.pem",
            "server-cert.pem", "server-key.pem", "client-cert.pem", "client-key.pem", "private_key.pem", "public_key.pem");

    private DataDirTemplates() {}

    static void copy(MySqlInstallation mysql, Path cache, Path dataDir, Path log, List<String> serverOptions) {
        var template = cache.resolve(name(mysql, serverOptions));
        try {
            Files.createDirectories(cache, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            requirePrivate(cache);
            synchronized (LOCKS.computeIfAbsent(template, t -> new Object())) {
                if (!Files.isDirectory(template)) {
                    build(mysql, cache, template, log, serverOptions);
                }
            }
            copyTree(template, dataDir);
            if (mysql.flavor() == Flavor.MYSQL) {
                for (var file : MYSQL_PER_SERVER_FILES) {
                    Files.deleteIfExists(dataDir.resolve(file));
                }
            }
            Files.writeString(log, "Mysos: copied the data directory from the template " + template + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new MySqlInitializationException("cannot copy the data directory template " + template + " to "
                    + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static void build(MySqlInstallation mysql, Path cache, Path template, Path log, List<String> serverOptions)
            throws IOException {
        var building = Files.createTempDirectory(cache, template.getFileName() + ".building-");
        var tmp = Files.createDirectories(building.resolve("tmp"));
        var data = building.resolve("data");
        try {
            mysql.runInitialize(data, tmp, log, serverOptions);
            try {
                Files.move(data, template, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException anotherExecutorWasFaster) {
                // theirs is as good as ours
            }
        } finally {
            SandboxLayout.deleteTree(building);
        }
    }

    /** Whoever can write to the templates could put accounts into every new instance. */
    private static void requirePrivate(Path cache) throws IOException {
        var permissions = Files.getPosixFilePermissions(cache, LinkOption.NOFOLLOW_LINKS);
        var ownerUid = Files.getAttribute(cache, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        var myUid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        var othersMayWrite = permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE);
        if (othersMayWrite || !ownerUid.equals(myUid) || Files.isSymbolicLink(cache)) {
            throw new MySqlInitializationException("the data directory template cache " + cache
                    + " must be a directory of this user that only it can write to");
        }
    }

    private static String name(MySqlInstallation mysql, List<String> serverOptions) {
        var identity = mysql.mysqld() + "\n" + mysql.version() + "\n" + String.join("\n", serverOptions);
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return mysql.flavor().name().toLowerCase(Locale.ROOT) + "-" + mysql.version() + "-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks SHA-256", e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.copy(dir, to.resolve(from.relativize(dir).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

}

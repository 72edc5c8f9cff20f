package io.mysos.executor.mysql;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may touch an instance's files. Nothing in a sandbox is readable by other OS users. When Mysos
 * runs as root, mysqld runs as the unprivileged OS user {@value MySqlInstallation#SERVER_USER}: it
 * owns the directories it writes (data, tmp, run, files) and its log, may pass through the sandbox
 * (0710, its group) but not write there, so files Mysos writes as root (my.cnf, the init file, the
 * pid record) cannot be swapped for links by a compromised server.
 */
final class SandboxAccess {
    private static final Logger log = LoggerFactory.getLogger(SandboxAccess.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_PASSES = PosixFilePermissions.fromString("rwx--x---");

    /** mysqld's OS user and group, when it is not this JVM's. */
    private record ServerAccount(UserPrincipal user, GroupPrincipal group) {}

    private final SandboxLayout layout;
    private final Optional<ServerAccount> server;
    private final UserPrincipal me;

    private SandboxAccess(SandboxLayout layout, Optional<ServerAccount> server, UserPrincipal me) {
        this.layout = layout;
        this.server = server;
        this.me = me;
    }

    /**
     * @throws MySqlStartException when mysqld must run as an OS user that does not exist
     */
    static SandboxAccess of(SandboxLayout layout, MySqlInstallation mysql) {
        var lookup = layout.sandbox().getFileSystem().getUserPrincipalLookupService();
        try {
            var me = lookup.lookupPrincipalByName(System.getProperty("user.name"));
            if (mysql.serverUser().isEmpty()) {
                return new SandboxAccess(layout, Optional.empty(), me);
            }
            var name = mysql.serverUser().get();
            try {
                return new SandboxAccess(layout, Optional.of(new ServerAccount(lookup.lookupPrincipalByName(name),
                        lookup.lookupPrincipalByGroupName(name))), me);
            } catch (UserPrincipalNotFoundException e) {
                throw new MySqlStartException("Mysos runs as root, so it runs mysqld as the OS user and group '" + name
                        + "', which do not exist: install the mariadb-server package (it creates them) or run "
                        + "'useradd --system --user-group " + name + "'");
            }
        } catch (IOException e) {
            throw new MySqlStartException("cannot look up OS users: " + e.getMessage(), e);
        }
    }

    /** The sandbox itself: only Mysos writes it; mysqld's user (its group) may pass through. */
    void prepareSandbox() throws IOException {
        Files.createDirectories(layout.sandbox());
        if (server.isPresent()) {
            ensureAncestorsPassable();
            view(layout.sandbox()).setGroup(server.get().group());
            Files.setPosixFilePermissions(layout.sandbox(), GROUP_PASSES);
        } else {
            Files.setPosixFilePermissions(layout.sandbox(), OWNER_ONLY);
        }
        privateDir(layout.tmpDir());
        privateFile(layout.logFile());
    }

    /** Before every start: mysqld's own directories, log and data directory belong to its user. */
    void prepareStart() throws IOException {
        prepareSandbox();
        privateDir(layout.runDir());
        privateDir(layout.filesDir());
        if (!layout.socketDir().equals(layout.runDir())) {
            sharedSocketDir(layout.socketDir());
        }
        // Data directories of earlier versions (or copied by root) belong to root: hand them over once.
        if (server.isPresent() && Files.isDirectory(layout.dataDir())
                && !Files.getOwner(layout.dataDir(), LinkOption.NOFOLLOW_LINKS).equals(server.get().user())) {
            handOver(layout.dataDir());
        }
    }

    /** Gives a tree Mysos made (a new data directory) to mysqld's user, without following links. */
    void handOver(Path root) throws IOException {
        if (server.isEmpty()) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (var path : paths.toList()) {
                var view = view(path);
                view.setOwner(server.get().user());
                view.setGroup(server.get().group());
            }
        }
    }

    /** A file of Mysos's that mysqld must read after it dropped root (the init file). */
    void handOverFile(Path file) throws IOException {
        if (server.isPresent()) {
            view(file).setOwner(server.get().user());
        }
    }

    private void privateDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, OWNER_ONLY);
        handOverOne(dir);
    }

    private void privateFile(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
        } catch (FileAlreadyExistsException exists) {
            Files.setPosixFilePermissions(file, OWNER_FILE);
        }
        handOverOne(file);
    }

    private void handOverOne(Path path) throws IOException {
        if (server.isPresent()) {
            view(path).setOwner(server.get().user());
        }
    }

    /**
     * The socket directory shared by sandboxes with long paths: its name is predictable, so another
     * local user may have made it first; then the start fails rather than put the socket there.
     */
    private void sharedSocketDir(Path dir) throws IOException {
        var owner = server.map(ServerAccount::user).orElse(me);
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
            view(dir).setOwner(owner);
            return;
        } catch (FileAlreadyExistsException exists) {
            // check it below
        }
        var attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        boolean othersWrite = attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE);
        boolean ours = attributes.owner().equals(owner) || attributes.owner().equals(me);
        if (!attributes.isDirectory() || othersWrite || !ours) {
            throw new MySqlStartException("the socket directory " + dir + " is not private (owner " + attributes.owner()
                    + ", mode " + PosixFilePermissions.toString(attributes.permissions()) + ", "
                    + (attributes.isSymbolicLink() ? "a link" : attributes.isDirectory() ? "a directory" : "not a directory")
                    + "); another user may have made it to take the sockets: remove it, or give instances a shorter sandbox path");
        }
        if (!attributes.owner().equals(owner)) {
            view(dir).setOwner(owner);
        }
        Files.setPosixFilePermissions(dir, OWNER_ONLY);
    }

    /**
     * mysqld's user must pass through every directory above the sandbox. One of Mysos's own that
     * lets no group in (a 0700 data directory) lets mysqld's group pass, and nothing more;
     * anything else is the operator's to change.
     */
    private void ensureAncestorsPassable() throws IOException {
        var account = server.orElseThrow();
        for (var dir = layout.sandbox().getParent(); dir != null; dir = dir.getParent()) {
            var attributes = Files.readAttributes(dir, PosixFileAttributes.class);
            var permissions = attributes.permissions();
            boolean passes = permissions.contains(PosixFilePermission.OTHERS_EXECUTE)
                    || (attributes.group().equals(account.group()) && permissions.contains(PosixFilePermission.GROUP_EXECUTE))
                    || (attributes.owner().equals(account.user()) && permissions.contains(PosixFilePermission.OWNER_EXECUTE));
            if (passes) {
                continue;
            }
            boolean noGroupAccess = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.GROUP_EXECUTE).stream().noneMatch(permissions::contains);
            if (!attributes.owner().equals(me) || !noGroupAccess) {
                throw new MySqlStartException("mysqld runs as the OS user " + account.user().getName() + ", which cannot pass "
                        + "through " + dir + " to reach " + layout.sandbox() + ": run 'chgrp " + account.group().getName()
                        + " " + dir + " && chmod g+x " + dir + "'");
            }
            var widened = EnumSet.copyOf(permissions);
            widened.add(PosixFilePermission.GROUP_EXECUTE);
            view(dir).setGroup(account.group());
            Files.setPosixFilePermissions(dir, widened);
            log.info("{} now lets the group {} pass (mode {}), so mysqld can reach its sandbox", dir,
                    account.group().getName(), PosixFilePermissions.toString(widened));
        }
    }

    private static PosixFileAttributeView view(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    }
}

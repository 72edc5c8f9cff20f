package io.mysos.executor.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.executor.MySqlProcess;
import io.mysos.executor.mysql.MySqlInstallation.Flavor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MySqlInstallationTest {
    private static final Path MYSQLD = Path.of("/usr/sbin/mysqld");
    private static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");

    @Test
    void readsMariaDbFromItsVersionLine() {
        var mysql = MySqlInstallation.fromVersionOutput(Path.of("/usr/sbin/mariadbd"),
                "/usr/sbin/mariadbd  Ver 10.11.19-MariaDB-0+deb12u1 for debian-linux-gnu on x86_64 (Debian 12)\n",
                Optional.of(INSTALL_DB), true);
        assertEquals(Flavor.MARIADB, mysql.flavor());
        assertEquals(new MySqlVersion(10, 11, 19), mysql.version());
    }

    @Test
    void readsMySqlAndItsForksFromTheirVersionLines() {
        var ubuntu = MySqlInstallation.fromVersionOutput(MYSQLD,
                "/usr/sbin/mysqld  Ver 8.0.36-0ubuntu0.22.04.1 for Linux on x86_64 ((Ubuntu))", Optional.empty(), false);
        var oracle = MySqlInstallation.fromVersionOutput(MYSQLD,
                "/usr/sbin/mysqld  Ver 8.4.0 for Linux on x86_64 (MySQL Community Server - GPL)", Optional.empty(), false);
        var percona = MySqlInstallation.fromVersionOutput(MYSQLD,
                "/usr/sbin/mysqld  Ver 8.0.35-27 for Linux on x86_64 (Percona Server (GPL), Release '27')", Optional.empty(), false);
        assertEquals(Flavor.MYSQL, ubuntu.flavor());
        assertEquals(new MySqlVersion(8, 0, 36), ubuntu.version());
        assertEquals(new MySqlVersion(8, 4, 0), oracle.version());
        assertEquals(Flavor.MYSQL, percona.flavor());
    }

    @Test
    void refusesServersOlderThanMariaDb106AndMySql80() {
        var mariadb = assertThrows(MySqlNotInstalledException.class, () -> MySqlInstallation.fromVersionOutput(MYSQLD,
                "/usr/sbin/mysqld  Ver 10.5.23-MariaDB-0+deb11u1 for debian-linux-gnu on x86_64", Optional.of(INSTALL_DB), true));
        var mysql = assertThrows(MySqlNotInstalledException.class, () -> MySqlInstallation.fromVersionOutput(MYSQLD,
                "/usr/sbin/mysqld  Ver 5.7.44 for Linux on x86_64 (MySQL Community Server (GPL))", Optional.empty(), true));
        assertTrue(mariadb.getMessage().startsWith("MariaDB 10.5.23 at /usr/sbin/mysqld is too old"), mariadb.getMessage());
        assertTrue(mysql.getMessage().contains("apt-get install mariadb-server"), mysql.getMessage());
    }

    @Test
    void initializesMariaDbWithInstallDbAndSocketOnlyRoot() {
        var mysql = new MySqlInstallation(Path.of("/usr/sbin/mariadbd"), Flavor.MARIADB, new MySqlVersion(10, 11, 6),
                Optional.of(INSTALL_DB), true);
        assertEquals(List.of("/usr/bin/mariadb-install-db", "--no-defaults", "--datadir=/s/data",
                        "--auth-root-authentication-method=socket", "--skip-test-db", "--skip-name-resolve", "--user=root",
                        "--tmpdir=/s/tmp", "--innodb-log-file-size=16M"),
                mysql.initializeCommand(Path.of("/s/data"), Path.of("/s/tmp"), List.of("--innodb-log-file-size=16M")));
        var notRoot = new MySqlInstallation(mysql.mysqld(), Flavor.MARIADB, mysql.version(), mysql.installDb(), false);
        assertFalse(notRoot.initializeCommand(Path.of("/s/data"), Path.of("/s/tmp"), List.of()).contains("--user=root"));
    }

    @Test
    void mysqldRunsAsTheMysqlUserWhenMysosIsRootAndAsMysosOtherwise() {
        var root = new MySqlInstallation(Path.of("/usr/sbin/mariadbd"), Flavor.MARIADB, new MySqlVersion(10, 11, 6),
                Optional.of(INSTALL_DB), true);
        assertEquals(Optional.of("mysql"), root.serverUser());
        assertEquals(Optional.empty(), new MySqlInstallation(root.mysqld(), Flavor.MARIADB, root.version(), root.installDb(),
                false).serverUser());
        assertEquals(Optional.of("mysql"), root.withTemplatesIn(Path.of("/t")).serverUser());
    }

    @Test
    void initializesMySqlWithItsOwnInitializeInsecure() {
        var mysql = new MySqlInstallation(MYSQLD, Flavor.MYSQL, new MySqlVersion(8, 0, 36), Optional.empty(), true);
        assertEquals(List.of("/usr/sbin/mysqld", "--no-defaults", "--initialize-insecure", "--datadir=/s/data",
                "--skip-log-bin", "--user=root", "--tmpdir=/s/tmp"),
                mysql.initializeCommand(Path.of("/s/data"), Path.of("/s/tmp"), List.of()));
    }

    @Test
    void tarballInstallsNameTheirBaseDir() {
        var mysql = new MySqlInstallation(Path.of("/usr/local/mysql/bin/mariadbd"), Flavor.MARIADB,
                new MySqlVersion(10, 11, 6), Optional.of(Path.of("/usr/local/mysql/scripts/mariadb-install-db")), false);
        assertTrue(mysql.initializeCommand(Path.of("/s/data"), Path.of("/s/tmp"), List.of()).contains("--basedir=/usr/local/mysql"));
    }

    @Test
    void saysWhichPackageToInstallWhenNoServerIsFound() {
        var e = assertThrows(MySqlNotInstalledException.class,
                () -> MySqlInstallation.detect(List.of(Path.of("/nonexistent/bin"))));
        assertEquals("no mariadbd or mysqld found in /nonexistent/bin: install the mariadb-server package: "
                + "apt-get install mariadb-server", e.getMessage());
    }

    @Test
    void refusesTemplatesOthersCouldWriteTo(@TempDir Path dir) throws Exception {
        var shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        var mysql = MySqlProcess.installation().withTemplatesIn(shared);

        var e = assertThrows(MySqlInitializationException.class,
                () -> mysql.initialize(dir.resolve("data"), dir.resolve("tmp"), dir.resolve("log"), List.of()));

        assertTrue(e.getMessage().contains("must be a directory of this user that only it can write to"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("data")));
    }

    @Test
    void detectsTheServerOfThisMachine() {
        var mysql = MySqlProcess.installation();
        assertTrue(mysql.flavor() == Flavor.MARIADB ? mysql.version().isAtLeast(10, 6, 0) : mysql.version().isAtLeast(8, 0, 0),
                mysql.toString());
        assertEquals(mysql.flavor() == Flavor.MARIADB, mysql.installDb().isPresent());
    }
}

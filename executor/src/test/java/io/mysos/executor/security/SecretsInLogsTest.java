package io.mysos.executor.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.executor.MySqlProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** No password of the cluster reaches a binary or relay log, where every replica (and backup) would keep it. */
class SecretsInLogsTest {
    @RegisterExtension
    final MySqlProcess mysql = new MySqlProcess();

    @Test
    void passwordsAreInNoBinaryOrRelayLogOfMasterOrReplica() throws Exception {
        var master = mysql.instance(1);
        var replica = mysql.instance(2);
        MySqlProcess.launchTogether(master, replica);
        master.promote(1);
        replica.reparent(1, master);
        try (var connection = master.connectAsUser(); var statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE shop");
            statement.execute("CREATE TABLE shop.orders (id INT PRIMARY KEY)");
            statement.execute("INSERT INTO shop.orders VALUES (1)");
        }
        MySqlProcess.eventually(Duration.ofSeconds(15), () -> "1".equals(replica.queryAsAdmin("SELECT COUNT(*) FROM shop.orders")));
        // The replica's user came from its own start, not from replication: it logs in all the same.
        try (var connection = replica.connectAsUser(); var statement = connection.createStatement();
                var rows = statement.executeQuery("SELECT COUNT(*) FROM shop.orders")) {
            assertTrue(rows.next());
            assertEquals(1, rows.getInt(1));
        }
        var logs = logsOf(master, replica);
        // A second promotion (a failover) renews the account on the new master; RESET SLAVE ALL drops its relay logs.
        replica.runner().handle(new io.mysos.core.protocol.ExecutorCommand.Promote(2));
        replica.events().expectReport(io.mysos.core.protocol.ExecutorReport.Promoted.class, MySqlProcess.STEP);
        logs.putAll(logsOf(master, replica));

        assertTrue(logs.keySet().stream().anyMatch(f -> f.getFileName().toString().startsWith("relay-bin")),
                "no relay log found: " + logs.keySet());
        assertTrue(logs.values().stream().anyMatch(content -> content.contains("orders")),
                "the logs searched hold the cluster's writes: " + logs.keySet());
        for (var log : logs.entrySet()) {
            assertFalse(log.getValue().contains(master.userPassword()), "the cluster password is in clear in " + log.getKey());
            assertFalse(log.getValue().contains(master.adminPassword()), "the admin password is in clear in " + log.getKey());
            assertFalse(log.getValue().contains("IDENTIFIED BY"), "an account statement is in " + log.getKey());
        }
    }

    /** Every binary and relay log of the instances, read as bytes (one char per byte). */
    private static java.util.Map<Path, String> logsOf(MySqlProcess.Instance... instances) throws IOException {
        var logs = new java.util.HashMap<Path, String>();
        for (var instance : instances) {
            try (var files = Files.list(instance.sandbox().resolve("data"))) {
                for (var file : files.filter(f -> f.getFileName().toString().matches("(mysql|relay)-bin\\.\\d+")).toList()) {
                    logs.put(file, new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
                }
            }
        }
        return logs;
    }
}

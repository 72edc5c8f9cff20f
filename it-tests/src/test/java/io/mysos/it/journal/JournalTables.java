package io.mysos.it.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The journal's tables read with plain SQL and JDBC, the way docs/operations.md tells an operator
 * to read them: the akka-persistence-jdbc 5 columns {@code event_journal.event_payload} and
 * {@code snapshot.snapshot_payload}. The same unquoted lower-case names work on all three
 * databases (H2 runs with DATABASE_TO_UPPER=FALSE).
 */
record JournalTables(String url, String user, String password) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One stored event or snapshot. */
    record Row(String persistenceId, long sequenceNr, String manifest, byte[] payload) {

        /** The stored class's simple name, e.g. {@code MasterElected} for {@code ...ClusterEvent$MasterElected#2} (version dropped). */
        String type() {
            var unversioned = manifest.replaceFirst("#\\d+$", "");
            return unversioned.substring(Math.max(unversioned.lastIndexOf('$'), unversioned.lastIndexOf('.')) + 1);
        }

        boolean gzipped() {
            return payload.length > 2 && (payload[0] & 0xff) == 0x1f && (payload[1] & 0xff) == 0x8b;
        }

        /** The payload as text: as stored, or as Akka's Jackson serializer un-gzips a payload over 32 KiB. */
        String text() {
            if (!gzipped()) {
                return new String(payload, StandardCharsets.UTF_8);
            }
            try (var in = new GZIPInputStream(new ByteArrayInputStream(payload))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("a gzip payload of " + persistenceId + " #" + sequenceNr + " does not open", e);
            }
        }

        JsonNode json() {
            try {
                return JSON.readTree(text());
            } catch (IOException e) {
                throw new AssertionError(type() + " #" + sequenceNr + " of " + persistenceId + " is not JSON: " + text(), e);
            }
        }
    }

    /** The events of {@code persistenceId} in order. */
    List<Row> events(String persistenceId) {
        return rows("SELECT persistence_id, sequence_number, event_ser_manifest, event_payload FROM event_journal"
                + " WHERE persistence_id = ? ORDER BY sequence_number", persistenceId);
    }

    /** Every event of every persistence id, in the journal's global order. */
    List<Row> allEvents() {
        return rows("SELECT persistence_id, sequence_number, event_ser_manifest, event_payload FROM event_journal"
                + " ORDER BY ordering");
    }

    /** The snapshots of {@code persistenceId}, oldest first. */
    List<Row> snapshots(String persistenceId) {
        return rows("SELECT persistence_id, sequence_number, snapshot_ser_manifest, snapshot_payload FROM snapshot"
                + " WHERE persistence_id = ? ORDER BY sequence_number", persistenceId);
    }

    List<Row> allSnapshots() {
        return rows("SELECT persistence_id, sequence_number, snapshot_ser_manifest, snapshot_payload FROM snapshot"
                + " ORDER BY persistence_id, sequence_number");
    }

    /** How many bytes the database holds for the snapshot's payload (not what JDBC hands back). */
    long storedSnapshotBytes(String persistenceId, long sequenceNr) {
        try (var connection = connect();
             var select = connection.prepareStatement(
                     "SELECT OCTET_LENGTH(snapshot_payload) FROM snapshot WHERE persistence_id = ? AND sequence_number = ?")) {
            select.setString(1, persistenceId);
            select.setLong(2, sequenceNr);
            try (var result = select.executeQuery()) {
                if (!result.next()) {
                    throw new AssertionError("no snapshot " + persistenceId + " #" + sequenceNr);
                }
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError("cannot read the snapshot table at " + url, e);
        }
    }

    /**
     * Removes the events up to {@code sequenceNr}, as retention that deletes events on snapshot
     * would: after that, only a recovery that starts from the snapshot can rebuild the state.
     */
    int deleteEventsUpTo(String persistenceId, long sequenceNr) {
        try (var connection = connect();
             var delete = connection.prepareStatement("DELETE FROM event_journal WHERE persistence_id = ? AND sequence_number <= ?")) {
            delete.setString(1, persistenceId);
            delete.setLong(2, sequenceNr);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError("cannot delete from the journal at " + url, e);
        }
    }

    private List<Row> rows(String sql, String... parameters) {
        try (var connection = connect(); var select = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                select.setString(i + 1, parameters[i]);
            }
            var rows = new ArrayList<Row>();
            try (var result = select.executeQuery()) {
                while (result.next()) {
                    rows.add(new Row(result.getString(1), result.getLong(2), result.getString(3), result.getBytes(4)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new AssertionError("cannot read the journal at " + url + ": " + sql, e);
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }
}

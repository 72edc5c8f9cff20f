-- Akka Persistence JDBC 5.1.0 tables for MySQL 8 and MariaDB 10.6+ (the jar's
-- schema/mysql/mysql-create-schema.sql), made idempotent so Mysos can run it at every start.
-- MySQL 8 has no CREATE INDEX IF NOT EXISTS, so the jar's separate
-- "CREATE UNIQUE INDEX event_journal_ordering_idx" is declared inside CREATE TABLE instead:
-- same table, same index, created together or not at all.
-- akka-persistence-jdbc 5.1.0 has no durable state store for MySQL, hence no durable_state table.
-- The event and snapshot payloads are LONGBLOB, not the jar's BLOB: a BLOB holds 65535 bytes,
-- and the snapshot of a large cluster (or an event with a long task message) can be bigger. Written
-- through the plugin, MariaDB 10.11 kept such a snapshot cut at 65535 bytes, and the cluster could
-- not recover from it (found by JournalMariaDbTest).
-- JournalSchema splits this file on ';': keep semicolons out of statements and comments.

CREATE TABLE IF NOT EXISTS event_journal(
    ordering SERIAL,
    deleted BOOLEAN DEFAULT false NOT NULL,
    persistence_id VARCHAR(255) NOT NULL,
    sequence_number BIGINT NOT NULL,
    writer TEXT NOT NULL,
    write_timestamp BIGINT NOT NULL,
    adapter_manifest TEXT NOT NULL,
    event_payload LONGBLOB NOT NULL,
    event_ser_id INTEGER NOT NULL,
    event_ser_manifest TEXT NOT NULL,
    meta_payload BLOB,
    meta_ser_id INTEGER,
    meta_ser_manifest TEXT,
    PRIMARY KEY(persistence_id,sequence_number),
    UNIQUE INDEX event_journal_ordering_idx (ordering)
);

CREATE TABLE IF NOT EXISTS event_tag (
    event_id BIGINT UNSIGNED NOT NULL,
    tag VARCHAR(255) NOT NULL,
    PRIMARY KEY(event_id, tag),
    FOREIGN KEY (event_id)
        REFERENCES event_journal(ordering)
        ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS snapshot (
    persistence_id VARCHAR(255) NOT NULL,
    sequence_number BIGINT NOT NULL,
    created BIGINT NOT NULL,
    snapshot_ser_id INTEGER NOT NULL,
    snapshot_ser_manifest TEXT NOT NULL,
    snapshot_payload LONGBLOB NOT NULL,
    meta_ser_id INTEGER,
    meta_ser_manifest TEXT,
    meta_payload BLOB,
    PRIMARY KEY (persistence_id, sequence_number)
);

package io.mysos.core.backup;

/** A complete backup as the store's manifest describes it (times RFC 3339). */
public record StoredBackup(String cluster, String id, String startedAt, String finishedAt, long bytes, String position,
                           String location, String sourceTask, String method) {
    public String fullId() {
        return cluster + "/" + id;
    }
}

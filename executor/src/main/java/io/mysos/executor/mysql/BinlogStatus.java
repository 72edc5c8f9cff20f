package io.mysos.executor.mysql;

import java.nio.file.Path;
import java.util.List;

/**
 * A master's binary log as the server reports it: its files with their sizes (oldest first), where it
 * writes now ({@code file}:{@code position}, the end of the last committed transaction), its
 * {@code gtid_binlog_pos}, where the files are, and whether it is read-only (fenced).
 */
public record BinlogStatus(String file, long position, List<LogFile> files, String gtidBinlogPos, Path directory,
                           boolean readOnly) {
    public record LogFile(String name, long size) {}

    public BinlogStatus {
        files = List.copyOf(files);
    }
}

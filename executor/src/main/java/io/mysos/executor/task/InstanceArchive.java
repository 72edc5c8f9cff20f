package io.mysos.executor.task;

import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskData;
import io.mysos.executor.backup.BinlogArchiveId;
import io.mysos.executor.backup.BinlogArchiver;
import io.mysos.executor.backup.InstanceBackups;
import io.mysos.executor.mysql.JdbcMySqlControl;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The binary log archive of a task's instance while it is the master: started when a promotion turns
 * writes on, for the promotion's epoch; it stops by itself once the instance is fenced (read-only), and
 * when the task ends. Called on the runner's thread; the archiving runs on the archiver's own.
 */
final class InstanceArchive implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InstanceArchive.class);

    private final TaskData data;
    private final Optional<InstanceBackups> backups;
    private final Supplier<JdbcMySqlControl> control;
    /** The gtid_binlog_pos the instance had before its promotion turned writes on, and for which epoch. */
    private Optional<String> before = Optional.empty();
    private long beforeEpoch = Long.MIN_VALUE;
    private Optional<BinlogArchiver> archiver = Optional.empty();
    private final Consumer<ExecutorReport> reports;

    InstanceArchive(TaskData data, Optional<InstanceBackups> backups, Supplier<JdbcMySqlControl> control) {
        this(data, backups, control, report -> { });
    }

    /** {@code reports}: where the archive's failing and working again are told (to the scheduler). */
    InstanceArchive(TaskData data, Optional<InstanceBackups> backups, Supplier<JdbcMySqlControl> control,
                    Consumer<ExecutorReport> reports) {
        this.data = data;
        this.backups = backups.filter(b -> !b.archiveInterval().isZero());
        this.control = control;
        this.reports = reports;
    }

    /** Before a promotion turns writes on: where the instance's own history stands (the new epoch continues after it). */
    void promoting(long epoch) {
        if (backups.isEmpty()) {
            return;
        }
        try {
            before = Optional.of(control.get().binlogStatus().gtidBinlogPos());
            beforeEpoch = epoch;
        } catch (RuntimeException e) {
            log.warn("{}: could not read gtid_binlog_pos before the promotion: {}", data.taskId(), e.getMessage());
        }
    }

    /** Writes are on for {@code epoch}: archive the binary log (unless it already is, for this epoch). */
    synchronized void promoted(long epoch) {
        if (backups.isEmpty() || archiver.filter(a -> a.epoch() == epoch && !a.stopped()).isPresent()) {
            return;
        }
        close();
        archiver = Optional.of(BinlogArchiver.start(new BinlogArchiveId(data.cluster(), data.life()), epoch, data.taskId().toString(), backups.get().binlogs(),
                control.get().binlogStatusReader(), beforeEpoch == epoch ? before : Optional.empty(), backups.get().archiveInterval(),
                failing -> reports.accept(new ExecutorReport.ArchiveHealth(data.taskId(), epoch, failing))));
    }

    @Override
    public synchronized void close() {
        archiver.ifPresent(BinlogArchiver::close);
        archiver = Optional.empty();
    }
}

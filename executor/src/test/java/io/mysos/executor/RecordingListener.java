package io.mysos.executor;

import io.mysos.core.protocol.ExecutorReport;
import io.mysos.core.protocol.TaskStatus;
import io.mysos.core.task.TaskState;
import io.mysos.executor.task.StatusListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link StatusListener} that queues what a runner reports, for tests to await with a bound. */
public final class RecordingListener implements StatusListener {
    private final BlockingQueue<TaskStatus> statuses = new LinkedBlockingQueue<>();
    private final BlockingQueue<ExecutorReport> reports = new LinkedBlockingQueue<>();
    /** The health checks' lag reports come on their own schedule: kept apart from the answers to commands. */
    private final BlockingQueue<ExecutorReport.ReplicationLag> lags = new LinkedBlockingQueue<>();
    /** So do the archive's failing and working again. */
    private final BlockingQueue<ExecutorReport.ArchiveHealth> archive = new LinkedBlockingQueue<>();
    private final List<TaskStatus> allStatuses = new ArrayList<>();

    @Override
    public void onStatus(TaskStatus status) {
        synchronized (allStatuses) {
            allStatuses.add(status);
        }
        statuses.add(status);
    }

    @Override
    public void onReport(ExecutorReport report) {
        if (report instanceof ExecutorReport.ReplicationLag lag) {
            lags.add(lag);
        } else if (report instanceof ExecutorReport.ArchiveHealth health) {
            archive.add(health);
        } else {
            reports.add(report);
        }
    }

    /** Waits for a lag report that {@code until} accepts, skipping earlier ones; fails after {@code timeout}. */
    public ExecutorReport.ReplicationLag expectLag(java.util.function.Predicate<ExecutorReport.ReplicationLag> until,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        var seen = new ArrayList<ExecutorReport.ReplicationLag>();
        while (true) {
            var lag = tryPoll(lags, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (lag == null) {
                throw new AssertionError("no such lag report within " + timeout.toMillis() + " ms; got " + seen);
            }
            if (until.test(lag)) {
                return lag;
            }
            seen.add(lag);
        }
    }

    /** The next word on the binary log archive's health, failing when none comes within {@code timeout}. */
    public ExecutorReport.ArchiveHealth nextArchiveHealth(Duration timeout) {
        return poll(archive, timeout, "archive health report");
    }

    /** The next status, failing when none comes within {@code timeout}. */
    public TaskStatus nextStatus(Duration timeout) {
        return poll(statuses, timeout, "status");
    }

    /** The next status, failing unless it is in {@code state}. */
    public TaskStatus expectStatus(TaskState state, Duration timeout) {
        var status = nextStatus(timeout);
        if (status.state() != state) {
            throw new AssertionError("expected " + state + " but got " + status.state() + ": " + status.message());
        }
        return status;
    }

    /** The next report, failing unless it is a {@code type}. */
    public <T extends ExecutorReport> T expectReport(Class<T> type, Duration timeout) {
        var report = poll(reports, timeout, "report");
        if (!type.isInstance(report)) {
            throw new AssertionError("expected a " + type.getSimpleName() + " but got " + report);
        }
        return type.cast(report);
    }

    /** Fails when a status arrives within {@code quiet}. */
    public void expectNoStatus(Duration quiet) {
        var status = tryPoll(statuses, quiet);
        if (status != null) {
            throw new AssertionError("expected no status, got " + status);
        }
    }

    /** Fails when a lag report arrives within {@code quiet}. */
    public void expectNoLag(Duration quiet) {
        var lag = tryPoll(lags, quiet);
        if (lag != null) {
            throw new AssertionError("expected no lag report, got " + lag);
        }
    }

    /** Fails when a report arrives within {@code quiet}. */
    public void expectNoReport(Duration quiet) {
        var report = tryPoll(reports, quiet);
        if (report != null) {
            throw new AssertionError("expected no report, got " + report);
        }
    }

    /** Every status received so far, in order. */
    public List<TaskStatus> statuses() {
        synchronized (allStatuses) {
            return List.copyOf(allStatuses);
        }
    }

    private static <T> T poll(BlockingQueue<T> queue, Duration timeout, String what) {
        var item = tryPoll(queue, timeout);
        if (item == null) {
            throw new AssertionError("no " + what + " within " + timeout.toMillis() + " ms");
        }
        return item;
    }

    private static <T> T tryPoll(BlockingQueue<T> queue, Duration timeout) {
        try {
            return queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

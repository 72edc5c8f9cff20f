package io.mysos.executor.backup;

import java.util.Optional;

/**
 * A way to stop a backup being taken from outside: the scheduler's {@code CancelBackup} (a backup past its time
 * limit, hung on a lock or a stalled store). The backup registers the tool it runs; {@link #cancel} kills it, and the
 * backup then fails with the reason given here rather than the tool's exit code.
 */
public final class Cancellation {
    private ToolRun run;
    private String reason;

    /** Nothing will ever cancel it. */
    public static Cancellation none() {
        return new Cancellation();
    }

    /** Stops the backup: its tool now (if one runs), and any it would start next. */
    public void cancel(String why) {
        ToolRun running;
        synchronized (this) {
            reason = why;
            running = run;
        }
        if (running != null) {
            running.close();
        }
    }

    /** Why the backup was stopped, if it was. */
    public synchronized Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** Registers the tool the backup runs now; a backup cancelled already does not start one. */
    ToolRun watch(ToolRun started) {
        boolean cancelled;
        synchronized (this) {
            cancelled = reason != null;
            run = cancelled ? null : started;
        }
        if (cancelled) {
            started.close();
            throw new BackupFailedException(reason);
        }
        return started;
    }

    /** A failure of the backup, or the cancellation it came from. */
    RuntimeException explain(RuntimeException failure) {
        return reason().<RuntimeException>map(why -> new BackupFailedException(why, failure)).orElse(failure);
    }
}

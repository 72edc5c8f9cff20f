package io.mysos.core.binlog;

/**
 * How the archive of one epoch begins ({@code epoch.json} in its directory): which master ({@code task})
 * archives it since when, and {@code continuesAfter}, that master's {@code gtid_binlog_pos} when it began.
 * Its history holds everything up to there; what an earlier epoch archived beyond it was lost in the
 * failover (it never reached this master) and is never replayed.
 */
public record EpochStart(long epoch, String task, String startedAt, String continuesAfter) {
    public EpochStart {
        continuesAfter = continuesAfter == null ? "" : continuesAfter;
    }

    public GtidState continues() {
        return GtidState.parse(continuesAfter);
    }
}

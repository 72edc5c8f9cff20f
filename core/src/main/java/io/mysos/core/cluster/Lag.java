package io.mysos.core.cluster;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.mysos.core.election.Position;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * How far a replica is behind its master, as its executor's health check measured it:
 * {@code transactions} received from the master and not yet applied (the difference of its GTID
 * positions), and {@code seconds} the replica's own estimate (Seconds_Behind_Master; unknown while
 * its SQL thread does not run). A replica is catching up while either is beyond what normal
 * replication delay explains; it is in sync again once both are back within it. {@code replicating}:
 * whether both its replication threads run (IO and SQL); a replica that stopped falls behind unseen.
 */
public record Lag(long transactions, Optional<Long> seconds, boolean catchingUp, boolean replicating) {
    /** More unapplied transactions than this: catching up (a busy master keeps an in-sync replica a few behind). */
    public static final long MAX_TRANSACTIONS = 20;
    /** Further behind than this: catching up. */
    public static final long MAX_SECONDS = 5;
    /** How often a replica that is catching up reports its progress. */
    public static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(5);
    /** How often an unchanged lag is reported anyway (a restarted scheduler, a lost message). */
    public static final Duration REFRESH_INTERVAL = Duration.ofSeconds(60);

    @JsonCreator
    public Lag {
        seconds = seconds == null ? Optional.empty() : seconds;
    }

    /** A lag measured while both replication threads run. */
    public Lag(long transactions, Optional<Long> seconds, boolean catchingUp) {
        this(transactions, seconds, catchingUp, true);
    }

    /**
     * The lag of a replica that has applied {@code applied} and can reach {@code reachable} (applied
     * plus received). Positions of different kinds (no GTIDs on one side) count no transactions.
     */
    public static Lag measure(Position applied, Position reachable, Optional<Long> secondsBehind) {
        long behind = applied.kind() == reachable.kind() && applied.kind() != Position.Kind.BINLOG
                ? Math.max(0, reachable.transactions() - applied.transactions()) : 0;
        return of(behind, secondsBehind);
    }

    /** This lag of a replica whose replication threads both run ({@code running}), or not. */
    public Lag withReplicating(boolean running) {
        return new Lag(transactions, seconds, catchingUp, running);
    }

    /** {@code transactions} received and not applied, {@code secondsBehind} the replica's estimate. */
    public static Lag of(long transactions, Optional<Long> secondsBehind) {
        boolean catching = transactions > MAX_TRANSACTIONS || secondsBehind.map(s -> s > MAX_SECONDS).orElse(false);
        return new Lag(transactions, secondsBehind, catching);
    }

    public static Lag inSync() {
        return new Lag(0, Optional.of(0L), false);
    }

    /**
     * Whether the health check should send {@code now} when it last sent {@code last} {@code since}
     * ago: the first measurement, a change between catching up and in sync, progress while catching
     * up, replication stopping or starting again, and an unchanged lag now and then; not every check.
     */
    public static boolean worthReporting(Optional<Lag> last, Lag now, Duration since) {
        if (last.isEmpty() || last.get().catchingUp() != now.catchingUp() || last.get().replicating() != now.replicating()) {
            return true;
        }
        return since.compareTo(now.catchingUp() ? PROGRESS_INTERVAL : REFRESH_INTERVAL) >= 0;
    }

    /** In words, for the API's reason: "3912 transactions (12 s) behind". */
    public String describe() {
        var parts = new StringBuilder();
        parts.append(transactions).append(transactions == 1 ? " transaction" : " transactions");
        seconds.ifPresent(s -> parts.append(String.format(Locale.ROOT, " (%d s)", s)));
        return parts.append(" behind").toString();
    }
}

package io.mysos.core.binlog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mysos.core.InvalidInputException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How far a history goes: the last GTID of each replication domain, as MariaDB's {@code gtid_binlog_pos}
 * writes it ({@code 0-1-100,1-2-5}); empty for none. A transaction is within the state when its
 * sequence is at most its domain's (sequences grow within a domain, across failovers too).
 */
public final class GtidState {
    public static final GtidState EMPTY = new GtidState(Map.of());

    private final Map<Long, Gtid> domains;

    private GtidState(Map<Long, Gtid> domains) {
        this.domains = Map.copyOf(domains);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static GtidState parse(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        var domains = new TreeMap<Long, Gtid>();
        for (var part : text.split(",")) {
            var gtid = Gtid.parse(part);
            if (domains.put(gtid.domain(), gtid) != null) {
                throw new InvalidInputException("'" + text + "' names domain " + gtid.domain() + " twice");
            }
        }
        return new GtidState(domains);
    }

    public static GtidState of(Gtid... gtids) {
        var state = EMPTY;
        for (var gtid : gtids) {
            state = state.with(gtid);
        }
        return state;
    }

    /** The last GTID of each domain, by domain. */
    public java.util.List<Gtid> gtids() {
        return new TreeMap<>(domains).values().stream().toList();
    }

    public boolean isEmpty() {
        return domains.isEmpty();
    }

    public Optional<Gtid> domain(long domain) {
        return Optional.ofNullable(domains.get(domain));
    }

    /** Whether {@code gtid}'s transaction is within this state. */
    public boolean includes(Gtid gtid) {
        var last = domains.get(gtid.domain());
        return last != null && Long.compareUnsigned(gtid.seq(), last.seq()) <= 0;
    }

    /** Whether every transaction within {@code other} is within this state. */
    public boolean covers(GtidState other) {
        return other.domains.values().stream().allMatch(this::includes);
    }

    /** This state with {@code gtid} as its domain's last transaction, if it goes further. */
    public GtidState with(Gtid gtid) {
        if (includes(gtid)) {
            return this;
        }
        var next = new TreeMap<>(domains);
        next.put(gtid.domain(), gtid);
        return new GtidState(next);
    }

    /** Each domain's further transaction of the two. */
    public GtidState union(GtidState other) {
        var state = this;
        for (var gtid : other.domains.values()) {
            state = state.with(gtid);
        }
        return state;
    }

    /** Whether {@code gtid} is the transaction right after this state in its domain, or one before (nothing left out). */
    public boolean reachesOnTo(Gtid gtid) {
        var last = domains.get(gtid.domain());
        return last == null || Long.compareUnsigned(gtid.seq(), last.seq() + 1) <= 0;
    }

    @JsonValue
    @Override
    public String toString() {
        return new TreeMap<>(domains).values().stream().map(Gtid::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GtidState other && other.domains.equals(domains);
    }

    @Override
    public int hashCode() {
        return domains.hashCode();
    }
}

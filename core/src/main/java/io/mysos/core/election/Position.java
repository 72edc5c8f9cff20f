package io.mysos.core.election;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mysos.core.InvalidInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How far an instance has come in the cluster's history, as its server reports it:
 * <ul>
 *   <li>{@code mariadb:0-1-100,1-2-5}: MariaDB's {@code gtid_current_pos}, one domain-server-sequence per domain;</li>
 *   <li>{@code mysql:3e11fa47-71ca-11e1-9e33-c80aa9429562:1-100:102}: a MySQL GTID set ({@code gtid_executed});</li>
 *   <li>{@code binlog:mysql-bin.000003:1234}: a binary log file and offset, when there are no GTIDs.</li>
 * </ul>
 * The text form is what executors send and what {@code MasterElected} records.
 */
public final class Position {
    public enum Kind { MARIADB, MYSQL, BINLOG }

    private static final Pattern MARIADB_GTID = Pattern.compile("(\\d+)-(\\d+)-(\\d+)");
    private static final Pattern BINLOG = Pattern.compile("(.+)\\.(\\d+):(\\d+)");

    private final Kind kind;
    private final String text;
    /** MariaDB: domain to sequence. */
    private final Map<Long, Long> domains;
    /** MariaDB: domain to the server id of its last GTID (the same sequence from two servers is a fork). */
    private final Map<Long, Long> servers;
    /** MySQL: source uuid to its executed intervals (inclusive pairs, merged and sorted). */
    private final Map<String, List<long[]>> intervals;

    private Position(Kind kind, String text, Map<Long, Long> domains, Map<String, List<long[]>> intervals) {
        this(kind, text, domains, Map.of(), intervals);
    }

    private Position(Kind kind, String text, Map<Long, Long> domains, Map<Long, Long> servers,
                     Map<String, List<long[]>> intervals) {
        this.kind = kind;
        this.text = text;
        this.domains = domains;
        this.servers = servers;
        this.intervals = intervals;
    }

    public static Position mariadb(String gtidCurrentPos) {
        return parse("mariadb:" + gtidCurrentPos.trim());
    }

    public static Position mysql(String gtidExecuted) {
        return parse("mysql:" + gtidExecuted.replaceAll("\\s", ""));
    }

    public static Position binlog(String file, long offset) {
        return parse("binlog:" + file + ":" + offset);
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Position parse(String text) {
        if (text == null) {
            throw new InvalidInputException("a replication position is required");
        }
        int colon = text.indexOf(':');
        var prefix = colon < 0 ? "" : text.substring(0, colon);
        var body = colon < 0 ? "" : text.substring(colon + 1);
        try {
            return switch (prefix) {
                case "mariadb" -> mariadbOf(text, body);
                case "mysql" -> new Position(Kind.MYSQL, text, Map.of(), parseMySql(body));
                case "binlog" -> parseBinlog(text, body);
                default -> throw new InvalidInputException("'" + text + "' is not a replication position");
            };
        } catch (NumberFormatException e) {
            throw new InvalidInputException("'" + text + "' is not a replication position");
        }
    }

    private static Position mariadbOf(String text, String body) {
        var domains = new HashMap<Long, Long>();
        var servers = new HashMap<Long, Long>();
        if (!body.isBlank()) {
            for (var gtid : body.split(",")) {
                var m = MARIADB_GTID.matcher(gtid.trim());
                if (!m.matches()) {
                    throw new InvalidInputException("'" + gtid + "' is not a MariaDB GTID (domain-server-sequence)");
                }
                long domain = Long.parseLong(m.group(1));
                long seq = Long.parseLong(m.group(3));
                if (seq >= domains.getOrDefault(domain, -1L)) {
                    domains.put(domain, seq);
                    servers.put(domain, Long.parseLong(m.group(2)));
                }
            }
        }
        return new Position(Kind.MARIADB, text, domains, servers, Map.of());
    }

    private static Map<String, List<long[]>> parseMySql(String body) {
        var sets = new HashMap<String, List<long[]>>();
        if (body.isBlank()) {
            return sets;
        }
        for (var member : body.split(",")) {
            var parts = member.trim().split(":");
            if (parts.length < 2 || parts[0].isEmpty()) {
                throw new InvalidInputException("'" + member + "' is not a MySQL GTID set member (uuid:interval)");
            }
            var list = sets.computeIfAbsent(parts[0].toLowerCase(), u -> new ArrayList<>());
            for (int i = 1; i < parts.length; i++) {
                var range = parts[i].split("-");
                long start = Long.parseLong(range[0]);
                long end = range.length > 1 ? Long.parseLong(range[1]) : start;
                if (start < 1 || end < start) {
                    throw new InvalidInputException("'" + parts[i] + "' is not a GTID interval");
                }
                list.add(new long[] {start, end});
            }
        }
        sets.replaceAll((uuid, list) -> merge(list));
        return sets;
    }

    private static Position parseBinlog(String text, String body) {
        var m = BINLOG.matcher(body);
        if (!m.matches()) {
            throw new InvalidInputException("'" + text + "' is not a binlog position (file.NNNNNN:offset)");
        }
        return new Position(Kind.BINLOG, text, Map.of(Long.parseLong(m.group(2)), Long.parseLong(m.group(3))), Map.of());
    }

    private static List<long[]> merge(List<long[]> list) {
        list.sort((a, b) -> Long.compare(a[0], b[0]));
        var merged = new ArrayList<long[]>();
        for (var range : list) {
            if (!merged.isEmpty() && range[0] <= merged.get(merged.size() - 1)[1] + 1) {
                var last = merged.get(merged.size() - 1);
                last[1] = Math.max(last[1], range[1]);
            } else {
                merged.add(range.clone());
            }
        }
        return merged;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * Everything in this position or in {@code other}: for a replica, its applied position united
     * with what its IO thread has received is how far it can get without its master. MariaDB: per
     * domain the GTID with the higher sequence; MySQL: the union of the GTID sets; binlog: the later.
     */
    public Position union(Position other) {
        if (kind != other.kind) {
            throw new IllegalArgumentException("cannot unite a " + kind + " position with a " + other.kind + " position");
        }
        return switch (kind) {
            case MARIADB -> {
                var best = new java.util.TreeMap<Long, String>();
                var seqs = new HashMap<Long, Long>();
                for (var text : List.of(body(), other.body())) {
                    if (text.isBlank()) {
                        continue;
                    }
                    for (var gtid : text.split(",")) {
                        var m = MARIADB_GTID.matcher(gtid.trim());
                        m.matches();
                        long domain = Long.parseLong(m.group(1));
                        long seq = Long.parseLong(m.group(3));
                        if (seq >= seqs.getOrDefault(domain, -1L)) {
                            seqs.put(domain, seq);
                            best.put(domain, gtid.trim());
                        }
                    }
                }
                yield mariadb(String.join(",", best.values()));
            }
            case MYSQL -> mysql(String.join(",", java.util.stream.Stream.of(body(), other.body())
                    .filter(b -> !b.isBlank()).toList()));
            case BINLOG -> covers(other) ? this : other;
        };
    }

    /** The position as the server writes it, without the kind: a GTID list, or {@code file:offset}. */
    public String value() {
        return body();
    }

    private String body() {
        return text.substring(text.indexOf(':') + 1);
    }

    /** How many transactions the position stands for (for binlog positions: a monotone stand-in). */
    public long transactions() {
        return switch (kind) {
            case MARIADB -> domains.values().stream().mapToLong(Long::longValue).sum();
            case MYSQL -> intervals.values().stream().flatMap(List::stream).mapToLong(r -> r[1] - r[0] + 1).sum();
            case BINLOG -> {
                var entry = domains.entrySet().iterator().next();
                yield entry.getKey() * (1L << 40) + entry.getValue();
            }
        };
    }

    /**
     * True when this position has everything {@code other} has: every domain as far, every GTID, or
     * a later binlog offset. MariaDB: a domain at the same sequence number but from a different
     * server is a forked history, not the same transaction, so neither covers the other.
     */
    public boolean covers(Position other) {
        if (kind != other.kind) {
            return false;
        }
        return switch (kind) {
            case MARIADB -> other.domains.keySet().stream().allMatch(domain -> coversDomain(other, domain));
            case MYSQL -> other.intervals.entrySet().stream().allMatch(e -> e.getValue().stream()
                    .allMatch(r -> contains(intervals.getOrDefault(e.getKey(), List.of()), r)));
            case BINLOG -> transactions() >= other.transactions();
        };
    }

    private boolean coversDomain(Position other, long domain) {
        long mine = domains.getOrDefault(domain, 0L);
        long theirs = other.domains.get(domain);
        return mine > theirs || (mine == theirs && (theirs == 0 || servers.get(domain).equals(other.servers.get(domain))));
    }

    /**
     * What {@code other} has that this position lacks, one entry per MariaDB domain (its GTID) or
     * MySQL source (its intervals), or the binlog position: empty when this position covers it.
     */
    public List<String> lacking(Position other) {
        if (kind != other.kind) {
            return List.of(other.text);
        }
        return switch (kind) {
            case MARIADB -> other.domains.keySet().stream().sorted()
                    .filter(domain -> !coversDomain(other, domain))
                    .map(domain -> domain + "-" + other.servers.get(domain) + "-" + other.domains.get(domain))
                    .toList();
            case MYSQL -> other.intervals.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(e -> Map.entry(e.getKey(), e.getValue().stream()
                            .flatMap(r -> minus(r, intervals.getOrDefault(e.getKey(), List.of())).stream()).toList()))
                    .filter(e -> !e.getValue().isEmpty())
                    .map(e -> e.getKey() + ":" + String.join(":", e.getValue().stream()
                            .map(r -> r[0] == r[1] ? String.valueOf(r[0]) : r[0] + "-" + r[1]).toList()))
                    .toList();
            case BINLOG -> covers(other) ? List.of() : List.of(other.body());
        };
    }

    /** The parts of {@code range} that none of {@code ranges} (merged, sorted) holds. */
    private static List<long[]> minus(long[] range, List<long[]> ranges) {
        var rest = new ArrayList<long[]>();
        long from = range[0];
        for (var r : ranges) {
            if (r[1] < from || r[0] > range[1]) {
                continue;
            }
            if (r[0] > from) {
                rest.add(new long[] {from, r[0] - 1});
            }
            from = Math.max(from, r[1] + 1);
        }
        if (from <= range[1]) {
            rest.add(new long[] {from, range[1]});
        }
        return rest;
    }

    private static boolean contains(List<long[]> ranges, long[] range) {
        return ranges.stream().anyMatch(r -> r[0] <= range[0] && range[1] <= r[1]);
    }

    @JsonValue
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Position other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}

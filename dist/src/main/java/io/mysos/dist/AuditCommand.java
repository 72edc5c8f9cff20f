package io.mysos.dist;

import io.mysos.core.InvalidInputException;
import io.mysos.core.cluster.ClusterName;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mysos audit}: a cluster's history read straight from the journal, with no scheduler
 * running: its timeline, its state at a moment (rebuilt by the cluster actor's own event handler),
 * or a verification of every cluster's whole history.
 */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Read clusters' histories from the journal, with no scheduler running: timelines, the state at a moment (--at), "
                + "or a replay of every cluster with its invariants checked (--verify). Exit status 1: verification failed.")
final class AuditCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "CLUSTER", description = "The cluster (default: every cluster ever registered).")
    String cluster;

    @Option(names = "--data-dir", defaultValue = "mysos-data", description = "Data directory whose H2 journal to read (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Mixin
    JournalOptions journal = new JournalOptions();

    @Option(names = "--json", description = "JSON (the API's shapes) instead of text.")
    boolean json;

    @Option(names = "--from", paramLabel = "TIME", description = "Only events written at or after TIME (ISO-8601, UTC unless it has an offset).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Only events written at or before TIME.")
    String to;

    @Option(names = "--at", paramLabel = "TIME", description = "The cluster as it was at TIME: master, members, epoch, phase.")
    String at;

    @Option(names = "--verify", description = "Replay every cluster (or CLUSTER); report the first event that does not apply, "
            + "and any broken invariant (one master per epoch, epochs only grow, no task id reused, every launched task ends or is alive).")
    boolean verify;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        try {
            if (cluster != null) {
                ClusterName.validate(cluster);
            }
            if (at != null && verify) {
                throw new InvalidInputException("--at and --verify do not go together");
            }
            var fromTime = time("--from", from);
            var toTime = time("--to", to);
            if (fromTime.isPresent() && toTime.isPresent() && fromTime.get().isAfter(toTime.get())) {
                // Nothing could match: say so instead of showing an empty history.
                throw new InvalidInputException("--from " + fromTime.get() + " is after --to " + toTime.get());
            }
            var atTime = time("--at", at);
            try (var reader = AuditReader.open(journal.journal().orElse(LocalSettings.Journal.EMBEDDED), dataDir)) {
                return run(reader, fromTime, toTime, atTime);
            }
        } catch (InvalidInputException e) {
            err.println("mysos audit: " + e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            err.println("mysos audit: " + e.getMessage());
            return 1;
        }
    }

    private int run(AuditReader reader, Optional<Instant> fromTime, Optional<Instant> toTime, Optional<Instant> atTime) {
        var out = spec.commandLine().getOut();
        var report = new AuditReport(out, reader.fields());
        List<String> names = cluster != null ? List.of(cluster) : reader.clusterNames();
        var all = reader.fields().mapper().createArrayNode();
        boolean ok = true;
        for (var name : names) {
            var history = reader.history(name);
            if (history.events().isEmpty()) {
                if (cluster != null) {
                    throw new InvalidInputException("cluster '" + name + "' has no events in this journal");
                }
                continue;
            }
            if (verify) {
                var replay = history.replay();
                var violations = history.violations();
                ok &= replay.failure().isEmpty() && violations.isEmpty();
                if (json) {
                    all.add(report.verifyJson(history, replay, violations));
                } else {
                    report.verify(history, replay, violations);
                }
            } else if (atTime.isPresent()) {
                var state = history.at(atTime.get()).summary();
                if (json) {
                    all.add(report.stateJson(state, atTime.get()));
                } else {
                    report.state(state, atTime.get());
                }
            } else if (json) {
                all.add(report.timelineJson(history, fromTime, toTime));
            } else {
                report.timeline(history, fromTime, toTime);
            }
        }
        if (json) {
            var root = reader.fields().mapper().createObjectNode();
            root.set("clusters", all);
            if (verify) {
                root.put("ok", ok);
            }
            out.println(root.toPrettyString());
        } else if (verify) {
            out.println(ok ? "verified: every history replays and keeps its invariants" : "verification FAILED");
        }
        out.flush();
        return ok ? 0 : 1;
    }

    /** An ISO-8601 instant, or a date-time without offset read as UTC. */
    static Optional<Instant> time(String option, String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException e2) {
                try {
                    return Optional.of(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
                } catch (DateTimeParseException e3) {
                    throw new InvalidInputException(option + " must be a time such as 2026-12-01T06:00:00Z, not '" + text + "'");
                }
            }
        }
    }
}

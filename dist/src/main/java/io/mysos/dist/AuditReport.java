package io.mysos.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mysos.actors.audit.ClusterHistory;
import io.mysos.actors.audit.EventFields;
import io.mysos.core.audit.EventText;
import io.mysos.core.audit.FailoverRecord;
import io.mysos.core.audit.FailoverRecords;
import io.mysos.core.audit.HistoryCheck;
import io.mysos.core.audit.RecordedEvent;
import io.mysos.http.AuditJson;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** What {@code mysos audit} prints: timelines, states and verdicts, as text for people or JSON (the API's shapes) for tools. */
final class AuditReport {
    private final PrintWriter out;
    private final EventFields fields;

    AuditReport(PrintWriter out, EventFields fields) {
        this.out = out;
        this.fields = fields;
    }

    // ---------------------------------------------------------------- timeline

    void timeline(ClusterHistory history, Optional<Instant> from, Optional<Instant> to) {
        for (var life : history.lives()) {
            var events = within(life.events(), from, to);
            if (events.isEmpty()) {
                continue;
            }
            out.printf("%s, incarnation %d%n", history.cluster(), life.incarnation());
            for (var e : events) {
                out.printf("  #%-5d %s  %-24s %s%n", e.seq(), e.timestamp(), e.type(), EventText.describe(e.event()));
            }
            var failovers = FailoverRecords.of(life.events());
            if (!failovers.isEmpty()) {
                out.println("  failovers:");
                failovers.forEach(f -> out.println("    " + describe(f)));
            }
            out.println();
        }
    }

    ObjectNode timelineJson(ClusterHistory history, Optional<Instant> from, Optional<Instant> to) {
        var node = fields.mapper().createObjectNode();
        node.put("cluster", history.cluster());
        var lives = node.putArray("lives");
        var failovers = node.putArray("failovers");
        for (var life : history.lives()) {
            var events = within(life.events(), from, to);
            long next = life.events().get(life.events().size() - 1).seq() + 1;
            lives.add(AuditJson.events(fields, history.cluster(), life.incarnation(), events, next));
            failovers.add(AuditJson.failovers(history.cluster(), life.incarnation(), FailoverRecords.of(life.events())));
        }
        return node;
    }

    static String describe(FailoverRecord f) {
        var candidates = f.candidates().stream()
                .map(c -> c.taskId() + " " + c.position().orElse("(no answer)"))
                .collect(Collectors.joining(", "));
        return "epoch " + f.epoch() + (f.planned() ? " (switchover)" : "") + ": "
                + f.failedMaster().map(m -> m + " ").orElse("") + (f.planned() ? "handed over" : "lost") + " at " + f.detectedAt()
                + " (" + f.cause() + "); candidates " + (candidates.isEmpty() ? "none" : candidates)
                + "; winner " + f.winner().map(w -> w + " (" + f.why() + ")").orElse("none")
                + (f.replicasLost().isEmpty() ? "" : "; replicas lost " + f.replicasLost())
                + (f.leftBehind().isEmpty() ? "" : "; left behind " + f.leftBehind())
                + "; " + f.outcome() + f.durationMillis().map(ms -> " in " + ms + " ms").orElse("")
                + "; acknowledged writes survived: " + f.writesSurvived().map(w -> w ? "yes" : "NO").orElse("unknown");
    }

    private static List<RecordedEvent> within(List<RecordedEvent> events, Optional<Instant> from, Optional<Instant> to) {
        return events.stream()
                .filter(e -> from.map(f -> !e.timestamp().isBefore(f)).orElse(true))
                .filter(e -> to.map(t -> !e.timestamp().isAfter(t)).orElse(true))
                .toList();
    }

    // ---------------------------------------------------------------- state at a moment

    void state(ClusterHistory.StateSummary s, Instant at) {
        out.printf("%s at %s: %s (incarnation %d, through event #%d), %d node(s) wanted, epoch %d, master %s%n",
                s.cluster(), at, s.phase(), s.incarnation(), s.lastSeq(), s.numNodes(), s.epoch(),
                s.master().map(Object::toString).orElse("none"));
        s.members().forEach(m -> out.printf("  %-22s %s:%d  %s%s%n", m.taskId(), m.host(), m.port(), m.state(),
                m.removed() ? " (being removed)" : ""));
    }

    ObjectNode stateJson(ClusterHistory.StateSummary s, Instant at) {
        var node = fields.mapper().createObjectNode();
        node.put("at", at.toString());
        node.setAll((ObjectNode) fields.mapper().valueToTree(s));
        return node;
    }

    // ---------------------------------------------------------------- verification

    /** A cluster's replay and invariants; true when both are clean. */
    boolean verify(ClusterHistory history, ClusterHistory.Replay replay, List<HistoryCheck.Violation> violations) {
        var s = replay.summary();
        if (replay.failure().isPresent()) {
            var f = replay.failure().get();
            out.printf("%s: FAILED at event #%d %s: %s%n", history.cluster(), f.seq(), f.type(), f.reason());
        } else {
            out.printf("%s: replays (%d events, %d lives): %s, epoch %d, master %s, %d member(s)%n", history.cluster(),
                    history.events().size(), history.lives().size(), s.phase(), s.epoch(),
                    s.master().map(Object::toString).orElse("none"), s.members().size());
        }
        violations.forEach(v -> out.printf("%s: invariant '%s' broken at event #%d: %s%n", history.cluster(), v.rule(), v.seq(), v.detail()));
        return replay.failure().isEmpty() && violations.isEmpty();
    }

    ObjectNode verifyJson(ClusterHistory history, ClusterHistory.Replay replay, List<HistoryCheck.Violation> violations) {
        var node = fields.mapper().createObjectNode();
        node.put("cluster", history.cluster());
        node.put("events", history.events().size());
        node.put("lives", history.lives().size());
        node.set("state", fields.mapper().valueToTree(replay.summary()));
        JsonNode failure = replay.failure().isPresent() ? fields.mapper().valueToTree(replay.failure().get()) : fields.mapper().nullNode();
        node.set("failure", failure);
        node.set("violations", fields.mapper().valueToTree(violations));
        node.put("ok", replay.failure().isEmpty() && violations.isEmpty());
        return node;
    }
}

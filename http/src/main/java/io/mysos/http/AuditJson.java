package io.mysos.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mysos.actors.audit.AuditJournal;
import io.mysos.actors.audit.EventFields;
import io.mysos.core.audit.FailoverRecord;
import io.mysos.core.audit.RecordedEvent;
import java.util.List;
import java.util.Optional;

/** The JSON shapes of the audit routes (snake_case like the rest of the API; event fields as the journal has them). */
public final class AuditJson {
    private AuditJson() {}

    public static ObjectNode event(EventFields fields, RecordedEvent recorded) {
        var node = ClusterJson.MAPPER.createObjectNode();
        node.put("seq", recorded.seq());
        node.put("timestamp", recorded.timestamp().toString());
        node.put("type", recorded.type());
        node.set("fields", fields.of(recorded.event()));
        return node;
    }

    public static ObjectNode events(EventFields fields, String cluster, int incarnation, List<RecordedEvent> events, long nextSeq) {
        var node = ClusterJson.MAPPER.createObjectNode();
        node.put("cluster", cluster);
        node.put("incarnation", incarnation);
        var array = node.putArray("events");
        events.forEach(e -> array.add(event(fields, e)));
        node.put("next_seq", nextSeq);
        return node;
    }

    public static ObjectNode tagged(EventFields fields, AuditJournal.TaggedEvent tagged) {
        var node = ClusterJson.MAPPER.createObjectNode();
        node.put("offset", tagged.offset());
        node.put("cluster", tagged.cluster());
        node.setAll(event(fields, tagged.recorded()));
        return node;
    }

    public static ObjectNode page(EventFields fields, List<AuditJournal.TaggedEvent> events, long nextAfter) {
        var node = ClusterJson.MAPPER.createObjectNode();
        var array = node.putArray("events");
        events.forEach(e -> array.add(tagged(fields, e)));
        node.put("next_after", nextAfter);
        return node;
    }

    public static ObjectNode failovers(String cluster, int incarnation, List<FailoverRecord> records) {
        var node = ClusterJson.MAPPER.createObjectNode();
        node.put("cluster", cluster);
        node.put("incarnation", incarnation);
        var array = node.putArray("failovers");
        records.forEach(r -> array.add(failover(r)));
        return node;
    }

    public static ObjectNode failover(FailoverRecord r) {
        var node = ClusterJson.MAPPER.createObjectNode();
        node.put("epoch", r.epoch());
        node.put("planned", r.planned());
        node.put("detected_at", r.detectedAt().toString());
        node.put("cause", r.cause());
        put(node, "failed_master", r.failedMaster().map(Object::toString));
        var candidates = node.putArray("candidates");
        r.candidates().forEach(c -> {
            var candidate = candidates.addObject().put("task_id", c.taskId().toString());
            put(candidate, "position", c.position());
        });
        put(node, "winner", r.winner().map(Object::toString));
        node.put("why", r.why());
        ids(node.putArray("replicas_lost"), r.replicasLost());
        ids(node.putArray("left_behind"), r.leftBehind());
        node.put("started_at", r.startedAt().toString());
        put(node, "ended_at", r.endedAt().map(Object::toString));
        r.durationMillis().ifPresentOrElse(ms -> node.put("duration_millis", ms), () -> node.putNull("duration_millis"));
        node.put("outcome", r.outcome());
        r.writesSurvived().ifPresentOrElse(w -> node.put("acknowledged_writes_survived", w),
                () -> node.putNull("acknowledged_writes_survived"));
        var steps = node.putArray("steps");
        r.steps().forEach(s -> {
            var step = steps.addObject().put("seq", s.seq()).put("at", s.at().toString()).put("step", s.step())
                    .put("outcome", s.outcome());
            put(step, "error", s.error());
        });
        return node;
    }

    private static void ids(ArrayNode array, List<?> ids) {
        ids.forEach(id -> array.add(id.toString()));
    }

    private static void put(ObjectNode node, String key, Optional<String> value) {
        value.ifPresentOrElse(v -> node.put(key, v), () -> node.putNull(key));
    }
}

package io.mysos.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mysos.core.endpoint.Target;
import io.mysos.core.endpoint.Targets;
import java.util.ArrayList;
import java.util.Optional;

/**
 * The JSON of {@code GET /clusters/{name}/endpoints}: what the endpoints route to now, written by
 * the API and read by {@code mysos router}.
 */
public final class TargetsJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private TargetsJson() {}

    public static ObjectNode write(String cluster, Targets targets, Optional<EndpointDirectory.Addresses> addresses) {
        var node = MAPPER.createObjectNode();
        node.put("cluster", cluster);
        node.put("epoch", targets.epoch());
        node.put("fenced", targets.fenced());
        targets.readWrite().ifPresentOrElse(t -> node.set("read_write", target(t)), () -> node.putNull("read_write"));
        var ro = node.putArray("read_only");
        targets.readOnly().forEach(t -> ro.add(target(t)));
        addresses.ifPresent(a -> node.set("endpoints", addresses(a)));
        return node;
    }

    public static ObjectNode addresses(EndpointDirectory.Addresses a) {
        return MAPPER.createObjectNode().put("read_write", a.readWrite()).put("read_only", a.readOnly());
    }

    /** The targets an answer names; throws {@link IllegalArgumentException} on anything else. */
    public static Targets read(JsonNode node) {
        if (!node.path("epoch").canConvertToLong() || !node.has("read_only") || !node.path("read_only").isArray()) {
            throw new IllegalArgumentException("not an endpoints answer: " + node);
        }
        long epoch = node.get("epoch").asLong();
        var rw = node.path("read_write").isObject() ? Optional.of(target(node.get("read_write"), epoch)) : Optional.<Target>empty();
        var ro = new ArrayList<Target>();
        node.get("read_only").forEach(t -> ro.add(target(t, epoch)));
        return new Targets(epoch, rw, ro);
    }

    private static ObjectNode target(Target t) {
        return MAPPER.createObjectNode().put("task_id", t.taskId()).put("host", t.host()).put("port", t.port());
    }

    private static Target target(JsonNode node, long epoch) {
        if (!node.path("host").isTextual() || !node.path("port").canConvertToInt()) {
            throw new IllegalArgumentException("not an endpoint target: " + node);
        }
        return new Target(node.path("task_id").asText(""), node.get("host").asText(), node.get("port").asInt(), epoch);
    }
}

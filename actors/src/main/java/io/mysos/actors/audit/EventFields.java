package io.mysos.actors.audit;

import akka.actor.typed.ActorSystem;
import akka.serialization.jackson.JacksonObjectMapperProvider;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.Set;

/**
 * An event's fields as the journal stores them (the same Jackson mapper as Akka's {@code jackson-json}
 * serializer), less every secret: password hashes and sealed passwords never leave through the audit.
 */
public final class EventFields {
    /** Property names that hold secrets, wherever they are nested. */
    static final Set<String> SECRET = Set.of("secrets", "passwordHash", "password", "adminPassword");

    private final ObjectMapper mapper;

    public EventFields(ActorSystem<?> system) {
        this(JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty()));
    }

    public EventFields(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectNode of(Object event) {
        JsonNode node = mapper.valueToTree(event);
        var fields = node instanceof ObjectNode object ? object : mapper.createObjectNode().set("value", node);
        redact(fields);
        return (ObjectNode) fields;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    private static void redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(SECRET);
            object.elements().forEachRemaining(EventFields::redact);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(EventFields::redact);
        }
    }
}

package io.mysos.http;

import io.mysos.core.InvalidInputException;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.RequestFields;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Query parameters read as strictly as form fields: a parameter given twice must say the same, and names must be known. */
final class QueryParameters {
    /** Every event type the audit can show, by the name the docs and the journal give it (e.g. {@code MasterElected}). */
    static final Set<String> EVENT_TYPES = Arrays.stream(ClusterEvent.class.getPermittedSubclasses()).map(Class::getSimpleName)
            .collect(Collectors.toCollection(TreeSet::new));

    private QueryParameters() {}

    /** The one value of {@code name}; given more than once, every value must be the same. */
    static Optional<String> single(List<String> values, String name) {
        if (values.stream().distinct().count() > 1) {
            throw new InvalidInputException(name + " is given more than once, with different values");
        }
        return values.stream().findFirst();
    }

    /** {@code type=A,B}: event type names, each one the audit knows (a typo would otherwise match nothing, silently). */
    static Set<String> eventTypes(Optional<String> type) {
        if (type.isEmpty()) {
            return Set.of();
        }
        var types = Arrays.stream(type.get().split(",")).map(String::trim).filter(t -> !t.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
        var unknown = types.stream().filter(t -> !EVENT_TYPES.contains(t)).findFirst();
        if (types.isEmpty() || unknown.isPresent()) {
            throw new InvalidInputException("type must name event types, e.g. MasterElected,ReplicaAdded, not '"
                    + RequestFields.shown(unknown.orElse(type.get())) + "' (GET /clusters/{name}/events lists what a cluster has)");
        }
        return types;
    }
}

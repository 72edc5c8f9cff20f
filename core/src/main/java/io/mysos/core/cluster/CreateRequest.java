package io.mysos.core.cluster;

import io.mysos.core.InvalidInputException;
import io.mysos.core.password.Passwords;
import io.mysos.core.resources.Resources;
import io.mysos.core.size.DataSize;
import java.util.Map;
import java.util.Optional;

/**
 * A validated create request: the spec and the password, if the caller chose one. Parses the
 * fields of the original Mysos API ({@code cluster_user}, {@code num_nodes}, {@code size},
 * {@code cluster_password}, {@code backup_id}) as they arrive in a form or a JSON body.
 */
public record CreateRequest(ClusterSpec spec, Optional<String> password) {
    public static final String SIZE_FORM = "size must be a JSON object like {\"cpus\":1.0,\"mem\":\"512mb\",\"disk\":\"2gb\"}";

    /**
     * @param fields form fields, or a JSON body's top-level keys with every value as a string
     *               except {@code size}, which may be a nested map
     */
    public static CreateRequest parse(String name, Map<String, ?> fields) {
        ClusterName.validate(name);
        var user = text(fields, "cluster_user").orElseThrow(() -> new InvalidInputException("cluster_user is required"));
        int numNodes = text(fields, "num_nodes").map(CreateRequest::parseNodeCount).orElse(1);
        var size = parseSize(fields.get("size"));
        var password = text(fields, "cluster_password").filter(p -> !p.isEmpty()).map(Passwords::validate);
        var backupId = text(fields, "backup_id").filter(id -> !id.isBlank());
        var semiSync = text(fields, "semi_sync").filter(v -> !v.isBlank()).map(CreateRequest::parseBoolean)
                .orElse(ClusterSpec.defaultSemiSync(numNodes));
        return new CreateRequest(new ClusterSpec(name, user, numNodes, size, backupId, semiSync).validatedForCreate(), password);
    }

    private static boolean parseBoolean(String text) {
        return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new InvalidInputException("semi_sync must be true or false, not '" + ClusterName.printable(text) + "'");
        };
    }

    public static int parseNodeCount(String text) {
        try {
            return ClusterSpec.validateNodeCount(Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("num_nodes must be a whole number between 1 and " + ClusterSpec.MAX_NODES
                    + ", not '" + ClusterName.printable(text) + "'");
        }
    }

    /**
     * {@code size} as the map of a JSON object {@code {"cpus":1.0,"mem":"512mb","disk":"2gb"}}
     * (the HTTP layer decodes a form field's JSON text into that map); absent means the default.
     */
    static Resources parseSize(Object size) {
        if (size == null || (size instanceof String s && s.isBlank())) {
            return Resources.DEFAULT_INSTANCE;
        }
        if (!(size instanceof Map<?, ?> fields)) {
            throw new InvalidInputException(SIZE_FORM);
        }
        for (var key : fields.keySet()) {
            if (!"cpus".equals(key) && !"mem".equals(key) && !"disk".equals(key)) {
                throw new InvalidInputException("size has an unknown key '" + key + "'; use cpus, mem and disk");
            }
        }
        var defaults = Resources.DEFAULT_INSTANCE;
        double cpus = fields.containsKey("cpus") ? parseCpus(fields.get("cpus")) : defaults.cpus();
        var mem = fields.containsKey("mem") ? parseDataSize("size.mem", fields.get("mem")) : defaults.mem();
        var disk = fields.containsKey("disk") ? parseDataSize("size.disk", fields.get("disk")) : defaults.disk();
        return new Resources(cpus, mem, disk);
    }

    private static DataSize parseDataSize(String field, Object value) {
        try {
            return DataSize.parse(String.valueOf(value));
        } catch (InvalidInputException e) {
            throw new InvalidInputException(field + ": " + e.getMessage());
        }
    }

    private static double parseCpus(Object value) {
        try {
            double cpus = value instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(value).trim());
            if (!(cpus > 0) || cpus > 1024) {
                throw new NumberFormatException();
            }
            return cpus;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("size.cpus must be a number above 0 and at most 1024, not '" + value + "'");
        }
    }

    /** Requests get logged; the password must not be. */
    @Override
    public String toString() {
        return "CreateRequest[spec=" + spec + ", password=" + (password.isPresent() ? "***" : "none") + "]";
    }

    private static Optional<String> text(Map<String, ?> fields, String key) {
        var value = fields.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map || value instanceof Iterable) {
            throw new InvalidInputException(key + " must be a single value");
        }
        return Optional.of(String.valueOf(value));
    }
}

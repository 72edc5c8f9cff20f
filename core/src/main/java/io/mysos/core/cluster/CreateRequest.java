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
 * {@code cluster_password}, {@code backup_id}, {@code restore_to}) as they arrive in a form or a JSON body.
 */
public record CreateRequest(ClusterSpec spec, Optional<String> password) {
    public static final String SIZE_FORM = "size must be a JSON object like {\"cpus\":1.0,\"mem\":\"512mb\",\"disk\":\"2gb\"}";

    /**
     * @param fields form fields, or a JSON body's top-level keys with every value as a string
     *               except {@code size}, which may be a nested map
     */
    public static CreateRequest parse(String name, Map<String, ?> fields) {
        ClusterName.validate(name);
        var user = RequestFields.string(fields, "cluster_user").filter(u -> !u.isEmpty())
                .orElseThrow(() -> new InvalidInputException("cluster_user is required"));
        int numNodes = parseNodeCount(fields).orElse(1);
        var size = parseSize(fields.get("size"));
        var password = RequestFields.string(fields, "cluster_password").filter(p -> !p.isEmpty()).map(Passwords::validate);
        var backupId = RequestFields.string(fields, "backup_id").filter(id -> !id.isBlank()).map(io.mysos.core.backup.BackupIds::validate);
        var semiSync = RequestFields.bool(fields, "semi_sync").orElse(ClusterSpec.defaultSemiSync(numNodes));
        var backupPolicy = io.mysos.core.backup.BackupPolicy.NONE.with(fields);
        var restoreTo = RequestFields.string(fields, "restore_to").filter(t -> !t.isBlank())
                .map(t -> io.mysos.core.binlog.RestoreTarget.parse(t).toString());
        return new CreateRequest(new ClusterSpec(name, user, numNodes, size, backupId, semiSync, backupPolicy, restoreTo)
                .validatedForCreate(), password);
    }

    /** {@code num_nodes}, if given: a JSON integer or ASCII digits, between 1 and {@value ClusterSpec#MAX_NODES}. */
    public static Optional<Integer> parseNodeCount(Map<String, ?> fields) {
        return RequestFields.wholeNumber(fields, "num_nodes", "a whole number between 1 and " + ClusterSpec.MAX_NODES)
                .map(n -> ClusterSpec.validateNodeCount((int) Math.max(-1, Math.min(n, Integer.MAX_VALUE))));
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
                throw new InvalidInputException("size has an unknown key '" + RequestFields.shown(String.valueOf(key))
                        + "'; use cpus, mem and disk");
            }
        }
        var defaults = Resources.DEFAULT_INSTANCE;
        double cpus = fields.containsKey("cpus") ? parseCpus(fields.get("cpus")) : defaults.cpus();
        var mem = fields.containsKey("mem") ? parseDataSize("size.mem", fields.get("mem")) : defaults.mem();
        var disk = fields.containsKey("disk") ? parseDataSize("size.disk", fields.get("disk")) : defaults.disk();
        return new Resources(cpus, mem, disk);
    }

    private static DataSize parseDataSize(String field, Object value) {
        if (!(value instanceof String text)) {
            throw new InvalidInputException(field + " must be text like 512mb, not " + RequestFields.shownValue(value));
        }
        try {
            return DataSize.parse(text);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(field + ": " + e.getMessage());
        }
    }

    private static double parseCpus(Object value) {
        var expected = "a number above 0 and at most 1024";
        double cpus = RequestFields.decimal(value, "size.cpus", expected);
        if (!(cpus > 0) || cpus > 1024) {
            throw new InvalidInputException("size.cpus must be " + expected + ", not " + RequestFields.shownValue(value));
        }
        return cpus;
    }

    /** Requests get logged; the password must not be. */
    @Override
    public String toString() {
        return "CreateRequest[spec=" + spec + ", password=" + (password.isPresent() ? "***" : "none") + "]";
    }

}

package io.mysos.actors.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which Mesos master leads, from what the masters register in ZooKeeper: each contending master
 * holds an ephemeral sequential znode {@code json.info_<seq>} under the path, with its MasterInfo as
 * JSON; the lowest sequence number leads (Mesos's own detector picks it the same way). Pure:
 * the ZooKeeper side is {@link ZooKeeperMasters}.
 */
final class LeadingMaster {
    private static final Pattern NODE = Pattern.compile("json\\.info_([0-9]+)");
    private static final Pattern PID = Pattern.compile("[^@]+@([^:]+):([0-9]{1,5})");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Where the masters register: {@code zk://HOST:PORT[,HOST:PORT...]/path}. */
    record ZkAddress(String connectString, String path) {
        static Optional<ZkAddress> parse(String master) {
            var m = Pattern.compile("zk://([A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}(?:,[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5})*)(/[^/]+(?:/[^/]+)*)")
                    .matcher(master.trim());
            return m.matches() ? Optional.of(new ZkAddress(m.group(1), m.group(2))) : Optional.empty();
        }

        @Override
        public String toString() {
            return "zk://" + connectString + path;
        }
    }

    private LeadingMaster() {
    }

    /** The leader's znode among the children of the path: the {@code json.info_} one with the lowest sequence; others are ignored. */
    static Optional<String> leaderNode(List<String> children) {
        return children.stream().filter(c -> NODE.matcher(c).matches())
                .min(Comparator.comparingLong(c -> Long.parseLong(c.substring("json.info_".length()))));
    }

    /**
     * {@code host:port} of the master from its MasterInfo JSON: {@code address.ip} and
     * {@code address.port} (where agents reach it too), else {@code address.hostname}, else the
     * {@code pid} ({@code master@IP:PORT}); empty for anything unreadable.
     */
    static Optional<String> address(byte[] masterInfoJson) {
        JsonNode info;
        try {
            info = MAPPER.readTree(masterInfoJson);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (info == null || !info.isObject()) {
            return Optional.empty();
        }
        var address = info.path("address");
        int port = address.path("port").asInt(info.path("port").asInt(0));
        for (var host : List.of(address.path("ip"), address.path("hostname"), info.path("hostname"))) {
            if (host.isTextual() && !host.asText().isBlank() && port > 0 && port < 65536) {
                return Optional.of(host.asText() + ":" + port);
            }
        }
        var pid = PID.matcher(info.path("pid").asText(""));
        return pid.matches() ? Optional.of(pid.group(1) + ":" + pid.group(2)) : Optional.empty();
    }
}

package io.mysos.core.offer;

import io.mysos.core.resources.PortRange;
import io.mysos.core.resources.Resources;
import java.util.List;

/**
 * Resources on one agent that the resource side offers for a while: take them, or decline them.
 * {@code persistent}: the offer comes from a cluster of agents (Mesos): each instance launched from
 * it gets a persistent volume on reserved resources, and an agent runs at most one instance of a
 * cluster. {@code volumes}: the persistent volumes of Mysos instances the offer carries back (with
 * their reserved resources, which {@code resources} does not count).
 */
public record Offer(String id, String agentId, String host, Resources resources, List<PortRange> ports,
                    List<String> volumes, boolean persistent) {
    public Offer {
        ports = List.copyOf(ports);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }

    /** An offer of one machine's own resources (the local agent): no volumes, instances may share it. */
    public Offer(String id, String agentId, String host, Resources resources, List<PortRange> ports) {
        this(id, agentId, host, resources, ports, List.of(), false);
    }

    public boolean hasPort() {
        return !ports.isEmpty();
    }

    public int firstPort() {
        return ports.get(0).begin();
    }

    /** What is left once an instance of {@code size} took {@code port}. */
    Offer taking(Resources size, int port) {
        return new Offer(id, agentId, host, resources.minus(size), PortRange.without(ports, port), volumes, persistent);
    }

    /** What is left once an instance was relaunched on {@code volume} (its reserved resources come with it) with {@code port}. */
    Offer reusing(String volume, int port) {
        return new Offer(id, agentId, host, resources, PortRange.without(ports, port),
                volumes.stream().filter(v -> !v.equals(volume)).toList(), persistent);
    }
}

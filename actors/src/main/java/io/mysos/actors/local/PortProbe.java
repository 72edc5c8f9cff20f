package io.mysos.actors.local;

import io.mysos.core.resources.PortRange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the ports of this machine's ranges that a new instance could listen on: held by no
 * instance of the agent, and bindable now (nothing else listens there). Binding blocks: call it off
 * the actor's thread.
 */
final class PortProbe {
    /** How many free ports one offer lists: plenty for the instances one offer can hold. */
    static final int PORTS_PER_OFFER = 32;

    private PortProbe() {}

    /** Up to {@value #PORTS_PER_OFFER} ports of the ranges that no instance holds and nothing else listens on. Blocks. */
    static List<PortRange> freePorts(String host, List<PortRange> ranges, List<Integer> taken) {
        var ports = new ArrayList<PortRange>();
        for (var range : ranges) {
            for (int port = range.begin(); port <= range.end() && ports.size() < PORTS_PER_OFFER; port++) {
                if (!taken.contains(port) && canBind(host, port)) {
                    ports.add(new PortRange(port, port));
                }
            }
        }
        return ports;
    }

    private static boolean canBind(String host, int port) {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

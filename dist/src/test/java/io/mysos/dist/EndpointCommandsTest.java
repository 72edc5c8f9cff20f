package io.mysos.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.InvalidInputException;
import io.mysos.core.resources.PortRange;
import io.mysos.endpoints.EndpointForwarder.Forwarding;
import io.mysos.endpoints.serverset.ZkUrl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The endpoint options of {@code mysos local} and {@code mysos scheduler}, and {@code mysos router}'s refusals. */
class EndpointCommandsTest {
    private static EndpointOptions local(String... args) {
        var command = new LocalCommand();
        new CommandLine(command).parseArgs(args);
        return command.endpointOptions();
    }

    @Test
    void localServesEndpointsOnADefaultRangeBelowTheInstances() {
        assertEquals(new EndpointOptions(List.of(new PortRange(30000, 30999)), Optional.empty()), local());
        assertEquals(List.of(new PortRange(4000, 4009), new PortRange(4100, 4100)),
                local("--endpoint-ports", "4000-4009,4100").ports());
        assertEquals(List.of(), local("--endpoint-ports", "none").ports());
    }

    @Test
    void endpointsForwardInUserSpaceUnlessTheKernelIsAskedFor() {
        assertEquals(Forwarding.USER, local().forwarding());
        // bin/test runs as root with nftables, conntrack and ss installed.
        assertEquals(Forwarding.KERNEL, local("--endpoint-forwarding", "kernel").forwarding());
        var bad = assertThrows(InvalidInputException.class, () -> local("--endpoint-forwarding", "fast"));
        assertEquals("--endpoint-forwarding is 'user' or 'kernel', not 'fast'", bad.getMessage());
        var v6 = assertThrows(InvalidInputException.class, () -> local("--host", "::1", "--endpoint-forwarding", "kernel"));
        assertTrue(v6.getMessage().contains("needs an IPv4 listen address"), v6.getMessage());
        // No endpoints, nothing for the kernel to forward: not checked.
        assertEquals(List.of(), local("--endpoint-ports", "none", "--host", "::1", "--endpoint-forwarding", "kernel").ports());
    }

    @Test
    void zkTakesTheUrlOriginalMysosTook() {
        var zk = local("--zk", "zk://10.0.0.1:2181,10.0.0.2:2181/mysos").zk().orElseThrow();
        assertEquals(new ZkUrl("10.0.0.1:2181,10.0.0.2:2181", "/mysos"), zk);
        assertEquals("zk://10.0.0.1:2181,10.0.0.2:2181/mysos/orders", zk.clusterUrl("orders"));
        for (var bad : new String[] {"http://h:2181/mysos", "zk://h/mysos", "zk://h:2181", "zk://h:2181/"}) {
            try {
                ZkUrl.parse(bad);
                throw new AssertionError("accepted " + bad);
            } catch (InvalidInputException e) {
                assertTrue(e.getMessage().contains("zk://HOST:PORT"), e.getMessage());
            }
        }
    }

    @Test
    void routerRefusesABadApiUrlOrClusterNameWithExit2() {
        for (var args : List.of(new String[] {"router", "--api", "mysos:55001", "--cluster", "orders"},
                new String[] {"router", "--api", "http://127.0.0.1:1", "--cluster", "no/such"},
                new String[] {"router", "--api", "http://127.0.0.1:1", "--cluster", "orders", "--forwarding", "sideways"},
                new String[] {"router", "--api", "http://127.0.0.1:1", "--cluster", "orders", "--listen-host", "::1",
                        "--forwarding", "kernel"})) {
            var err = new StringWriter();
            var original = System.err;
            var captured = new java.io.ByteArrayOutputStream();
            System.setErr(new java.io.PrintStream(captured, true));
            try {
                int exit = new CommandLine(new Mysos()).setErr(new PrintWriter(err)).execute(args);
                assertEquals(2, exit, String.join(" ", args));
            } finally {
                System.setErr(original);
            }
            assertTrue(captured.toString().startsWith("mysos router: "), captured.toString());
        }
    }
}

package io.mysos.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.actors.cluster.ClusterActor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The packages of {@code actors} import each other in one direction only: the resource side knows
 * no router or registry type, the router no cluster type. Read from the compiled classes by jdeps,
 * so any new import that closes a circle fails the build.
 */
class PackageCyclesTest {
    private static final Pattern EDGE = Pattern.compile("^\\s+(io\\.mysos\\.actors[\\w.]*)\\s+->\\s+(io\\.mysos\\.actors[\\w.]*)\\s");

    @Test
    void theActorsPackagesHaveNoCycle() throws Exception {
        var classes = Path.of(ClusterActor.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        var graph = dependencies(classes);
        assertTrue(graph.getOrDefault("io.mysos.actors.cluster", Set.of()).contains("io.mysos.actors.offer"),
                "jdeps sees the packages' dependencies: " + graph);
        assertEquals(List.of(), cycles(graph), "package cycles in " + classes + ": " + graph);
    }

    @Test
    void findsACycleWhenThereIsOne() {
        var graph = Map.<String, Set<String>>of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertEquals(List.of(new TreeSet<>(Set.of("a", "b", "c"))), cycles(graph));
        assertEquals(List.of(), cycles(Map.of("a", Set.of("b"), "b", Set.of("c"))));
    }

    /** Package -> packages it uses, among {@code io.mysos.actors*}, as {@code jdeps -verbose:package} reports them. */
    static Map<String, Set<String>> dependencies(Path classes) {
        var jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("jdeps is not in this JDK"));
        var out = new StringWriter();
        var err = new StringWriter();
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none", classes.toString());
        assertEquals(0, code, "jdeps failed: " + err);
        var graph = new TreeMap<String, Set<String>>();
        for (var line : out.toString().split("\\R")) {
            var m = EDGE.matcher(line);
            if (m.find() && !m.group(1).equals(m.group(2))) {
                graph.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        return graph;
    }

    /** The strongly connected components with more than one package (Tarjan). */
    static List<Set<String>> cycles(Map<String, Set<String>> graph) {
        var nodes = new TreeSet<String>(graph.keySet());
        graph.values().forEach(nodes::addAll);
        var index = new HashMap<String, Integer>();
        var low = new HashMap<String, Integer>();
        var stack = new ArrayList<String>();
        var onStack = new HashSet<String>();
        var result = new ArrayList<Set<String>>();
        for (var node : nodes) {
            if (!index.containsKey(node)) {
                connect(node, graph, index, low, stack, onStack, result);
            }
        }
        return result;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index, Map<String, Integer> low,
                                List<String> stack, Set<String> onStack, List<Set<String>> result) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.add(v);
        onStack.add(v);
        for (var w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, result);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            var component = new TreeSet<String>();
            String w;
            do {
                w = stack.remove(stack.size() - 1);
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                result.add(component);
            }
        }
    }
}

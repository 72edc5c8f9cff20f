package io.mysos.it.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysos.core.resources.Resources;
import io.mysos.it.local.LocalStack;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A thousand fuzzed requests against a real local mode (in this JVM, offering no resources so that
 * no mysqld starts): no 5xx, every answer JSON with a short error, every cluster listed afterwards
 * created by a request answered 200 and whole, and all of them deleted again. The seed is fixed so
 * a failure replays; {@code bin/bench fuzz N [seed]} runs the same against a separate process.
 */
class FuzzTest {
    static final long SEED = 20261201L;

    @Test
    void aThousandFuzzedRequestsGetNo5xxAndLeaveNothingHalfCreated() throws Exception {
        int count = Integer.getInteger("mysos.fuzz.requests", 1_000);
        var dataDir = Files.createTempDirectory("mysos-fuzz-");
        try (var stack = LocalStack.startInProcess(dataDir, Resources.NONE)) {
            var run = new FuzzRun(stack.apiPort());
            var result = run.run(SEED, count, () -> stack.api().get("/health").status() == 200);
            System.out.println("fuzz: " + result.summary() + ", " + run.clustersCreated() + " clusters created");
            result.examples().forEach((status, example) -> System.out.println("fuzz: e.g. " + example));
            assertEquals(List.of(), result.failures(), result.summary());
            assertEquals(0, result.serverErrors());
            assertTrue(run.clustersCreated() > 0, "some fuzzed creates were valid");
            assertEquals(List.of(), run.checkAndCleanUp(stack.api(), java.util.Set.of()));
            assertEquals(0, stack.api().get("/clusters").body().path("clusters").size());
        } finally {
            io.mysos.it.local.Processes.removeDataDir(dataDir);
        }
    }
}

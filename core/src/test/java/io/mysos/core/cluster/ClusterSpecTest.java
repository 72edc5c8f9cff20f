package io.mysos.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mysos.core.InvalidInputException;
import io.mysos.core.resources.Resources;
import io.mysos.core.size.DataSize;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterSpecTest {
    @Test
    void keepsWhatTheUserAskedFor() {
        var size = new Resources(2, DataSize.parse("4gb"), DataSize.parse("50gb"));
        var spec = new ClusterSpec("orders", "app", 3, size, Optional.of("orders-20240101"), false);
        assertEquals("orders", spec.name());
        assertEquals("app", spec.user());
        assertEquals(3, spec.numNodes());
        assertEquals(size, spec.size());
        assertEquals(Optional.of("orders-20240101"), spec.backupId());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 100})
    void acceptsOneToAHundredNodes(int numNodes) {
        assertEquals(numNodes, new ClusterSpec("orders", "app", numNodes, Resources.DEFAULT_INSTANCE, Optional.empty(), false).numNodes());
    }

    @Test
    void rejectsZeroNodes() {
        var e = assertThrows(InvalidInputException.class,
                () -> new ClusterSpec("orders", "app", 0, Resources.DEFAULT_INSTANCE, Optional.empty(), false));
        assertEquals("num_nodes must be between 1 and 100, not 0", e.getMessage());
    }

    @Test
    void rejectsMoreThanAHundredNodes() {
        var e = assertThrows(InvalidInputException.class, () -> ClusterSpec.validateNodeCount(101));
        assertEquals("num_nodes must be between 1 and 100, not 101", e.getMessage());
        assertThrows(InvalidInputException.class, () -> ClusterSpec.validateNodeCount(-1));
        assertThrows(InvalidInputException.class, () -> ClusterSpec.validateNodeCount(Integer.MIN_VALUE));
    }

    @Test
    void requiresASize() {
        var e = assertThrows(InvalidInputException.class, () -> new ClusterSpec("orders", "app", 1, null, Optional.empty(), false));
        assertEquals("size is required", e.getMessage());
    }

    @Test
    void rejectsASizeWithNothingInOneDimension() {
        var noMem = new Resources(1, DataSize.ZERO, DataSize.parse("2gb"));
        var e = assertThrows(InvalidInputException.class, () -> new ClusterSpec("orders", "app", 1, noMem, Optional.empty(), false));
        assertEquals("size needs cpus, mem and disk above zero, not {cpus 1, mem 0b, disk 2gb}", e.getMessage());

        var noCpus = new Resources(0, DataSize.parse("1gb"), DataSize.parse("2gb"));
        assertThrows(InvalidInputException.class, () -> new ClusterSpec("orders", "app", 1, noCpus, Optional.empty(), false));
        var noDisk = new Resources(1, DataSize.parse("1gb"), DataSize.ZERO);
        assertThrows(InvalidInputException.class, () -> new ClusterSpec("orders", "app", 1, noDisk, Optional.empty(), false));
    }

    @Test
    void refusesToCreateInstancesTooSmallForMysqld() {
        var nothing = new Resources(1e-300, DataSize.parse("1b"), DataSize.parse("1b"));
        var e = assertThrows(InvalidInputException.class,
                () -> new ClusterSpec("orders", "app", 1, nothing, Optional.empty(), false).validatedForCreate());
        assertEquals("size {cpus 0, mem 1b, disk 1b} is too small for a MySQL instance: cpus must be at least 0.1, "
                + "mem must be at least 256mb, disk must be at least 1gb", e.getMessage());
        for (var size : List.of(new Resources(0.09, DataSize.parse("1gb"), DataSize.parse("10gb")),
                new Resources(1, DataSize.parse("255mb"), DataSize.parse("10gb")),
                new Resources(1, DataSize.parse("1gb"), DataSize.parse("1023mb")))) {
            var refused = assertThrows(InvalidInputException.class,
                    () -> new ClusterSpec("orders", "app", 1, size, Optional.empty(), false).validatedForCreate(), size.describe());
            assertEquals(1, refused.getMessage().split("must be at least").length - 1, refused.getMessage());
        }
        var smallest = new ClusterSpec("orders", "app", 1, Resources.MINIMUM_INSTANCE, Optional.empty(), false);
        assertEquals(smallest, smallest.validatedForCreate());
        // A cluster created before the minimum existed still replays.
        new ClusterSpec("orders", "app", 1, nothing, Optional.empty(), false);
    }

    @Test
    void validatesTheClusterNameAndUser() {
        var badName = assertThrows(InvalidInputException.class,
                () -> new ClusterSpec("Orders", "app", 1, Resources.DEFAULT_INSTANCE, Optional.empty(), false));
        assertEquals(true, badName.getMessage().startsWith("invalid cluster name 'Orders'"), badName.getMessage());
        var badUser = assertThrows(InvalidInputException.class,
                () -> new ClusterSpec("orders", "root", 1, Resources.DEFAULT_INSTANCE, Optional.empty(), false));
        assertEquals("cluster_user 'root' is reserved; choose another name", badUser.getMessage());
    }

    @Test
    void treatsABlankOrMissingBackupIdAsNone() {
        assertEquals(Optional.empty(), new ClusterSpec("orders", "app", 1, Resources.DEFAULT_INSTANCE, Optional.of("  "), false).backupId());
        assertEquals(Optional.empty(), new ClusterSpec("orders", "app", 1, Resources.DEFAULT_INSTANCE, null, false).backupId());
    }
}

package io.mysos.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.mysos.executor.isolation.Cgroups;
import io.mysos.executor.isolation.Isolation;
import org.junit.jupiter.api.Test;

class LocalIsolationSettingTest {
    @Test
    void localModeIsolatesInCgroupsByDefault() throws Exception {
        // This machine has writable cgroups; elsewhere the same setting falls back to none after a warning.
        assertTrue(LocalMode.isolation(LocalMode.config("jdbc:h2:mem:unused")) instanceof Cgroups);
    }

    @Test
    void noneRunsEveryMysqldUnconfined() throws Exception {
        var config = ConfigFactory.parseString("mysos.local.isolation = none");

        assertSame(Isolation.NONE, LocalMode.isolation(config));
    }

    @Test
    void anUnknownIsolationStopsTheStartWithWhatToWrite() {
        var config = ConfigFactory.parseString("mysos.local.isolation = docker");

        var refused = assertThrows(LocalMode.StartException.class, () -> LocalMode.isolation(config));

        assertEquals("mysos.local.isolation: isolation must be 'cgroups' or 'none', not 'docker'", refused.getMessage());
    }
}

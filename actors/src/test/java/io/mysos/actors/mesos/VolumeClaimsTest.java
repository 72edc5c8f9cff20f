package io.mysos.actors.mesos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which Mysos volumes found in offers may be destroyed, and how the principal's secret reaches the master. */
class VolumeClaimsTest {
    @Test
    void nothingIsDestroyedBeforeTheRegistryHasSaidWhichClustersExist() {
        assertFalse(VolumeClaims.none().unclaimed("orders", "mysos-orders-1"));
        assertFalse(VolumeClaims.none().unclaimed("ledger", "mysos-ledger-1"));
    }

    @Test
    void aVolumeIsKeptWhileItsClusterHoldsIt() {
        var claims = VolumeClaims.none().withKnown(List.of("orders")).withHeld("orders", List.of("mysos-orders-1"));
        assertFalse(claims.unclaimed("orders", "mysos-orders-1"));
        assertTrue(claims.unclaimed("orders", "mysos-orders-2"), "given up by its cluster");
        assertTrue(claims.withHeld("orders", List.of()).unclaimed("orders", "mysos-orders-1"), "the cluster ended");
    }

    @Test
    void anExistingClusterThatHasNotSaidWhatItHoldsKeepsEverything() {
        var claims = VolumeClaims.none().withKnown(List.of("orders"));
        assertFalse(claims.unclaimed("orders", "mysos-orders-9"));
        assertTrue(claims.unclaimed("ledger", "mysos-ledger-1"), "no cluster 'ledger' exists");
    }

    @Test
    void theSecretTravelsAsTheUserInfoMesosRxjavaSendsAsBasicAuthentication() {
        var api = MesosConnection.schedulerApi("10.0.0.5:5050");
        var authenticated = MesosConnection.authenticated(api, "mysos", "s3cr:t/@x");
        assertEquals("mysos:s3cr:t/@x", authenticated.getUserInfo());
        assertEquals(URI.create("http://10.0.0.5:5050/api/v1/scheduler"), api);
        assertEquals("10.0.0.5", authenticated.getHost());
        assertEquals("/api/v1/scheduler", authenticated.getPath());
    }
}

package io.mysos.core.password;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysos.core.TestJson;
import org.junit.jupiter.api.Test;

class SealedSecretTest {
    @Test
    void neverPrintsNonceOrCiphertext() {
        assertEquals("SealedSecret(***)", new SealedSecret("bm9uY2U=", "Y2lwaGVy").toString());
    }

    @Test
    void travelsAsJsonWithBothParts() {
        var sealed = SchedulerKey.generate().seal("s3cret");
        var json = TestJson.write(sealed);
        assertEquals("{\"nonce\":\"" + sealed.nonce() + "\",\"ciphertext\":\"" + sealed.ciphertext() + "\"}", json);
        assertEquals(sealed, TestJson.read(json, SealedSecret.class));
    }
}

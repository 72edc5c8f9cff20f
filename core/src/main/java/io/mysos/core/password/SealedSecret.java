package io.mysos.core.password;

/** A secret encrypted with the scheduler key (AES-GCM): safe to journal and to hand to executors. */
public record SealedSecret(String nonce, String ciphertext) {
    @Override
    public String toString() {
        return "SealedSecret(***)";
    }
}

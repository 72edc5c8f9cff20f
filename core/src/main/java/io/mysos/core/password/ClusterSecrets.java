package io.mysos.core.password;

/**
 * A cluster's secrets as Mysos keeps them: the user's password hashed (to check DELETE and other
 * guarded calls) and sealed (to hand to the master that creates the user), and the internal admin
 * account's generated password, sealed. Nothing here is a password in clear.
 */
public record ClusterSecrets(PasswordHash passwordHash, SealedSecret password, SealedSecret adminPassword) {

    /** Hashing takes tens of milliseconds on purpose: call it off any actor's thread. */
    public static ClusterSecrets create(String password, SchedulerKey key) {
        return new ClusterSecrets(PasswordHash.of(password), key.seal(password), key.seal(Passwords.generate()));
    }
}

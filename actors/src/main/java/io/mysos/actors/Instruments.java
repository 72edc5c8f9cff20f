package io.mysos.actors;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import io.mysos.core.cluster.ClusterEvent;
import java.time.Duration;
import java.util.List;

/**
 * What actors count for monitoring, where only they can see it: offers as the router handles them,
 * and the events a cluster actor recorded with how long the journal took. Whoever exports metrics
 * (the http module) installs an implementation on the actor system with {@link #use}; until then,
 * and in tests, nothing is counted. Implementations must be quick and thread-safe: actors call them
 * on their own threads.
 */
public interface Instruments {
    /** The resource side offered {@code count} offers to the router. */
    void offersReceived(int count);

    /** The router declined {@code count} offers (nothing to place on them, or every placement refused). */
    void offersDeclined(int count);

    /** The router launched tasks on {@code count} offers. */
    void offersUsed(int count);

    /** Cluster {@code cluster} recorded {@code events} in one journal write that took {@code write}. */
    void eventsRecorded(String cluster, List<ClusterEvent> events, Duration write);

    /** Counts nothing. */
    Instruments NONE = new Instruments() {
        @Override
        public void offersReceived(int count) {}

        @Override
        public void offersDeclined(int count) {}

        @Override
        public void offersUsed(int count) {}

        @Override
        public void eventsRecorded(String cluster, List<ClusterEvent> events, Duration write) {}
    };

    /** The instruments installed on {@code system}, or {@link #NONE}. */
    static Instruments of(ActorSystem<?> system) {
        return system.registerExtension(Installed.ID).current;
    }

    /** From now on the actors of {@code system} count with {@code instruments}. */
    static void use(ActorSystem<?> system, Instruments instruments) {
        system.registerExtension(Installed.ID).current = instruments;
    }

    /** One per actor system (an Akka extension), so tests with several systems do not share counts. */
    final class Installed implements Extension {
        static final ExtensionId<Installed> ID = new ExtensionId<>() {
            @Override
            public Installed createExtension(ActorSystem<?> system) {
                return new Installed();
            }
        };

        private volatile Instruments current = NONE;
    }
}

package io.mysos.actors.scheduler;

import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import com.typesafe.config.ConfigFactory;
import io.mysos.actors.cluster.ClusterActor;
import io.mysos.actors.resource.ResourceSide;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchedulerGuardianTest {
    private final ActorTestKit kit = ActorTestKit.create(PersistenceTestKitPlugin.getInstance().config()
            .withFallback(ConfigFactory.load()));

    @AfterEach
    void tearDown() {
        kit.shutdownTestKit();
    }

    /** A resource side that fails when the router subscribes. */
    private static Behavior<ResourceSide.Command> brokenResources() {
        return Behaviors.receiveMessage(msg -> {
            if (msg instanceof ResourceSide.SubscribeOffers) {
                throw new IllegalStateException("the agent lost its sandbox directory");
            }
            return Behaviors.same();
        });
    }

    @Test
    void aPartThatStopsForGoodStopsTheSchedulerWithTheReason() throws Exception {
        var refs = new CompletableFuture<SchedulerGuardian.Refs>();
        var fatal = new CompletableFuture<String>();
        var guardian = kit.spawn(SchedulerGuardian.create(brokenResources(), ClusterActor.Settings.fromConfig(kit.system().settings().config()), refs, fatal));
        var reason = fatal.get(10, TimeUnit.SECONDS);
        assertTrue(reason.contains("the resource side stopped") && reason.contains("lost its sandbox directory"), reason);
        kit.createTestProbe().expectTerminated(guardian, Duration.ofSeconds(10));
    }

    @Test
    void timeoutsComeFromTheConfiguration() {
        var timeouts = SchedulerGuardian.Timeouts.fromConfig(ConfigFactory.parseString(
                "mysos.scheduler { create-timeout = 7s, place-timeout = 3s }"));
        assertTrue(timeouts.create().equals(Duration.ofSeconds(7)) && timeouts.place().equals(Duration.ofSeconds(3)));
        var defaults = SchedulerGuardian.Timeouts.fromConfig(ConfigFactory.load());
        assertTrue(defaults.create().equals(Duration.ofSeconds(10)) && defaults.place().equals(Duration.ofSeconds(5)), defaults.toString());
    }
}

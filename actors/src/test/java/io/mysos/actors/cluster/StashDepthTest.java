package io.mysos.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.PersistenceTestKitPlugin;
import akka.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import akka.persistence.testkit.ProcessingSuccess$;
import akka.persistence.testkit.WriteEvents;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import com.typesafe.config.ConfigFactory;
import io.mysos.actors.DeepStackExecutor;
import io.mysos.actors.offer.OfferRouter;
import io.mysos.actors.resource.ResourceSide;
import io.mysos.core.cluster.ClusterSpec;
import io.mysos.core.password.ClusterSecrets;
import io.mysos.core.password.SchedulerKey;
import io.mysos.core.resources.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * While the journal is slow, a persistent actor keeps every command it gets in its stash (up to
 * {@code akka.persistence.typed.stash-capacity}); once the write is done Akka 2.6 handles the stashed
 * commands that persist nothing by recursion, one stack frame chain each (akka/akka#29933, fixed only
 * in the BSL releases). A full stash must not overflow the stack of the thread that runs the actor:
 * after a journal outage every stashed request is answered and the JVM keeps running.
 */
class StashDepthTest {
    private ActorTestKit kit;

    @AfterEach
    void tearDown() {
        kit.shutdownTestKit();
    }

    @Test
    void aFullStashOfReadsIsAnsweredAfterASlowWrite() throws Exception {
        kit = ActorTestKit.create(ConfigFactory.parseString("akka.jvm-exit-on-fatal-error = off")
                .withFallback(PersistenceTestKitPlugin.getInstance().config())
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load()));
        int capacity = kit.system().settings().config().getInt("akka.persistence.typed.stash-capacity");
        var journal = PersistenceTestKit.create(kit.system());
        var release = new CountDownLatch(1);
        journal.withPolicy((persistenceId, operation) -> {
            if (operation instanceof WriteEvents) {
                await(release);
            }
            return ProcessingSuccess$.MODULE$;
        });
        var router = kit.<OfferRouter.Command>createTestProbe();
        var resources = kit.<ResourceSide.Command>createTestProbe();
        var settings = ClusterActor.Settings.fromConfig(kit.system().settings().config());
        var registry = kit.spawn(ClusterRegistry.create(router.ref(), resources.ref(), settings, Duration.ofSeconds(30)), "registry",
                DeepStackExecutor.PROPS);

        var created = kit.<ClusterRegistry.CreateResult>createTestProbe();
        registry.tell(new ClusterRegistry.CreateCluster(new ClusterSpec("orders", "app", 2, Resources.DEFAULT_INSTANCE,
                Optional.empty(), false), ClusterSecrets.create("correct-horse", SchedulerKey.generate()), created.ref()));
        var lists = kit.<List<ClusterView>>createTestProbe();
        for (int i = 0; i < capacity; i++) {
            registry.tell(new ClusterRegistry.ListClusters(lists.ref()));
        }
        Thread.sleep(500);
        release.countDown();

        for (int i = 0; i < capacity; i++) {
            lists.receiveMessage(Duration.ofSeconds(30));
        }
        assertEquals(new ClusterRegistry.Created("orders"), created.receiveMessage(Duration.ofSeconds(30)));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.mysos.actors;

import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import akka.dispatch.DispatcherPrerequisites;
import akka.dispatch.ExecutorServiceConfigurator;
import akka.dispatch.ExecutorServiceFactory;
import com.typesafe.config.Config;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads persistent actors run on ({@code mysos.persistent-dispatcher}): a fixed pool whose
 * threads have a deep stack.
 *
 * <p>Why: while its journal is slow or away, a persistent actor stashes every command it gets (up
 * to {@code akka.persistence.typed.stash-capacity}). Once the journal answers, Akka 2.6 handles the
 * stashed commands that persist nothing by recursion, a chain of frames for each (akka/akka#29933,
 * fixed only in the BSL releases). A full stash of status updates, reports and reads overflows a
 * default 1 MB stack, which is a fatal error that stops the JVM. Pages of a thread's stack are only
 * committed when used, so a deep reserve costs memory only during such an unstash.
 */
public final class DeepStackExecutor extends ExecutorServiceConfigurator {
    /** Spawn every persistent actor with these props. */
    public static final Props PROPS = DispatcherSelector.fromConfig("mysos.persistent-dispatcher");

    private final int poolSize;
    private final long stackBytes;

    public DeepStackExecutor(Config config, DispatcherPrerequisites prerequisites) {
        super(config, prerequisites);
        var settings = config.getConfig("deep-stack");
        this.poolSize = Math.max(1, settings.getInt("pool-size"));
        this.stackBytes = settings.getBytes("stack-size");
    }

    @Override
    public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory ignored) {
        return () -> new ThreadPoolExecutor(poolSize, poolSize, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                threads(id, stackBytes));
    }

    private static ThreadFactory threads(String id, long stackBytes) {
        var count = new AtomicInteger();
        return runnable -> {
            var thread = new Thread(null, runnable, id + "-" + count.incrementAndGet(), stackBytes);
            thread.setDaemon(true);
            return thread;
        };
    }
}

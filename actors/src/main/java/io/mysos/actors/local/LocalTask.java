package io.mysos.actors.local;

import io.mysos.core.protocol.ExecutorCommand;
import java.util.concurrent.CompletableFuture;

/** One instance the local agent runs in-process: the executor's task runner, or a test's stand-in. */
public interface LocalTask {
    void launch();

    /** After a restart: adopt the instance's mysqld, restart it on its data, or report it lost. */
    void recover();

    void handle(ExecutorCommand command);

    /** Stop the instance for good; confirmed by a KILLED status. */
    void kill();

    /**
     * The task ended (or is given up) and will not come back: stop its mysqld if it still runs and
     * delete its sandbox with its data, reporting nothing more. Returns at once; completes once the
     * sandbox is gone.
     */
    CompletableFuture<Void> discard();

    /** Stop the instance because Mysos itself stops; its data stays for the next start. Completes once it is down. */
    CompletableFuture<Void> shutdown();

    /**
     * Let go of the instance without stopping it, because Mysos stops but the instances stay up
     * (a crash, or {@code --leave-running}); the next start adopts the running mysqld. Nothing
     * to let go of by default.
     */
    default void detach() {}
}

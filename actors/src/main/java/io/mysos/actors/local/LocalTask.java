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

    /** Stop the instance because Mysos itself stops; its data stays for the next start. Completes once it is down. */
    CompletableFuture<Void> shutdown();
}

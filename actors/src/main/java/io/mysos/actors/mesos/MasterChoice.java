package io.mysos.actors.mesos;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the gateway finds the master to subscribe to: a fixed list ({@code HOST:PORT,...}) tried
 * in turn, or the leader the masters elect in ZooKeeper ({@code zk://HOST:PORT,.../mesos}).
 */
interface MasterChoice extends AutoCloseable {
    /** The master for the next subscription, after {@code lost} lost or failed ones; empty while none is known. */
    Optional<String> master(int lost);

    /** True when the leader is detected: the gateway follows its changes and never rotates. */
    boolean detected();

    @Override
    void close();

    /** From {@code mysos.mesos.master}; a detected leader's changes (a new one, or none) go to {@code onLeaderChange}. */
    static MasterChoice of(MesosSettings settings, Consumer<Optional<String>> onLeaderChange) {
        var zk = LeadingMaster.ZkAddress.parse(settings.master());
        if (zk.isPresent()) {
            return ZooKeeperMasters.start(zk.get(), onLeaderChange);
        }
        if (settings.master().trim().startsWith("zk://")) {
            throw new IllegalArgumentException("the master must be zk://HOST:PORT[,HOST:PORT...]/path, not " + settings.master());
        }
        return new Listed(settings.masters());
    }

    /** The masters of a list, the next after each lost subscription; one that is not the leader redirects to it. */
    record Listed(List<String> masters) implements MasterChoice {
        @Override
        public Optional<String> master(int lost) {
            return Optional.of(masters.get(lost % masters.size()));
        }

        @Override
        public boolean detected() {
            return false;
        }

        @Override
        public void close() {
        }
    }
}

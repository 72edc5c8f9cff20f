package io.mysos.executor.mysql;

import java.util.Optional;

/**
 * One side (master or replica) of semi-synchronous replication as a server provides it: built in
 * (MariaDB 10.3+) or as a plugin library to install (MySQL). Its variables share its name as prefix.
 */
record SemiSyncPlugin(String name, Optional<String> library) {

    /** The master's or the replica's half. */
    enum Side { MASTER, REPLICA }

    static SemiSyncPlugin builtIn(String name) {
        return new SemiSyncPlugin(name, Optional.empty());
    }

    static SemiSyncPlugin loadable(String name, String library) {
        return new SemiSyncPlugin(name, Optional.of(library));
    }

    boolean isBuiltIn() {
        return library.isEmpty();
    }

    /** {@code rpl_semi_sync_master_enabled} for suffix {@code enabled}. */
    String variable(String suffix) {
        return name + "_" + suffix;
    }

    String install() {
        return "INSTALL PLUGIN " + name + " SONAME '" + library.orElseThrow() + "'";
    }
}

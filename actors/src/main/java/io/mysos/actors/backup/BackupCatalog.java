package io.mysos.actors.backup;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import io.mysos.core.backup.BackupIds;
import io.mysos.core.backup.StoredBackup;
import io.mysos.core.binlog.BinlogArchive;
import io.mysos.core.binlog.GtidState;
import io.mysos.executor.backup.BinlogStore;
import java.time.Instant;
import io.mysos.executor.backup.BackupManifest;
import io.mysos.executor.backup.BackupStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The scheduler's read of the backup store ({@code mysos.backup.root}): whether a {@code backup_id}
 * names a complete backup before a cluster is created from it, and the backups of a name whose
 * cluster was deleted. Store calls run on Akka's blocking-io dispatcher, never an actor's thread.
 */
public final class BackupCatalog implements Extension {
    private static final ExtensionId<BackupCatalog> ID = new ExtensionId<>() {
        @Override
        public BackupCatalog createExtension(ActorSystem<?> system) {
            var config = system.settings().config();
            var root = config.hasPath("mysos.backup.root") ? config.getString("mysos.backup.root") : "";
            var conf = config.hasPath("mysos.backup.hadoop-conf") ? config.getString("mysos.backup.hadoop-conf") : "";
            var store = root.isBlank() ? Optional.<BackupStore>empty()
                    : Optional.of(BackupStore.open(URI.create(root), conf.isBlank() ? Optional.empty() : Optional.of(Path.of(conf))));
            var catalog = new BackupCatalog(store, system.dispatchers().lookup(DispatcherSelector.blocking()));
            system.getWhenTerminated().thenRun(() -> store.ifPresent(BackupStore::close));
            return catalog;
        }
    };

    private final Optional<BackupStore> store;
    private final Executor blocking;

    private BackupCatalog(Optional<BackupStore> store, Executor blocking) {
        this.store = store;
        this.blocking = blocking;
    }

    public static BackupCatalog get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    public boolean configured() {
        return store.isPresent();
    }

    public Optional<URI> root() {
        return store.map(BackupStore::root);
    }

    /** The complete backup {@code <cluster>/<id>}, if the store has one; fails when the store cannot be read. */
    public CompletionStage<Optional<StoredBackup>> find(String fullId) {
        BackupIds.validate(fullId);
        return on(s -> s.find(BackupIds.cluster(fullId), BackupIds.id(fullId)).map(m -> stored(s, m)));
    }

    /** The complete backups of {@code cluster} in the store, oldest first. */
    public CompletionStage<List<StoredBackup>> list(String cluster) {
        return on(s -> s.list(cluster).stream().map(m -> stored(s, m)).toList());
    }

    /** How far a complete backup rolls forward with the archived binary logs, and where the archive stops short if it has a gap. */
    public record Recoverable(StoredBackup backup, BinlogArchive.Recoverable latest, Optional<String> gap) {}

    /** The latest point the backup {@code <cluster>/<id>} can be restored to; empty when the store has no such backup. */
    public CompletionStage<Optional<Recoverable>> recoverable(String fullId) {
        BackupIds.validate(fullId);
        return on(s -> s.find(BackupIds.cluster(fullId), BackupIds.id(fullId)).map(m -> recoverable(s, m)));
    }

    /** The latest point the newest complete backup of {@code cluster} can be restored to; empty without backups. */
    public CompletionStage<Optional<Recoverable>> latestRecoverable(String cluster) {
        return on(s -> {
            var backups = s.list(cluster);
            return backups.isEmpty() ? Optional.<Recoverable>empty() : Optional.of(recoverable(s, backups.get(backups.size() - 1)));
        });
    }

    private static Recoverable recoverable(BackupStore store, BackupManifest backup) {
        var chain = BinlogArchive.chain(new BinlogStore(store).epochs(io.mysos.executor.backup.BinlogArchiveId.of(backup)), GtidState.parse(backup.position()),
                Instant.parse(backup.finishedAt()));
        return new Recoverable(stored(store, backup), chain.reached(), chain.gap());
    }

    private <T> CompletionStage<T> on(java.util.function.Function<BackupStore, T> work) {
        if (store.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("backups are not configured (--backup-root)"));
        }
        return CompletableFuture.supplyAsync(() -> work.apply(store.get()), blocking);
    }

    private static StoredBackup stored(BackupStore store, BackupManifest m) {
        return new StoredBackup(m.cluster(), m.id(), m.startedAt(), m.finishedAt(), m.bytes(), m.position(),
                store.location(m.cluster(), m.id()).toString(), m.sourceTask(), m.method());
    }
}

package io.mysos.endpoints;

import io.mysos.core.endpoint.EndpointRouting;
import io.mysos.core.endpoint.Target;
import io.mysos.core.endpoint.Targets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Where one cluster's endpoints send connections, and the connections they hold: each target's
 * open connections share a {@link Fence}, pulled as soon as the target leaves its endpoint (the
 * master fenced, a replica lagging). A connection that finds no target waits for one, up to the
 * wait given. Thread-safe: updates come from the follower, picks from the listeners.
 */
final class RouteTable {
    /** A connection's target and the fence that closes it when the target is no longer routed to. */
    record Lease(Target target, Fence fence) {}

    private record Key(Role role, Target target) {}

    private record Waiter(Role role, CompletableFuture<Lease> lease) {}

    private Targets current = Targets.none(-1);
    private final Map<Key, Fence> switches = new HashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private long readOnlyTurn;

    /**
     * Routes by {@code next} from now on, unless it is of an older epoch than what is routed by
     * now (a stale answer); returns whether it was taken.
     */
    boolean update(Targets next) {
        List<Fence> pulled = new ArrayList<>();
        List<Waiter> served = new ArrayList<>();
        List<Lease> leases = new ArrayList<>();
        synchronized (this) {
            if (!EndpointRouting.supersedes(next, current)) {
                return false;
            }
            current = next;
            var iterator = switches.entrySet().iterator();
            while (iterator.hasNext()) {
                var entry = iterator.next();
                if (!routed(entry.getKey())) {
                    pulled.add(entry.getValue());
                    iterator.remove();
                }
            }
            var waiting = waiters.iterator();
            while (waiting.hasNext()) {
                var waiter = waiting.next();
                var lease = pick(waiter.role());
                if (lease.isPresent()) {
                    served.add(waiter);
                    leases.add(lease.get());
                    waiting.remove();
                }
            }
        }
        // Outside the lock: completing runs the connections' continuations.
        pulled.forEach(Fence::pull);
        for (int i = 0; i < served.size(); i++) {
            served.get(i).lease().complete(leases.get(i));
        }
        return true;
    }

    synchronized Targets current() {
        return current;
    }

    /** A target for a new connection now, or once there is one, for at most {@code wait}. */
    CompletionStage<Lease> await(Role role, Duration wait) {
        CompletableFuture<Lease> lease;
        synchronized (this) {
            var now = pick(role);
            if (now.isPresent()) {
                return CompletableFuture.completedFuture(now.get());
            }
            lease = new CompletableFuture<>();
            waiters.add(new Waiter(role, lease));
        }
        var waiting = lease;
        lease.orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS).whenComplete((l, e) -> {
            if (e != null) {
                synchronized (this) {
                    waiters.removeIf(w -> w.lease() == waiting);
                }
            }
        });
        return lease;
    }

    synchronized int waiting() {
        return waiters.size();
    }

    private Optional<Lease> pick(Role role) {
        Optional<Target> target = switch (role) {
            case READ_WRITE -> current.readWrite();
            case READ_ONLY -> current.readOnly().isEmpty() ? Optional.empty()
                    : Optional.of(current.readOnly().get((int) (readOnlyTurn++ % current.readOnly().size())));
        };
        return target.map(t -> new Lease(t, switches.computeIfAbsent(new Key(role, t), k -> new Fence())));
    }

    private boolean routed(Key key) {
        return switch (key.role()) {
            case READ_WRITE -> current.readWrite().filter(key.target()::equals).isPresent();
            case READ_ONLY -> current.readOnly().contains(key.target());
        };
    }
}

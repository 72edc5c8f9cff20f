package io.mysos.actors.mesos;

import io.mysos.core.resources.Resources;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.mesos.v1.Protos;

/**
 * The usable resources of one offer, from which the tasks launched with it take theirs. A task's
 * resources must be the offer's own (same role, same reservation), so each amount is cut from
 * the offer's resource entries, those reserved for our role first, then the unreserved ones.
 */
final class ResourcePool {
    /** The offer cannot give a task what it needs (the offer changed under the match). */
    static final class NotEnoughResources extends RuntimeException {
        NotEnoughResources(String message) {
            super(message);
        }
    }

    private final List<Protos.Resource.Builder> left = new ArrayList<>();

    ResourcePool(List<Protos.Resource> usable, String role) {
        usable.stream()
                .sorted(Comparator.comparing((Protos.Resource r) -> !role.equals(r.getRole())))
                .forEach(r -> left.add(r.toBuilder()));
    }

    /** The resources for one task: its cpus, mem and disk, and its port. */
    List<Protos.Resource> take(Resources needed, int port) {
        return take(needed, port, false);
    }

    /** As {@link #take(Resources, int)}; {@code oneDisk}: the disk from a single entry (a persistent volume is one resource). */
    List<Protos.Resource> take(Resources needed, int port, boolean oneDisk) {
        var taken = new ArrayList<Protos.Resource>();
        takeScalar("cpus", needed.cpus(), taken);
        takeScalar("mem", needed.mem().megabytes(), taken);
        if (oneDisk) {
            takeWhole("disk", needed.disk().megabytes(), taken);
        } else {
            takeScalar("disk", needed.disk().megabytes(), taken);
        }
        takePort(port, taken);
        return taken;
    }

    private void takeWhole(String name, double amount, List<Protos.Resource> taken) {
        double wanted = round(amount);
        for (var r : left) {
            if (r.getName().equals(name) && r.getType() == Protos.Value.Type.SCALAR && r.getScalar().getValue() >= wanted) {
                taken.add(r.clone().setScalar(scalar(wanted)).build());
                r.setScalar(scalar(r.getScalar().getValue() - wanted));
                return;
            }
        }
        throw new NotEnoughResources("no single " + name + " entry of the offer holds " + wanted);
    }

    private void takeScalar(String name, double amount, List<Protos.Resource> taken) {
        double missing = round(amount);
        var cut = new ArrayList<Protos.Resource>();
        for (var r : left) {
            if (missing <= 0) {
                break;
            }
            if (!r.getName().equals(name) || r.getType() != Protos.Value.Type.SCALAR) {
                continue;
            }
            double here = Math.min(missing, r.getScalar().getValue());
            if (here <= 0) {
                continue;
            }
            cut.add(r.clone().setScalar(scalar(here)).build());
            r.setScalar(scalar(r.getScalar().getValue() - here));
            missing = round(missing - here);
        }
        if (missing > 0) {
            throw new NotEnoughResources("the offer lacks " + missing + " " + name);
        }
        taken.addAll(cut);
    }

    /** Only a port (a task relaunched on its volume brings its reserved cpus, mem and disk). */
    Protos.Resource takePort(int port) {
        var taken = new ArrayList<Protos.Resource>();
        takePort(port, taken);
        return taken.get(0);
    }

    private void takePort(int port, List<Protos.Resource> taken) {
        for (var r : left) {
            if (!r.getName().equals("ports") || r.getType() != Protos.Value.Type.RANGES) {
                continue;
            }
            var ranges = r.getRanges().getRangeList();
            for (var range : ranges) {
                if (range.getBegin() <= port && port <= range.getEnd()) {
                    taken.add(r.clone().setRanges(Protos.Value.Ranges.newBuilder().addRange(range(port, port))).build());
                    r.setRanges(without(ranges, port));
                    return;
                }
            }
        }
        throw new NotEnoughResources("the offer lacks port " + port);
    }

    private static Protos.Value.Ranges without(List<Protos.Value.Range> ranges, int port) {
        var rest = Protos.Value.Ranges.newBuilder();
        for (var range : ranges) {
            if (range.getBegin() <= port && port <= range.getEnd()) {
                if (range.getBegin() < port) {
                    rest.addRange(range(range.getBegin(), port - 1));
                }
                if (port < range.getEnd()) {
                    rest.addRange(range(port + 1, range.getEnd()));
                }
            } else {
                rest.addRange(range);
            }
        }
        return rest.build();
    }

    static Protos.Value.Range range(long begin, long end) {
        return Protos.Value.Range.newBuilder().setBegin(begin).setEnd(end).build();
    }

    static Protos.Value.Scalar scalar(double value) {
        return Protos.Value.Scalar.newBuilder().setValue(round(value)).build();
    }

    /** Mesos keeps scalars to three decimals. */
    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}

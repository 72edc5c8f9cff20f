package io.mysos.actors.mesos;

import io.mysos.core.offer.Offer;
import io.mysos.core.resources.PortRange;
import io.mysos.core.resources.Resources;
import io.mysos.core.size.DataSize;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos;

/**
 * What of a Mesos offer Mysos may use, as core's {@link Offer}: unreserved resources ({@code *})
 * and those reserved for our role, except reservations with labels (an instance's own, which come
 * with its persistent volume: {@link Offer#volumes()}). Revocable resources (they may vanish under a running mysqld)
 * and disks that are persistent volumes or external sources (someone's data) are left out.
 */
final class MesosOffers {
    static final String UNRESERVED = "*";

    private MesosOffers() {}

    static boolean usable(Protos.Resource resource, String role) {
        var resourceRole = resource.hasRole() ? resource.getRole() : UNRESERVED;
        if (!resourceRole.equals(UNRESERVED) && !resourceRole.equals(role)) {
            return false;
        }
        if (resource.hasRevocable()) {
            return false;
        }
        // Reserved with labels: an instance's own reservation (or someone's), not free for another.
        if (resource.hasReservation() && resource.getReservation().hasLabels()
                && resource.getReservation().getLabels().getLabelsCount() > 0) {
            return false;
        }
        return !resource.hasDisk() || (!resource.getDisk().hasPersistence() && !resource.getDisk().hasSource());
    }

    static List<Protos.Resource> usableResources(Protos.Offer offer, String role) {
        return offer.getResourcesList().stream().filter(r -> usable(r, role)).toList();
    }

    static Offer toOffer(Protos.Offer offer, String role) {
        double cpus = 0;
        double memMb = 0;
        double diskMb = 0;
        var ports = new ArrayList<PortRange>();
        for (var r : usableResources(offer, role)) {
            switch (r.getName()) {
                case "cpus" -> cpus += r.getScalar().getValue();
                case "mem" -> memMb += r.getScalar().getValue();
                case "disk" -> diskMb += r.getScalar().getValue();
                case "ports" -> r.getRanges().getRangeList().forEach(range ->
                        ports.add(new PortRange((int) range.getBegin(), (int) range.getEnd())));
                default -> { }
            }
        }
        ports.sort(java.util.Comparator.comparingInt(PortRange::begin));
        var resources = new Resources(cpus, megabytes(memMb), megabytes(diskMb));
        var volumes = MesosVolumes.offered(offer, role).stream().map(MesosVolumes.Offered::volumeId).toList();
        return new Offer(offer.getId().getValue(), offer.getAgentId().getValue(), offer.getHostname(), resources, ports, volumes, true);
    }

    /** Mesos counts mem and disk in (fractional) megabytes; a fraction of a megabyte is not offered. */
    static DataSize megabytes(double mb) {
        return DataSize.ofMegabytes((long) Math.floor(mb + 1e-6));
    }
}

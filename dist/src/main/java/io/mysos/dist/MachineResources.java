package io.mysos.dist;

import com.sun.management.OperatingSystemMXBean;
import io.mysos.core.size.DataSize;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** What this machine offers when the operator does not say: 4 cpus per core, memory less 1gb, 90% of free disk. */
record MachineResources(double cpus, DataSize mem, DataSize disk) {
    static MachineResources of(Path dataDir) {
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var mem = DataSize.ofMegabytes(Math.max(256, os.getTotalMemorySize() / (1024 * 1024) - 1024));
        // Local mode caps each instance at its cpus (a cgroup quota) but does not pin it: it offers 4 per core, so small
        // clusters fit a laptop.
        return new MachineResources(4.0 * Runtime.getRuntime().availableProcessors(), mem, freeDisk(dataDir));
    }

    private static DataSize freeDisk(Path dataDir) {
        try {
            var existing = dataDir;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            var usable = Files.getFileStore(existing == null ? Path.of(".") : existing).getUsableSpace();
            return DataSize.ofMegabytes(usable / (1024 * 1024) * 9 / 10);
        } catch (IOException e) {
            return DataSize.ofGigabytes(10);
        }
    }
}

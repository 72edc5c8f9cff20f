package io.mysos.dist;

import io.mysos.core.InvalidInputException;
import io.mysos.core.resources.PortRange;
import io.mysos.core.resources.Resources;
import io.mysos.core.size.DataSize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mysos local}: the whole scheduler on this machine, with its resources and real mysqld processes. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Run Mysos on this machine: embedded H2 journal, this machine's resources, real mysqld processes.")
final class LocalCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address the API and the instances listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "55001", description = "API port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", defaultValue = "mysos-data", description = "Journal, key and instance data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--key-file", description = "Scheduler key sealing cluster passwords (default: <data-dir>/scheduler.key, created when absent).")
    Path keyFile;

    @Option(names = "--cpus", description = "Cpus to offer (default: 4 per core of this machine; local mode does not pin cpus).")
    Double cpus;

    @Option(names = "--mem", description = "Memory to offer, e.g. 8gb (default: this machine's, less 1gb).")
    String mem;

    @Option(names = "--disk", description = "Disk to offer, e.g. 50gb (default: free space of the data dir, less 10%).")
    String disk;

    @Option(names = "--ports", defaultValue = "31000-31999", split = ",", description = "Port ranges for instances (default: ${DEFAULT-VALUE}).")
    List<String> ports;

    @Override
    public Integer call() throws Exception {
        LocalSettings settings;
        try {
            settings = settings();
        } catch (InvalidInputException e) {
            System.err.println("mysos local: " + e.getMessage());
            return 2;
        }
        return LocalMode.run(settings);
    }

    private LocalSettings settings() {
        var dir = dataDir.toAbsolutePath().normalize();
        var machine = MachineResources.of(dir);
        var offered = new Resources(
                cpus != null ? cpus : machine.cpus(),
                mem != null ? DataSize.parse(mem) : machine.mem(),
                disk != null ? DataSize.parse(disk) : machine.disk());
        var ranges = new ArrayList<PortRange>();
        ports.forEach(p -> ranges.add(PortRange.parse(p)));
        if (port < 1 || port > 65535) {
            throw new InvalidInputException("--port must be within 1-65535, not " + port);
        }
        return new LocalSettings(host, port, dir, keyFile != null ? keyFile : dir.resolve("scheduler.key"), offered, ranges);
    }
}

package io.mysos.dist;

import io.mysos.core.InvalidInputException;
import io.mysos.core.resources.PortRange;
import io.mysos.core.resources.Resources;
import io.mysos.core.size.DataSize;
import io.mysos.http.ApiSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Option(names = "--cpus", description = "Cpus to offer (default: 4 per core of this machine; each mysqld is capped at its size's cpus, not pinned).")
    Double cpus;

    @Option(names = "--mem", description = "Memory to offer, e.g. 8gb (default: this machine's, less 1gb).")
    String mem;

    @Option(names = "--disk", description = "Disk to offer, e.g. 50gb (default: free space of the data dir, less 10%%).")
    String disk;

    @Option(names = "--advertise-url", description = "URL clients reach the API at, given out as cluster_url, e.g. "
            + "http://mysos.example.com:55001 (default: http://<host>:<port>, with this machine's name for a wildcard host).")
    String advertiseUrl;

    @Option(names = "--leave-running", description = "Keep the instances running when Mysos is stopped (SIGTERM, Ctrl-C); "
            + "the next start adopts them. A crash never stops them.")
    boolean leaveRunning;

    @Option(names = "--backup-root", description = "Where backups are kept: hdfs://namenode:8020/mysos or file:///path "
            + "(default: <data-dir>/backups).")
    String backupRoot;

    @Option(names = "--hadoop-conf", description = "Directory with core-site.xml and hdfs-site.xml for the backup store (default: Hadoop's defaults).")
    Path hadoopConf;

    @Option(names = "--ports", defaultValue = "31000-31999", split = ",", description = "Port ranges for instances (default: ${DEFAULT-VALUE}).")
    List<String> ports;

    @Option(names = "--endpoint-ports", defaultValue = EndpointOptions.DEFAULT_PORTS, split = ",",
            description = "Port ranges for the clusters' read-write and read-only endpoints, two ports per cluster, kept across "
                    + "restarts; 'none' serves no endpoints (default: ${DEFAULT-VALUE}).")
    List<String> endpointPorts;

    @Option(names = "--endpoint-forwarding", defaultValue = "user", description = "How the endpoints carry connections from "
            + "this host: 'user' through Mysos, 'kernel' straight to the instance by nftables (needs root or CAP_NET_ADMIN, nft, "
            + "conntrack and ss; connections from other hosts still go through Mysos) (default: ${DEFAULT-VALUE}).")
    String endpointForwarding;

    @Mixin
    ServerSetOption serverSets = new ServerSetOption();

    @Mixin
    JournalOptions journal = new JournalOptions();

    @Override
    public Integer call() throws Exception {
        LocalSettings settings;
        EndpointOptions endpoints;
        try {
            settings = settings();
            endpoints = endpointOptions();
            // A given root only: the default one, under --data-dir, is made with it, which says what is wrong with that.
            var given = settings;
            given.backupRoot().ifPresent(root -> BackupFlags.checkOpens("--backup-root", root, given.hadoopConf()));
        } catch (InvalidInputException e) {
            System.err.println("mysos local: " + e.getMessage());
            return 2;
        }
        return LocalMode.run(settings, endpoints);
    }

    /** The endpoint options these flags make. */
    EndpointOptions endpointOptions() {
        var ranges = new ArrayList<PortRange>();
        if (!(endpointPorts.size() == 1 && endpointPorts.get(0).equals("none"))) {
            endpointPorts.forEach(p -> ranges.add(PortRange.parse(p)));
        }
        for (var endpointRange : ranges) {
            for (var instancePort : ports) {
                var instanceRange = PortRange.parse(instancePort);
                if (endpointRange.begin() <= instanceRange.end() && instanceRange.begin() <= endpointRange.end()) {
                    // An endpoint would take a port an instance was just offered, and that mysqld could not start.
                    throw new InvalidInputException("--endpoint-ports " + endpointRange + " overlaps --ports " + instanceRange
                            + "; give endpoints and instances separate ranges");
                }
            }
        }
        var forwarding = EndpointOptions.forwarding("--endpoint-forwarding", endpointForwarding,
                ranges.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(host));
        return new EndpointOptions(ranges, serverSets.zk(), forwarding);
    }

    /** The settings these options make, without starting anything. */
    LocalSettings settings() {
        var dir = dataDir.toAbsolutePath().normalize();
        var machine = MachineResources.of(dir);
        var offered = new Resources(
                cpus != null ? cpus : machine.cpus(),
                mem != null ? DataSize.parse(mem) : machine.mem(),
                disk != null ? DataSize.parse(disk) : machine.disk());
        if (!(offered.cpus() > 0) || Double.isInfinite(offered.cpus())) {
            throw new InvalidInputException("--cpus must be a number above 0 (what instances may use in all), not " + offered.cpus());
        }
        if (offered.mem().bytes() <= 0) {
            throw new InvalidInputException(mem != null ? "--mem must be above 0 (what instances may use in all), not " + mem
                    : "this machine shows no memory to offer; pass --mem");
        }
        if (offered.disk().bytes() <= 0) {
            throw new InvalidInputException(disk != null ? "--disk must be above 0 (what instances may use in all), not " + disk
                    : "--data-dir " + dir + " is on a file system with no free space; choose another --data-dir or pass --disk");
        }
        var ranges = new ArrayList<PortRange>();
        ports.forEach(p -> ranges.add(PortRange.parse(p)));
        if (port < 1 || port > 65535) {
            throw new InvalidInputException("--port must be within 1-65535, not " + port);
        }
        return new LocalSettings(host, port, dir, keyFile != null ? keyFile : dir.resolve("scheduler.key"), offered, ranges,
                advertised(), leaveRunning, journal.journal().orElse(LocalSettings.Journal.EMBEDDED))
                .withBackups(BackupFlags.root(backupRoot), BackupFlags.conf(hadoopConf));
    }

    private URI advertised() {
        if (advertiseUrl != null) {
            try {
                return ApiSettings.advertisable(new URI(advertiseUrl));
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new InvalidInputException("--advertise-url must be http(s)://host[:port], not '" + advertiseUrl + "'");
            }
        }
        if (isWildcard(host)) {
            try {
                return ApiSettings.urlOf(InetAddress.getLocalHost().getCanonicalHostName(), port);
            } catch (UnknownHostException e) {
                throw new InvalidInputException("--host " + host + " listens everywhere and this machine has no name to advertise: "
                        + "set --advertise-url");
            }
        }
        return ApiSettings.urlOf(host, port);
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }
}

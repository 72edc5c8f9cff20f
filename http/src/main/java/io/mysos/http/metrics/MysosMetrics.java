package io.mysos.http.metrics;

import akka.actor.typed.ActorSystem;
import io.mysos.actors.Instruments;
import io.mysos.actors.cluster.ClusterView;
import io.mysos.core.cluster.ClusterEvent;
import io.mysos.core.cluster.FailoverCause;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Mysos's Prometheus metrics: counters and histograms fed as things happen (the actors'
 * {@link Instruments}, the API's requests), the JVM's own metrics, and, at each scrape, gauges
 * from the clusters' views ({@link ClusterMetrics}). One per API server, with its own registry.
 */
public final class MysosMetrics implements Instruments {
    /** Failovers take seconds; an election that waits for a slow replica, up to minutes. */
    private static final double[] FAILOVER_BUCKETS = {0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300};
    private static final double[] JOURNAL_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final double[] REQUEST_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    private final Counter failovers = Counter.builder().name("mysos_failovers_total")
            .help("Completed failovers (the master was lost and a replica took over), by the state the old master ended in")
            .labelNames("cluster", "cause").register(registry);
    private final Counter switchovers = Counter.builder().name("mysos_switchovers_total")
            .help("Completed planned switchovers (POST /clusters/{name}/failover)").labelNames("cluster").register(registry);
    private final Histogram failoverSeconds = Histogram.builder().name("mysos_failover_duration_seconds")
            .help("From losing (or handing over) the master to the new master being writable; kind is failover or switchover")
            .labelNames("kind").classicOnly().classicUpperBounds(FAILOVER_BUCKETS).register(registry);
    private final Counter electionsWithoutWinner = Counter.builder().name("mysos_elections_without_winner_total")
            .help("Elections that promoted nobody because the replicas' histories diverged (an operator must force one)")
            .labelNames("cluster").register(registry);
    private final Counter offersReceived = Counter.builder().name("mysos_offers_received_total")
            .help("Resource offers the offer router received").register(registry);
    private final Counter offersDeclined = Counter.builder().name("mysos_offers_declined_total")
            .help("Resource offers declined: nothing to place on them, or every placement refused").register(registry);
    private final Counter offersUsed = Counter.builder().name("mysos_offers_used_total")
            .help("Resource offers on which instances were launched").register(registry);
    private final Histogram journalWrites = Histogram.builder().name("mysos_journal_write_duration_seconds")
            .help("How long a cluster actor waited for one journal write (one or more events)")
            .classicOnly().classicUpperBounds(JOURNAL_BUCKETS).register(registry);
    private final Histogram requests = Histogram.builder().name("mysos_http_request_duration_seconds")
            .help("API requests by route, method and status, with how long the answer took (its _count counts requests)")
            .labelNames("route", "method", "status").classicOnly().classicUpperBounds(REQUEST_BUCKETS).register(registry);

    private MysosMetrics() {
        JvmMetrics.builder().register(registry);
    }

    /** New metrics, installed as the {@link Instruments} of {@code system}'s actors. */
    public static MysosMetrics install(ActorSystem<?> system) {
        var metrics = new MysosMetrics();
        Instruments.use(system, metrics);
        var streams = io.mysos.http.OpenStreams.get(system);
        io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("mysos_api_open_streams")
                .help("Event streams and long polls open now (at most mysos.http.max-open-streams)")
                .callback(callback -> callback.call(streams.open())).register(metrics.registry);
        return metrics;
    }

    /** Metrics not installed anywhere (tests). */
    static MysosMetrics standalone() {
        return new MysosMetrics();
    }

    @Override
    public void offersReceived(int count) {
        offersReceived.inc(count);
    }

    @Override
    public void offersDeclined(int count) {
        offersDeclined.inc(count);
    }

    @Override
    public void offersUsed(int count) {
        offersUsed.inc(count);
    }

    @Override
    public void eventsRecorded(String cluster, List<ClusterEvent> events, Duration write) {
        journalWrites.observe(write.toNanos() / 1e9);
        for (var event : events) {
            if (event instanceof ClusterEvent.FailoverCompleted done) {
                boolean planned = done.cause().equals(ClusterEvent.PLANNED);
                if (planned) {
                    switchovers.labelValues(cluster).inc();
                } else {
                    failovers.labelValues(cluster, FailoverCause.label(done.cause())).inc();
                }
                failoverSeconds.labelValues(planned ? "switchover" : "failover").observe(done.millis() / 1000.0);
            } else if (event instanceof ClusterEvent.HistoriesDiverged) {
                electionsWithoutWinner.labelValues(cluster).inc();
            }
        }
    }

    /** One API request answered with {@code status} after {@code took}; {@code route} is its template, not its path. */
    void requestAnswered(String route, String method, int status, Duration took) {
        requests.labelValues(route, method, Integer.toString(status)).observe(took.toNanos() / 1e9);
    }

    /** Everything, in the Prometheus text format, with the gauges of {@code views}. */
    byte[] scrape(List<ClusterView> views) {
        var all = new ArrayList<MetricSnapshot>(ClusterMetrics.of(views));
        registry.scrape().forEach(all::add);
        var out = new ByteArrayOutputStream();
        try {
            writer.write(out, new MetricSnapshots(all));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    String contentType() {
        return writer.getContentType();
    }
}

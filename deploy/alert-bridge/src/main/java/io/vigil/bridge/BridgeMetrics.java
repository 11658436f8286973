package io.vigil.bridge;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * The bridge's own metrics, served for Prometheus on {@code metrics.listen} (the rule
 * VigilAlertBridgeBehind reads them). Every name starts with {@value #PREFIX}.
 */
public final class BridgeMetrics implements AutoCloseable {

    public static final String PREFIX = "vigil_bridge_";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter recordsRead = Counter.builder()
            .name(PREFIX + "records_read_total")
            .help("Alert records read from the topic (read_committed)")
            .register(registry);
    private final Counter recordsUndecodable = Counter.builder()
            .name(PREFIX + "records_undecodable_total")
            .help("Records of the alert topic that are not Vigil alerts; skipped")
            .register(registry);
    private final Counter alertsSent = Counter.builder()
            .name(PREFIX + "alerts_sent_total")
            .help("Alerts sent to Alertmanager and accepted, by state (firing, resolved)")
            .labelNames("state")
            .register(registry);
    private final Counter requests = Counter.builder()
            .name(PREFIX + "alertmanager_requests_total")
            .help("Requests to Alertmanager's API by result (success, failure: retried, rejected: dropped)")
            .labelNames("result")
            .register(registry);
    private final Gauge lastSuccess = Gauge.builder()
            .name(PREFIX + "alertmanager_last_success_timestamp_seconds")
            .help("When Alertmanager last accepted a request (Unix seconds)")
            .register(registry);
    private final Gauge firing = Gauge.builder()
            .name(PREFIX + "alerts_firing")
            .help("Alerts firing in Alertmanager's view, as the bridge keeps it")
            .register(registry);
    private final Gauge pending = Gauge.builder()
            .name(PREFIX + "changes_pending")
            .help("Alert changes not sent to Alertmanager yet (resolves waiting out alertmanager.min-firing included)")
            .register(registry);
    private final Gauge oldestUndelivered = Gauge.builder()
            .name(PREFIX + "oldest_undelivered_seconds")
            .help("How long the oldest change that is due has waited for Alertmanager; 0 when nothing is due")
            .register(registry);
    private final Gauge lag = Gauge.builder()
            .name(PREFIX + "consumer_lag_records")
            .help("Records of the alert topic not read yet (all partitions)")
            .register(registry);
    private final HTTPServer server;

    /** Serves the metrics on {@code address} (unresolved host:port); none when null. */
    public BridgeMetrics(InetSocketAddress address) throws IOException {
        server = address == null
                ? null
                : HTTPServer.builder()
                        .hostname(address.getHostString())
                        .port(address.getPort())
                        .registry(registry)
                        .buildAndStart();
        for (String state : new String[] {"firing", "resolved"}) {
            alertsSent.labelValues(state);
        }
        for (String result : new String[] {"success", "failure", "rejected"}) {
            requests.labelValues(result);
        }
    }

    /** The port the endpoint listens on (the configured one, or the one chosen for port 0); -1 without one. */
    public int port() {
        return server == null ? -1 : server.getPort();
    }

    void read(boolean decodable) {
        (decodable ? recordsRead : recordsUndecodable).inc();
    }

    void sent(int firingCount, int resolvedCount, Instant now) {
        alertsSent.labelValues("firing").inc(firingCount);
        alertsSent.labelValues("resolved").inc(resolvedCount);
        requests.labelValues("success").inc();
        lastSuccess.set(now.toEpochMilli() / 1000.0);
    }

    void failed(boolean rejected) {
        requests.labelValues(rejected ? "rejected" : "failure").inc();
    }

    void state(AlertTable table, long consumerLag, Instant now) {
        firing.set(table.firing());
        pending.set(table.pending());
        oldestUndelivered.set(table.oldestUndeliveredSeconds(now));
        lag.set(consumerLag);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}

package io.vigil.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Iterator;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.util.PortRange;

/**
 * Flink's {@link AbstractPrometheusReporter} (metric names, labels, types: all Flink's) served by an
 * HTTP server on {@code host}. Flink's {@code PrometheusReporter} differs only in binding every
 * interface; its registry is package-private, so it is read here by reflection, once, at start.
 */
final class HostPrometheusReporter extends AbstractPrometheusReporter {

    private final HTTPServer server;
    private final String address;

    HostPrometheusReporter(String host, PortRange ports) {
        CollectorRegistry registry = registryOf(this);
        Iterator<Integer> it = ports.getPortsIterator();
        HTTPServer started = null;
        int port = -1;
        IOException last = null;
        while (started == null && it.hasNext()) {
            port = it.next();
            try {
                started = new HTTPServer(
                        host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port), registry);
            } catch (IOException e) {
                last = e; // taken: try the next port
            }
        }
        if (started == null) {
            throw new IllegalStateException(
                    "Could not start the Prometheus reporter's HTTP server on "
                            + (host.isEmpty() ? "any interface" : host) + ", ports " + ports,
                    last);
        }
        server = started;
        address = (host.isEmpty() ? "*" : host) + ":" + port;
        log.info("Started the Prometheus reporter's HTTP server on {}", address);
    }

    /** Where it listens, host:port ({@code *} for every interface). */
    String address() {
        return address;
    }

    @Override
    public void close() {
        server.stop();
        super.close();
    }

    private static CollectorRegistry registryOf(AbstractPrometheusReporter reporter) {
        try {
            Field field = AbstractPrometheusReporter.class.getDeclaredField("registry");
            field.setAccessible(true);
            return (CollectorRegistry) field.get(reporter);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "This flink-metrics-prometheus has no field 'registry' in "
                            + AbstractPrometheusReporter.class.getName()
                            + ": use its PrometheusReporterFactory instead",
                    e);
        }
    }
}

package io.vigil.metrics;

import java.util.Properties;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.PortRange;

/**
 * Flink's Prometheus reporter on one address. Configured as Flink's, plus {@code host}:
 *
 * <pre>{@code
 * metrics.reporter.prom.factory.class: io.vigil.metrics.HostPrometheusReporterFactory
 * metrics.reporter.prom.host: 127.0.0.1
 * metrics.reporter.prom.port: 9249-9259
 * }</pre>
 */
public final class HostPrometheusReporterFactory implements MetricReporterFactory {

    /** The address to listen on; every interface when empty (as Flink's own reporter). */
    public static final String HOST = "host";
    /** A port or a range ({@code 9249-9259}): the first free one is taken. */
    public static final String PORT = "port";

    private static final String DEFAULT_PORT = "9249";

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        MetricConfig config = (MetricConfig) properties;
        return new HostPrometheusReporter(
                config.getString(HOST, ""), new PortRange(config.getString(PORT, DEFAULT_PORT)));
    }
}

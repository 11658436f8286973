package io.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.MetricRegistryConfiguration;
import org.apache.flink.runtime.metrics.MetricRegistryImpl;
import org.apache.flink.runtime.metrics.ReporterSetupBuilder;
import org.apache.flink.runtime.metrics.filter.ReporterFilter;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.junit.jupiter.api.Test;

/** Configured as deploy/local configures it, through Flink's own reporter setup: Flink's names, one address. */
class HostPrometheusReporterTest {

    @Test
    void servesFlinksNamesOnTheConfiguredAddressOnly() throws Exception {
        int port = freePort();
        Configuration config = new Configuration();
        config.setString("metrics.reporters", "prom");
        config.setString("metrics.reporter.prom.factory.class", HostPrometheusReporterFactory.class.getName());
        config.setString("metrics.reporter.prom.host", "127.0.0.1");
        config.setString("metrics.reporter.prom.port", port + "-" + (port + 5));
        MetricRegistryImpl registry = new MetricRegistryImpl(
                MetricRegistryConfiguration.fromConfiguration(config, Long.MAX_VALUE),
                ReporterSetupBuilder.METRIC_SETUP_BUILDER.fromConfiguration(
                        config, c -> ReporterFilter.getNoOpFilter(), null));
        try {
            TaskManagerMetricGroup.createTaskManagerMetricGroup(registry, "127.0.0.1", ResourceID.generate())
                    .addJob(new JobID(), "Vigil: m on t")
                    .addTask(ExecutionAttemptID.randomId(), "score")
                    .getOrAddOperator("score")
                    .addGroup("vigil")
                    .counter("events_scored_total")
                    .inc(42);

            String body = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(body)
                    .containsPattern(
                            "(?m)^flink_taskmanager_job_task_operator_vigil_events_scored_total\\{.*\\} 42\\.0$");
            // 127.0.0.2 is loopback too, but another address: free only if the reporter took 127.0.0.1 alone
            try (ServerSocket other = new ServerSocket()) {
                other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port));
                assertThat(other.isBound()).isTrue();
            }
        } finally {
            registry.closeAsync().get();
        }
    }

    @Test
    void aTakenRangeFailsNamingTheAddressAndThePorts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> new HostPrometheusReporter(
                            "127.0.0.1", new org.apache.flink.util.PortRange(String.valueOf(port))))
                    .hasMessageContaining("on 127.0.0.1, ports " + port);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

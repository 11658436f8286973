package io.vigil.job.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.job.TestBundles;
import io.vigil.job.io.DeadLetter;
import io.vigil.schemas.Severity;
import io.vigil.scoring.bundle.ScoringModel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.MetricRegistryConfiguration;
import org.apache.flink.runtime.metrics.MetricRegistryImpl;
import org.apache.flink.runtime.metrics.ReporterSetupBuilder;
import org.apache.flink.runtime.metrics.filter.ReporterFilter;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vigil's metrics as Flink's own Prometheus reporter exports them: a real metric registry with the
 * reporter configured as the deployments configure it, real task and operator metric groups, and the
 * reporter's HTTP endpoint read back. This is where the names the rules and the dashboard use come from.
 */
class VigilMetricsTest {

    /** Labels Flink gives every operator metric; Vigil adds only the ones of {@link #VIGIL_LABELS}. */
    private static final Set<String> FLINK_LABELS = Set.of(
            "host",
            "tm_id",
            "job_id",
            "job_name",
            "task_id",
            "task_name",
            "task_attempt_id",
            "task_attempt_num",
            "subtask_index",
            "operator_id",
            "operator_name");

    private static final Set<String> VIGIL_LABELS =
            Set.of(VigilMetrics.SEVERITY, VigilMetrics.REASON, VigilMetrics.MODEL, VigilMetrics.VERSION, "quantile");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)\\{(.*)} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    @TempDir
    Path tmp;

    private MetricRegistryImpl registry;
    private int port;
    private long watermark = Long.MIN_VALUE;

    @BeforeEach
    void startRegistry() throws Exception {
        port = freePort();
        // the reporter settings of deploy/local/conf/flink/config.yaml (its port: one of this test's own)
        Configuration config = new Configuration();
        config.setString("metrics.reporters", "prom");
        config.setString(
                "metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        config.setString("metrics.reporter.prom.port", String.valueOf(port));
        config.setString("metrics.reporter.prom.filterLabelValueCharacters", "false");
        registry = new MetricRegistryImpl(
                MetricRegistryConfiguration.fromConfiguration(config, Long.MAX_VALUE),
                ReporterSetupBuilder.METRIC_SETUP_BUILDER.fromConfiguration(
                        config, c -> ReporterFilter.getNoOpFilter(), null));
    }

    @AfterEach
    void stopRegistry() throws Exception {
        registry.closeAsync().get();
    }

    @Test
    void flinksPrometheusReporterExportsEveryMetricUnderItsConventionalNameAndLabels() throws Exception {
        MetricGroup scoring = operatorGroup("score (LSTM + autoencoder)");
        MetricGroup decode = operatorGroup("decode + validate");
        ScoringModel v1 = TestBundles.publish(tmp.resolve("store"), tmp, "v1", 3, 5);
        ScoringModel v2 = TestBundles.publish(tmp.resolve("store"), tmp, "v2", 4, 5);

        VigilMetrics metrics = new VigilMetrics(scoring, () -> watermark);
        metrics.modelInUse(v1);
        VigilMetrics.DeadLetters decodeDeadLetters =
                VigilMetrics.DeadLetters.register(decode, DeadLetter.DECODE_REASONS);
        for (int i = 0; i < 3; i++) {
            metrics.keyAdded();
        }
        metrics.keyWarmed();
        metrics.keyExpired(false);
        metrics.held(40);
        metrics.held(-15);
        metrics.batchScored(7, 2_000_000);
        metrics.batchScored(5, 4_000_000);
        metrics.alertOpened(Severity.HIGH);
        metrics.alertOpened(Severity.LOW);
        metrics.alertResolved(Severity.HIGH);
        metrics.late();
        decodeDeadLetters.inc(DeadLetter.MISSING_CHANNEL);
        decodeDeadLetters.inc(DeadLetter.MISSING_CHANNEL);
        metrics.modelSwapped();
        metrics.modelInUse(v2);
        metrics.modelRejected();
        watermark = System.currentTimeMillis() - 30_000;

        List<Sample> samples = scrape();
        String p = VigilMetrics.PROMETHEUS_PREFIX;
        assertThat(value(samples, p + "events_scored_total", Map.of())).isEqualTo(12);
        assertThat(value(samples, p + "severity_alerts_opened_total", Map.of("severity", "high")))
                .isEqualTo(1);
        assertThat(value(samples, p + "severity_alerts_opened_total", Map.of("severity", "low")))
                .isEqualTo(1);
        assertThat(value(samples, p + "severity_alerts_opened_total", Map.of("severity", "critical")))
                .isZero();
        assertThat(value(samples, p + "severity_alerts_resolved_total", Map.of("severity", "high")))
                .isEqualTo(1);
        assertThat(value(
                        samples,
                        p + "reason_dead_letters_total",
                        Map.of("reason", "late", "operator_name", "score (LSTM + autoencoder)")))
                .isEqualTo(1);
        assertThat(value(
                        samples,
                        p + "reason_dead_letters_total",
                        Map.of("reason", "missing-channel", "operator_name", "decode + validate")))
                .isEqualTo(2);
        assertThat(value(samples, p + "reason_dead_letters_total", Map.of("reason", "undecodable")))
                .isZero();
        assertThat(value(samples, p + "keys_warm", Map.of())).isEqualTo(1);
        assertThat(value(samples, p + "keys_warming", Map.of())).isEqualTo(1);
        assertThat(value(samples, p + "keys_expired_total", Map.of())).isEqualTo(1);
        assertThat(value(samples, p + "readings_held", Map.of())).isEqualTo(25);
        assertThat(value(samples, p + "inference_batch_events_count", Map.of())).isEqualTo(2);
        assertThat(value(samples, p + "inference_batch_events", Map.of("quantile", "0.999")))
                .isEqualTo(7);
        assertThat(value(samples, p + "inference_microseconds_count", Map.of())).isEqualTo(2);
        assertThat(value(samples, p + "inference_microseconds", Map.of("quantile", "0.5")))
                .isBetween(2_000.0, 4_000.0);
        assertThat(value(samples, p + "inference_microseconds_total", Map.of())).isEqualTo(6_000);
        assertThat(value(samples, p + "model_version_info", Map.of("model", "test-model", "version", "v2")))
                .isEqualTo(1);
        assertThat(value(samples, p + "model_version_info", Map.of("model", "test-model", "version", "v1")))
                .isZero();
        double age = (System.currentTimeMillis()
                        - Instant.parse(v2.manifest().createdAt()).toEpochMilli())
                / 1000.0;
        assertThat(value(samples, p + "model_age_seconds", Map.of())).isCloseTo(age, within(5.0));
        assertThat(value(samples, p + "model_swaps_total", Map.of())).isEqualTo(1);
        assertThat(value(samples, p + "model_rejections_total", Map.of())).isEqualTo(1);
        assertThat(value(samples, p + "event_time_lag_seconds", Map.of())).isCloseTo(30, within(5.0));

        Set<String> families = new TreeSet<>();
        Set<String> labels = new TreeSet<>();
        for (Sample s : samples) {
            if (s.name().startsWith(p)) {
                families.add(s.name().replaceAll("_count$", ""));
                labels.addAll(s.labels().keySet());
            }
        }
        assertThat(families)
                .as("every Vigil metric family the reporter exported")
                .containsExactlyInAnyOrderElementsOf(VigilMetrics.prometheusNames());
        Set<String> allowed = new HashSet<>(FLINK_LABELS);
        allowed.addAll(VIGIL_LABELS);
        assertThat(labels)
                .as("labels of Vigil's metrics: Flink's, plus a few of low cardinality; never an entity")
                .isSubsetOf(allowed)
                .doesNotContain("entity", "entity_id");
    }

    @Test
    void theLagGaugeIsNotANumberBeforeTheFirstWatermarkAndAfterTheLast() throws Exception {
        new VigilMetrics(operatorGroup("score"), () -> watermark);
        assertThat(value(scrape(), VigilMetrics.PROMETHEUS_PREFIX + "event_time_lag_seconds", Map.of()))
                .isNaN();
        watermark = Long.MAX_VALUE;
        assertThat(value(scrape(), VigilMetrics.PROMETHEUS_PREFIX + "event_time_lag_seconds", Map.of()))
                .isNaN();
    }

    private MetricGroup operatorGroup(String name) {
        TaskManagerMetricGroup tm =
                TaskManagerMetricGroup.createTaskManagerMetricGroup(registry, "127.0.0.1", ResourceID.generate());
        return tm.addJob(new JobID(), "Vigil: test-model on vigil-readings")
                .addTask(ExecutionAttemptID.randomId(), name)
                .getOrAddOperator(name);
    }

    private record Sample(String name, Map<String, String> labels, double value) {}

    private List<Sample> scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        List<Sample> out = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (m.matches()) {
                Map<String, String> labels = new TreeMap<>();
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
                out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
            }
        }
        return out;
    }

    /** The one sample of {@code name} whose labels include {@code labels}. */
    private static double value(List<Sample> samples, String name, Map<String, String> labels) {
        List<Sample> matching = samples.stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
        Map<String, Object> seen = new HashMap<>();
        samples.stream()
                .filter(s -> s.name().equals(name))
                .forEach(s -> seen.put(s.labels().toString(), s.value()));
        assertThat(matching)
                .as("samples of %s with %s among %s", name, labels, seen)
                .hasSize(1);
        return matching.get(0).value();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

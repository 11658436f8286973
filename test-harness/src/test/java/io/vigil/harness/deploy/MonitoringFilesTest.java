package io.vigil.harness.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.bridge.BridgeMetrics;
import io.vigil.harness.alerting.MonitoringFiles;
import io.vigil.harness.alerting.Programs;
import io.vigil.harness.cluster.LocalStack;
import io.vigil.job.metrics.VigilMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/'s Prometheus rules, their unit tests, the Grafana dashboard and the local Prometheus and
 * Alertmanager configurations: checked by Prometheus' own tools where they are installed, and, everywhere,
 * against the metric names Vigil exports.
 */
class MonitoringFilesTest {

    private static final Path REPO = LocalStack.repository();

    @TempDir
    Path tmp;

    @Test
    void everyVigilMetricTheRulesAndTheDashboardQueryIsOneTheJobOrTheBridgeExports() throws Exception {
        List<String> expressions = new ArrayList<>(MonitoringFiles.ruleExpressions(REPO));
        expressions.addAll(MonitoringFiles.dashboardExpressions(REPO));
        Set<String> used = MonitoringFiles.metricNames(expressions);

        Set<String> exported = new TreeSet<>();
        for (String name : VigilMetrics.prometheusNames()) {
            exported.add(name);
            exported.add(name + "_count"); // the histograms' sample counts
        }
        exported.addAll(bridgeMetricNames());
        Set<String> vigil = used.stream()
                .filter(n -> n.startsWith(VigilMetrics.PROMETHEUS_PREFIX) || n.startsWith(BridgeMetrics.PREFIX))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(vigil).as("Vigil's metrics in the rules and the dashboard").isSubsetOf(exported);
        assertThat(vigil)
                .as("the rules and the dashboard watch the job and the bridge")
                .contains(
                        VigilMetrics.PROMETHEUS_PREFIX + VigilMetrics.EVENTS_SCORED,
                        BridgeMetrics.PREFIX + "oldest_undelivered_seconds");
        // Flink's own metrics (flink_jobmanager_job_*, the Kafka source's pendingRecords, ...) are checked
        // against a real scrape in PrometheusScrapeE2ECase
    }

    @Test
    void theRulesPassPromtoolsCheckAndTheirUnitTests() throws Exception {
        Path promtool = Programs.require("promtool");
        String check = run(
                promtool.toString(),
                "check",
                "rules",
                REPO.resolve(MonitoringFiles.RULES).toString());
        assertThat(check).contains("SUCCESS: 11 rules found");
        String test = run(
                promtool.toString(),
                "test",
                "rules",
                REPO.resolve(MonitoringFiles.RULE_TESTS).toString());
        assertThat(test).contains("SUCCESS");
    }

    @Test
    void theLocalStacksPrometheusAndAlertmanagerConfigurationsAreValid() throws Exception {
        Path promtool = Programs.require("promtool");
        Path amtool = Programs.require("amtool");
        Path prometheus = render("prometheus/prometheus.yml");
        Files.writeString(tmp.resolve("flink-targets.json"), "[]\n");
        assertThat(run(promtool.toString(), "check", "config", prometheus.toString()))
                .contains(
                        "SUCCESS: 1 rule files found",
                        "SUCCESS: " + prometheus + " is valid prometheus config file syntax");
        assertThat(run(
                        amtool.toString(),
                        "check-config",
                        render("alertmanager/alertmanager.yml").toString()))
                .contains("SUCCESS", "- 1 receivers");
    }

    /** deploy/local's template with its placeholders filled in as vigil-local fills them. */
    private Path render(String template) throws IOException {
        String text = Files.readString(REPO.resolve("deploy/local/conf").resolve(template))
                .replace("@REPO_DIR@", REPO.toString())
                .replace("@RUN_DIR@/conf/prometheus", tmp.toString())
                .replace("@RUN_DIR@", tmp.toString())
                .replace("@BIND_HOST@", "127.0.0.1")
                .replace("@PROMETHEUS_SCRAPE_INTERVAL@", "5s")
                .replace("@PROMETHEUS_PORT@", "9090")
                .replace("@ALERTMANAGER_PORT@", "9094")
                .replace("@BRIDGE_METRICS_PORT@", "9096")
                .replace("@FLINK_METRICS_PORT@", "9249");
        assertThat(text).doesNotContain("@");
        Path out = tmp.resolve(Path.of(template).getFileName());
        Files.writeString(out, text);
        return out;
    }

    /** The sample names the bridge serves, read from its own endpoint. */
    private static Set<String> bridgeMetricNames() throws Exception {
        try (BridgeMetrics metrics = new BridgeMetrics(InetSocketAddress.createUnresolved("127.0.0.1", 0))) {
            String body = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            return body.lines()
                    .filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.replaceAll("[{ ].*", ""))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s:%n%s", String.join(" ", command), out).isZero();
        return out;
    }
}

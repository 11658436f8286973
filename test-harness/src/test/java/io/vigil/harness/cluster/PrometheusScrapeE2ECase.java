package io.vigil.harness.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.harness.alerting.MonitoringFiles;
import io.vigil.harness.alerting.Programs;
import io.vigil.harness.generate.GeneratorConfig;
import io.vigil.harness.generate.SensorStreamGenerator;
import io.vigil.harness.generate.TrainingHistory;
import io.vigil.harness.kafka.CommittedRecords;
import io.vigil.harness.kafka.ListeningSockets;
import io.vigil.harness.write.KafkaReadingWriter;
import io.vigil.job.metrics.VigilMetrics;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.WireFormat;
import io.vigil.trainer.publish.PublishOptions;
import io.vigil.trainer.publish.Publisher;
import io.vigil.trainer.training.ProgressListener;
import io.vigil.trainer.training.Trainer;
import io.vigil.trainer.training.TrainingConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * deploy/local as an SRE runs it: Kafka, Flink (with its Prometheus reporter), Prometheus scraping the
 * JobManager, the TaskManagers and the bridge every 2 s with Vigil's rules, Alertmanager, the bridge;
 * the job jar submitted with {@code flink run}, labelled readings with garbage among them. What
 * Prometheus' HTTP API returns is compared with what the topics hold.
 */
class PrometheusScrapeE2ECase {

    private static final int ENTITIES = 8;
    private static final int EVENTS = 1000;
    private static final String MODEL = "scrape-sensors";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String V = VigilMetrics.PROMETHEUS_PREFIX;
    /** What deploy/local starts beside Kafka and Flink for this test. */
    private static final String[] PROGRAMS = {"prometheus", "prometheus-alertmanager"};

    private static LocalStack stack;
    private static Path work;
    private static double startSeconds;

    @BeforeAll
    static void startStack() throws Exception {
        if (!Programs.installed(PROGRAMS)) {
            return; // the test is skipped, saying why (requirePrograms)
        }
        Path repo = LocalStack.repository();
        work = repo.resolve("test-harness/target/e2e-prometheus");
        if (Files.exists(work)) {
            PathUtils.deleteDirectory(work);
        }
        Files.createDirectories(work);
        long started = System.nanoTime();
        stack = LocalStack.start(repo, work.resolve("run"), true);
        stack.run("topics-create");
        startSeconds = (System.nanoTime() - started) / 1e9;
    }

    @BeforeEach
    void requirePrograms() {
        for (String program : PROGRAMS) {
            Programs.require(program);
        }
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void prometheusScrapesVigilsMetricsAndItsAlertsOpenedCounterEqualsTheAlertsOpenedOnTheTopic() throws Exception {
        SensorStreamGenerator live = new SensorStreamGenerator(GeneratorConfig.builder()
                .entities(ENTITIES)
                .eventsPerEntity(EVENTS)
                .anomaliesPerEntity(3)
                .seed(17)
                .build());
        long trainStarted = System.nanoTime();
        Path store = work.resolve("store");
        TrainingConfig training = TrainingConfig.builder()
                .modelId(MODEL)
                .version("scrape-v1")
                .windowLength(16)
                .lstmHidden(16)
                .aeHidden(32, 8, 32)
                .maxEpochs(6)
                .patience(2)
                .seed(5)
                .build();
        SensorStreamGenerator history = new SensorStreamGenerator(live.config());
        new Trainer(training, ProgressListener.silent())
                .train(TrainingHistory.of(
                        history.history(101, live.config().start().minusSeconds(1200), 1200)))
                .writeTo(work.resolve("bundle"));
        new Publisher(PublishOptions.toStore(store).withoutAnnouncement()).publish(work.resolve("bundle"));

        double trainSeconds = (System.nanoTime() - trainStarted) / 1e9;
        String job = stack.submit(
                jar(),
                2,
                null,
                List.of(
                        "--kafka.bootstrap-servers",
                        stack.bootstrapServers(),
                        "--model.store",
                        store.toString(),
                        "--model.id",
                        MODEL,
                        "--kafka.starting-offsets",
                        "earliest",
                        "--execution.checkpointing.interval",
                        "1s"));
        stack.awaitState(job, "RUNNING", Duration.ofMinutes(2));
        long streamStarted = System.nanoTime();
        KafkaReadingWriter.Report sent;
        try (KafkaReadingWriter w = new KafkaReadingWriter(
                KafkaReadingWriter.Config.of(stack.bootstrapServers(), "vigil-readings")
                        .withGarbage(0.01, 3),
                live.channels())) {
            live.forEach(w::accept);
            sent = w.finish();
        }

        // every reading read is scored or held for the watermark, every bad record dead-lettered by reason; and
        // what waits is bounded: each partition's own progress releases its readings (HeldReadings), so all but
        // the last few per partition get scored, whichever partition lags. Checked once the counts settle: a
        // release runs between scrapes, and a loaded machine may scrape the two TaskManagers mid-release.
        long[] counts = new long[3];
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    counts[0] = (long) scalar("sum(" + V + "events_scored_total)");
                    counts[1] = (long) scalar("sum(" + V + "readings_held)");
                    counts[2] = (long) scalar("sum(" + V + "reason_dead_letters_total)");
                    String state = String.format(
                            Locale.ROOT,
                            "%,d scored, %,d held, %d dead letters of %,d readings and %d garbage records; job restarts: %.0f",
                            counts[0],
                            counts[1],
                            counts[2],
                            sent.readings(),
                            sent.garbageTotal(),
                            scalar("max(flink_jobmanager_job_numRestarts)"));
                    assertThat(counts[0] + counts[1])
                            .as("scored + held: " + state)
                            .isEqualTo(sent.readings());
                    assertThat(counts[2]).as("dead letters: " + state).isEqualTo(sent.garbageTotal());
                    assertThat(counts[0])
                            .as("readings scored (the rest wait for their partition to move on): " + state)
                            .isGreaterThan(sent.readings() * 9 / 10);
                });
        double scoredSeconds = (System.nanoTime() - streamStarted) / 1e9;
        long scored = counts[0];
        long held = counts[1];

        // the alerts-opened counter equals the OPEN records committed to the alert topic; resolved likewise
        long[] onTopic = new long[2];
        long[] counted = new long[2];
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> {
                    List<Alert> alerts = alerts();
                    onTopic[0] = alerts.stream()
                            .filter(a -> a.getStatus() == AlertStatus.OPEN)
                            .count();
                    onTopic[1] = alerts.stream()
                            .filter(a -> a.getStatus() == AlertStatus.RESOLVED)
                            .count();
                    counted[0] = (long) scalar("sum(" + V + "severity_alerts_opened_total)");
                    counted[1] = (long) scalar("sum(" + V + "severity_alerts_resolved_total)");
                    return onTopic[0] > 0 && onTopic[0] == counted[0] && onTopic[1] == counted[1];
                });
        assertThat(counted[0]).as("alerts opened: Prometheus vs the topic").isEqualTo(onTopic[0]);
        assertThat(counted[1]).as("alerts resolved: Prometheus vs the topic").isEqualTo(onTopic[1]);
        assertThat(scalar("sum(" + V + "events_scored_total)"))
                .as("stable after the alerts were counted")
                .isGreaterThanOrEqualTo(scored);

        // every metric the rules and the dashboard query was scraped; Vigil's labels are few and never an entity
        List<String> expressions = new ArrayList<>(MonitoringFiles.ruleExpressions(LocalStack.repository()));
        expressions.addAll(MonitoringFiles.dashboardExpressions(LocalStack.repository()));
        Set<String> scraped = new TreeSet<>();
        api("/api/v1/label/__name__/values").path("data").forEach(n -> scraped.add(n.asText()));
        assertThat(scraped)
                .as("metric names Prometheus holds")
                .containsAll(MonitoringFiles.metricNames(expressions))
                .containsAll(VigilMetrics.prometheusNames());
        Set<String> labels = new TreeSet<>();
        api("/api/v1/labels?match[]=" + encode("{__name__=~\"" + V + ".*\"}"))
                .path("data")
                .forEach(n -> labels.add(n.asText()));
        assertThat(labels)
                .as("labels of Vigil's series")
                .doesNotContain("entity", "entity_id")
                .contains("severity", "reason", "model", "version", "job_name", "subtask_index");
        assertThat(scalar("count(" + V + "severity_alerts_opened_total)"))
                .as("one series per severity and subtask")
                .isEqualTo(4 * 2);

        // the model in use, as the info gauge says and as the alerts carry it
        JsonNode info = api("/api/v1/query?query=" + encode(V + "model_version_info == 1"))
                .path("data")
                .path("result");
        assertThat(info).hasSize(2); // one per subtask
        info.forEach(r -> assertThat(r.path("metric").path("version").asText()).isEqualTo("scrape-v1"));
        assertThat(alerts()).extracting(Alert::getModelVersion).containsOnly("scrape-v1");

        // Vigil's rules are loaded and evaluate without errors
        List<String> ruleHealth = new ArrayList<>();
        api("/api/v1/rules")
                .path("data")
                .path("groups")
                .forEach(g -> g.path("rules")
                        .forEach(r -> ruleHealth.add(
                                r.path("name").asText() + "=" + r.path("health").asText())));
        assertThat(ruleHealth).hasSize(11).allMatch(r -> r.endsWith("=ok"));

        // the bridge took the alerts to Alertmanager: once it has nothing left to send (resolves wait out its
        // min-firing, 45 s), the alerts active there are those still open on the topic, every opened one was
        // sent firing and every resolved one resolved (escalations add a resolve and a firing each)
        Set<String> open = openOnTopic(alerts());
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> scalar("sum(vigil_bridge_changes_pending)") == 0
                        && activeInAlertmanager().equals(open));
        assertThat(scalar("sum(vigil_bridge_alerts_sent_total{state=\"firing\"})"))
                .isGreaterThanOrEqualTo(onTopic[0]);
        assertThat(scalar("sum(vigil_bridge_alerts_sent_total{state=\"resolved\"})"))
                .isGreaterThanOrEqualTo(onTopic[1]);
        assertThat(scalar("sum(vigil_bridge_oldest_undelivered_seconds)")).isZero();

        // everything the monitoring adds listens on 127.0.0.1 only: Flink's reporters, Prometheus,
        // Alertmanager, the bridge's metrics
        List<Integer> ports = new ArrayList<>(List.of(
                stack.flinkMetricsPort(),
                stack.flinkMetricsPort() + 1,
                stack.flinkMetricsPort() + 2,
                port(stack.prometheusUrl()),
                port(stack.alertmanagerUrl()),
                port(stack.bridgeMetricsUrl())));
        for (int p : ports) {
            assertThat(ListeningSockets.addressesListeningOn(p))
                    .as("addresses listening on port %d", p)
                    .containsOnly("127.0.0.1");
        }

        double allSeconds = (System.nanoTime() - streamStarted) / 1e9;
        stack.cancel(job);
        System.out.printf(
                Locale.ROOT,
                "[prometheus] stack with Prometheus, Alertmanager and the bridge up in %.1f s,"
                        + " model trained in %.1f s; %,d readings + %d garbage in; scraped %.1f s after the first:"
                        + " %,d scored, %,d held, %d dead letters, %d alerts opened and %d resolved (the topic: %d and %d);"
                        + " Alertmanager matched the topic (%d open) %.1f s after the first reading; %d metric names%n",
                startSeconds,
                trainSeconds,
                sent.readings(),
                sent.garbageTotal(),
                scoredSeconds,
                scored,
                held,
                counts[2],
                counted[0],
                counted[1],
                onTopic[0],
                onTopic[1],
                open.size(),
                allSeconds,
                scraped.size());
    }

    private static Set<String> openOnTopic(List<Alert> alerts) {
        Set<String> open = new HashSet<>();
        for (Alert a : alerts) {
            if (a.getStatus() == AlertStatus.RESOLVED) {
                open.remove(a.getAlertId());
            } else {
                open.add(a.getAlertId());
            }
        }
        return open;
    }

    private static Set<String> activeInAlertmanager() throws IOException, InterruptedException {
        Set<String> ids = new HashSet<>();
        JSON.readTree(get(stack.alertmanagerUrl() + "/api/v2/alerts?active=true&silenced=false&inhibited=false"))
                .forEach(a -> {
                    if (a.path("labels").path("alertname").asText().equals("VigilAnomaly")) {
                        ids.add(a.path("labels").path("alert_id").asText());
                    }
                });
        return ids;
    }

    private static List<Alert> alerts() throws IOException {
        var decoder = WireFormat.decoder(Alert.class);
        List<Alert> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : CommittedRecords.read(stack.bootstrapServers(), "vigil-alerts")) {
            out.add(decoder.decode(r.value()));
        }
        return out;
    }

    /** The value of a PromQL query that returns one sample (NaN when it returns none). */
    private static double scalar(String promql) throws IOException, InterruptedException {
        JsonNode result =
                api("/api/v1/query?query=" + encode(promql)).path("data").path("result");
        return result.isEmpty()
                ? Double.NaN
                : result.get(0).path("value").get(1).asDouble();
    }

    private static JsonNode api(String path) throws IOException, InterruptedException {
        JsonNode body = JSON.readTree(get(stack.prometheusUrl() + path));
        assertThat(body.path("status").asText()).as("%s: %s", path, body).isEqualTo("success");
        return body;
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
        return r.body();
    }

    private static int port(String url) {
        return URI.create(url).getPort();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Path jar() throws IOException {
        try (Stream<Path> jars = Files.list(LocalStack.repository().resolve("flink-job/target"))) {
            return jars.filter(p -> p.getFileName().toString().matches("vigil-flink-job-.*-job\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No shaded job jar in flink-job/target: mvn package"));
        }
    }
}

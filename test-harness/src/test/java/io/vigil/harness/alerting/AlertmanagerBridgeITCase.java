package io.vigil.harness.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.harness.cluster.LocalStack;
import io.vigil.harness.evaluate.TestAlerts;
import io.vigil.harness.kafka.EmbeddedKafka;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.ChannelDetail;
import io.vigil.schemas.Severity;
import io.vigil.schemas.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.commons.io.file.PathUtils;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge between a real Kafka broker and a real Alertmanager (Debian's, started here), whose
 * webhook receiver is an HTTP server of this test. Each case runs its own bridge process on its own
 * topic, as deployed (launcher, one properties file), and counts what the webhook is notified of: every
 * alert once firing and, once Vigil resolved it, once resolved; never twice.
 */
class AlertmanagerBridgeITCase {

    /**
     * The bridge's timings for these tests, an order of magnitude faster than the defaults. An open alert is
     * sent valid for four resend intervals (20 s): longer than the bridge is down in the kill case (its
     * 4 s plus a start), as the default (4 min) is longer than a restart; Alertmanager would otherwise
     * resolve the alert by itself meanwhile, and notify it again when the bridge is back.
     */
    private static final String TIMINGS = """
            alertmanager.resend-interval=5s
            alertmanager.min-firing=3s
            alertmanager.timeout=2s
            alertmanager.retry.initial-backoff=200ms
            alertmanager.retry.max-backoff=2s
            """;

    private static final Duration NOTIFIED = Duration.ofSeconds(60);
    private static final String ALERTMANAGER = "prometheus-alertmanager";

    private static EmbeddedKafka kafka;
    private static WebhookReceiver webhook;
    private static AlertmanagerProcess alertmanager;
    private static Path work;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        if (!Programs.installed(ALERTMANAGER)) {
            return; // every test is skipped, saying why (requireAlertmanager)
        }
        Path binary = Programs.require(ALERTMANAGER);
        // the logs of Alertmanager and of every bridge stay in target/, to read after a failure
        work = LocalStack.repository().resolve("test-harness/target/alerting");
        if (Files.exists(work)) {
            PathUtils.deleteDirectory(work);
        }
        Path dir = Files.createDirectories(work);
        kafka = EmbeddedKafka.start();
        webhook = new WebhookReceiver();
        alertmanager = new AlertmanagerProcess(binary, dir.resolve("alertmanager"), webhook.url());
        alertmanager.start();
    }

    @BeforeEach
    void requireAlertmanager() {
        Programs.require(ALERTMANAGER);
    }

    @AfterAll
    static void stop() throws Exception {
        if (alertmanager != null) {
            alertmanager.close();
        }
        if (webhook != null) {
            webhook.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void alertsFireWithTheirLabelsAndAnnotationsEscalateAndResolve() throws Exception {
        String topic = topic("basic");
        try (BridgeProcess bridge = bridge(topic);
                KafkaProducer<byte[], byte[]> producer = producer("basic")) {
            bridge.start();
            long t = System.currentTimeMillis();
            Alert pump1 = withChannels(TestAlerts.alert("pump-1", AlertStatus.OPEN, Severity.LOW, t, t));
            Alert pump2 = TestAlerts.alert("pump-2", AlertStatus.OPEN, Severity.MEDIUM, t, t);
            send(producer, topic, pump1, pump2);
            // written in a transaction that aborts: read_committed never sees it
            producer.beginTransaction();
            producer.send(record(topic, TestAlerts.alert("pump-ghost", AlertStatus.OPEN, Severity.CRITICAL, t, t)));
            producer.flush();
            producer.abortTransaction();

            await().atMost(NOTIFIED)
                    .until(() -> activeIds().containsAll(Set.of(pump1.getAlertId(), pump2.getAlertId())));
            JsonNode active = alertmanager.activeAlerts().stream()
                    .filter(a -> a.path("labels").path("alert_id").asText().equals(pump1.getAlertId()))
                    .findFirst()
                    .orElseThrow();
            assertThat(active.path("status").path("state").asText()).isEqualTo("active");
            assertThat(fields(active.path("labels")))
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "alertname",
                            "VigilAnomaly",
                            "alert_id",
                            pump1.getAlertId(),
                            "entity",
                            "pump-1",
                            "stream",
                            "sensor",
                            "severity",
                            "low",
                            "model",
                            TestAlerts.MODEL,
                            "model_version",
                            TestAlerts.VERSION,
                            "team",
                            "sre"));
            assertThat(fields(active.path("annotations")))
                    .containsEntry("score", "0.9700")
                    .containsEntry("threshold", "0.9000")
                    .containsEntry("runbook_url", "https://runbook.example/#vigilanomaly")
                    .containsKeys("summary", "description", "peak_score", "fired_by", "anomalous_events", "opened_at");
            assertThat(active.path("annotations").path("description").asText())
                    .startsWith(
                            "power 53.41 (expected 41.43, 86% of the error); temperature 29.80 (expected 29.70, 14%");
            await().atMost(NOTIFIED).until(() -> notified(pump1, "firing") == 1 && notified(pump2, "firing") == 1);

            // escalated: the low alert resolves, a critical one fires; then Vigil resolves it
            send(producer, topic, TestAlerts.alert("pump-1", AlertStatus.UPDATE, Severity.CRITICAL, t, t + 1_000));
            await().atMost(NOTIFIED)
                    .until(() -> notified(pump1, "firing", "critical") == 1 && notified(pump1, "resolved", "low") == 1);
            send(producer, topic, TestAlerts.alert("pump-1", AlertStatus.RESOLVED, Severity.LOW, t, t + 2_000));
            await().atMost(NOTIFIED).until(() -> notified(pump1, "resolved", "critical") == 1);
            assertThat(activeIds()).doesNotContain(pump1.getAlertId()).contains(pump2.getAlertId());
            assertThat(webhook.received(n -> n.label("entity").equals("pump-ghost")))
                    .isEmpty();
            assertThat(bridge.log())
                    .contains(
                            "Reading alerts from topic " + topic,
                            "Sending them to Alertmanager at " + alertmanager.url() + "/api/v2/alerts",
                            "Alertmanager answers: Alertmanager 0.");
        }
    }

    @Test
    void aBridgeKilledMidStreamAndRestartedLosesNoResolveAndDuplicatesNoNotification() throws Exception {
        String topic = topic("kill");
        int alerts = 30;
        try (BridgeProcess bridge = bridge(topic);
                KafkaProducer<byte[], byte[]> producer = producer("kill")) {
            bridge.start();
            long t0 = System.currentTimeMillis();
            List<Alert> opened = new ArrayList<>();
            List<Alert> resolved = new ArrayList<>();
            // 30 alerts over ~12 s, two in three resolved 1.5 s after opening; the bridge is killed (SIGKILL)
            // after the 10th and started again after the 20th
            for (int i = 0; i < alerts; i++) {
                long t = t0 + i * 400L;
                Alert open = TestAlerts.alert("sensor-" + i, AlertStatus.OPEN, Severity.HIGH, t, t);
                opened.add(open);
                send(producer, topic, open);
                int j = i - 4; // the alert opened four steps (1.6 s) earlier is resolved, unless j % 3 == 2
                if (j >= 0 && j % 3 != 2) {
                    Alert r = TestAlerts.alert("sensor-" + j, AlertStatus.RESOLVED, Severity.HIGH, t0 + j * 400L, t);
                    resolved.add(r);
                    send(producer, topic, r);
                }
                if (i == 10) {
                    bridge.kill();
                }
                if (i == 20) {
                    bridge.start();
                }
                Thread.sleep(400);
            }
            awaitEveryNotification(opened, resolved);
            assertThat(bridge.log()).contains("Read the topic's");
        }
    }

    @Test
    void alertmanagerStoppedFor30sAndStartedAgainStillGetsEveryAlert() throws Exception {
        String topic = topic("amdown");
        try (BridgeProcess bridge = bridge(topic);
                KafkaProducer<byte[], byte[]> producer = producer("amdown")) {
            bridge.start();
            long t = System.currentTimeMillis();
            List<Alert> opened = new ArrayList<>();
            List<Alert> resolved = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                opened.add(TestAlerts.alert("before-" + i, AlertStatus.OPEN, Severity.MEDIUM, t, t));
            }
            send(producer, topic, opened.toArray(Alert[]::new));
            await().atMost(NOTIFIED).until(() -> opened.stream().allMatch(a -> notified(a, "firing") == 1));

            long stopped = System.nanoTime();
            alertmanager.stop();
            long d = System.currentTimeMillis();
            for (int i = 0; i < 2; i++) { // resolved while Alertmanager is down
                Alert r = TestAlerts.alert("before-" + i, AlertStatus.RESOLVED, Severity.MEDIUM, t, d);
                resolved.add(r);
                send(producer, topic, r);
            }
            for (int i = 0; i < 4; i++) { // opened while it is down
                Alert o = TestAlerts.alert("during-" + i, AlertStatus.OPEN, Severity.HIGH, d, d);
                opened.add(o);
                send(producer, topic, o);
            }
            Alert brief =
                    TestAlerts.alert("brief", AlertStatus.OPEN, Severity.LOW, d, d); // opened and resolved while down
            opened.add(brief);
            send(producer, topic, brief);
            Alert briefEnd = TestAlerts.alert("brief", AlertStatus.RESOLVED, Severity.LOW, d, d + 1_000);
            resolved.add(briefEnd);
            send(producer, topic, briefEnd);
            Thread.sleep(Math.max(0, Duration.ofSeconds(30).toMillis() - (System.nanoTime() - stopped) / 1_000_000));
            alertmanager.start();

            awaitEveryNotification(opened, resolved);
            Set<String> stillOpen = opened.stream().map(Alert::getAlertId).collect(Collectors.toSet());
            resolved.forEach(r -> stillOpen.remove(r.getAlertId()));
            await().atMost(NOTIFIED).until(() -> activeIds().containsAll(stillOpen));
            assertThat(bridge.log()).contains("Cannot send", "accepts alerts again after");
        }
    }

    /**
     * Waits until every opened alert was notified firing and every resolved one resolved, then for two
     * more resend intervals, and asserts each exactly once: nothing lost, nothing twice, nothing revived.
     */
    private static void awaitEveryNotification(List<Alert> opened, List<Alert> resolved) throws InterruptedException {
        await().atMost(NOTIFIED)
                .until(() -> opened.stream().allMatch(a -> notified(a, "firing") >= 1)
                        && resolved.stream().allMatch(a -> notified(a, "resolved") >= 1));
        Thread.sleep(10_000);
        Map<String, String> counts = new TreeMap<>();
        for (Alert a : opened) {
            counts.put(a.getEntityId(), notified(a, "firing") + " firing, " + notified(a, "resolved") + " resolved");
        }
        Map<String, String> expected = new TreeMap<>();
        Set<String> resolvedIds = resolved.stream().map(Alert::getAlertId).collect(Collectors.toSet());
        for (Alert a : opened) {
            expected.put(a.getEntityId(), "1 firing, " + (resolvedIds.contains(a.getAlertId()) ? 1 : 0) + " resolved");
        }
        assertThat(counts).as("notifications per alert").isEqualTo(expected);
        for (Alert a : resolved) {
            List<String> order = webhook.received(n -> n.label("alert_id").equals(a.getAlertId())).stream()
                    .map(WebhookReceiver.Notified::status)
                    .toList();
            assertThat(order)
                    .as("notifications of %s, in order", a.getEntityId())
                    .containsExactly("firing", "resolved");
        }
    }

    private static long notified(Alert a, String status) {
        return webhook.received(n ->
                        n.label("alert_id").equals(a.getAlertId()) && n.status().equals(status))
                .size();
    }

    private static long notified(Alert a, String status, String severity) {
        return webhook.received(n -> n.label("alert_id").equals(a.getAlertId())
                        && n.status().equals(status)
                        && n.label("severity").equals(severity))
                .size();
    }

    private static Set<String> activeIds() throws IOException, InterruptedException {
        return alertmanager.activeAlerts().stream()
                .map(a -> a.path("labels").path("alert_id").asText())
                .collect(Collectors.toSet());
    }

    private static Map<String, String> fields(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static Alert withChannels(Alert a) {
        return Alert.newBuilder(a)
                .setChannels(List.of(
                        new ChannelDetail("power", 41.43, 53.41, 0.86),
                        new ChannelDetail("temperature", 29.7, 29.8, 0.14)))
                .build();
    }

    private static String topic(String name) {
        kafka.createTopic(name, 2, Map.of());
        return name;
    }

    /** A bridge process reading {@code topic} with a group of its own, configured as deploy/ configures it. */
    private BridgeProcess bridge(String topic) throws IOException {
        Path config = tmp.resolve(topic + ".properties");
        Files.writeString(config, """
                kafka.bootstrap-servers=%s
                kafka.topic=%s
                kafka.group-id=bridge-%s
                alertmanager.url=%s
                alert.runbook-url=https://runbook.example/#vigilanomaly
                alert.labels.team=sre
                metrics.listen=127.0.0.1:0
                """.formatted(kafka.bootstrapServers(), topic, topic, alertmanager.url()) + TIMINGS);
        return new BridgeProcess(LocalStack.repository(), config, work.resolve("bridge-" + topic + ".log"));
    }

    private static KafkaProducer<byte[], byte[]> producer(String id) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "alerts-" + id);
        KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    /** Writes the records in one committed transaction, as the job's exactly-once sink does. */
    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, Alert... alerts) {
        producer.beginTransaction();
        for (Alert a : alerts) {
            producer.send(record(topic, a));
        }
        producer.commitTransaction();
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, Alert a) {
        return new ProducerRecord<>(topic, a.getEntityId().getBytes(StandardCharsets.UTF_8), WireFormat.encode(a));
    }
}

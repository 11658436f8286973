package io.vigil.harness.evaluate;

import static io.vigil.harness.evaluate.TestAlerts.open;
import static io.vigil.harness.evaluate.TestAlerts.resolved;
import static io.vigil.harness.evaluate.TestAlerts.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vigil.harness.HarnessCli;
import io.vigil.harness.generate.AnomalyKind;
import io.vigil.harness.generate.AnomalyWindow;
import io.vigil.harness.generate.GeneratorConfig;
import io.vigil.harness.kafka.EmbeddedKafka;
import io.vigil.harness.truth.EventLabel;
import io.vigil.harness.truth.EventLabelsCsv;
import io.vigil.harness.truth.GroundTruth;
import io.vigil.schemas.Alert;
import io.vigil.schemas.WireFormat;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator against a real broker topic written the way the job writes it (transactions), with
 * hand-written alerts whose scores are computed by hand below.
 *
 * <pre>
 * events every 1 s, 500 per entity (0..499), tolerance 16 events
 * A: W1 LEVEL_SHIFT 100..149   E1 open 103, resolved 160    detects W1, delay 3
 * A: W2 SPIKE       300..301   E2 open 305, resolved 312    detects W2 (305 <= 301 + 16), delay 5
 * B: W3 DRIFT       200..259   E3 open 230, update 240, resolved 270   detects W3, delay 30
 * B:                           E4 open 350, resolved 355    false alarm
 * B: W4 STUCK       400..439   (an OPEN at 405 + RESOLVED in an ABORTED transaction)   missed
 * one committed record of garbage bytes
 *
 * windows 3/4 = 0.75; episodes 4, true 3 = 0.75; F1 0.75
 * delays 3000, 5000, 30000 ms: median (nearest rank 2 of 3) 5000, p90 (rank 3) 30000
 * events (covered = [open, resolved)):
 *   E1 103..159 vs W1 100..149: TP 47, FP 10, FN 3
 *   E2 305..311 vs W2 300..301: FP 7, FN 2
 *   E3 230..269 vs W3 200..259: TP 30, FP 10, FN 30
 *   E4 350..354: FP 5;  W4: FN 40
 *   TP 77, FP 32, FN 75, TN 1000 - 184 = 816
 * </pre>
 */
class AlertEvaluatorITCase {

    private static final long T0 = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    private static final long S = 1_000;
    private static final String A = "sensor-001";
    private static final String B = "sensor-002";
    private static final Duration IDLE = Duration.ofSeconds(2);

    private static EmbeddedKafka kafka;

    private static final List<AnomalyWindow> WINDOWS = List.of(
            window("W1", A, AnomalyKind.LEVEL_SHIFT, 100, 149),
            window("W2", A, AnomalyKind.SPIKE, 300, 301),
            window("W3", B, AnomalyKind.DRIFT, 200, 259),
            window("W4", B, AnomalyKind.STUCK, 400, 439));

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
        kafka.createTopic("alerts", 2, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
            producer.initTransactions();

            producer.beginTransaction();
            send(
                    producer,
                    open(A, t(103)),
                    resolved(A, t(103), t(160)),
                    open(A, t(305)),
                    resolved(A, t(305), t(312)),
                    open(B, t(230)),
                    update(B, t(230), t(240)),
                    resolved(B, t(230), t(270)));
            producer.commitTransaction();

            producer.beginTransaction();
            send(producer, open(B, t(405)), resolved(B, t(405), t(420)));
            producer.flush();
            producer.abortTransaction(); // as after a failed checkpoint: never visible to read_committed

            producer.beginTransaction();
            send(producer, open(B, t(350)), resolved(B, t(350), t(355)));
            producer.send(
                    new ProducerRecord<>("alerts", B.getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3, 4, 5}));
            producer.commitTransaction();
        }
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void scoresTheCommittedAlertsAgainstTheHandComputedAnswer() {
        AlertEvaluator evaluator = new AlertEvaluator(WINDOWS, labels(), AlertEvaluator.Options.of(S));
        AlertEvaluation r = evaluator.evaluateTopic(
                AlertTopicReader.Options.of(kafka.bootstrapServers(), "alerts", IDLE, Duration.ofSeconds(30)));

        assertThat(r.windows().total()).isEqualTo(4);
        assertThat(r.windows().detected()).isEqualTo(3);
        assertThat(r.windows().recall()).isEqualTo(0.75);
        assertThat(r.windows().byKind().get(AnomalyKind.STUCK)).isEqualTo(new AlertEvaluation.KindCount(1, 0));
        assertThat(r.alerts().episodes()).isEqualTo(4);
        assertThat(r.alerts().falsePositive()).isEqualTo(1);
        assertThat(r.alerts().precision()).isEqualTo(0.75);
        assertThat(r.f1()).isCloseTo(0.75, within(1e-12));

        assertThat(r.delay().count()).isEqualTo(3);
        assertThat(r.delay().medianMillis()).isEqualTo(5_000.0);
        assertThat(r.delay().p90Millis()).isEqualTo(30_000.0);
        assertThat(r.delay().medianEvents()).isEqualTo(5.0);
        assertThat(r.delay().p90Events()).isEqualTo(30.0);

        var c = r.events().confusion();
        assertThat(List.of(c.tp(), c.fp(), c.fn(), c.tn())).containsExactly(77L, 32L, 75L, 816L);
        assertThat(r.events().precision()).isCloseTo(77 / 109.0, within(1e-12));
        assertThat(r.events().recall()).isCloseTo(77 / 152.0, within(1e-12));
        assertThat(r.events().f1()).isCloseTo(2 * 77 / (2 * 77 + 32 + 75.0), within(1e-12));

        AlertEvaluation.Integrity i = r.integrity();
        assertThat(i.recordsRead()).isEqualTo(10); // 9 committed alerts + 1 garbage; the aborted 2 are not read
        assertThat(i.undecodable()).isEqualTo(1);
        assertThat(i.alerts()).isEqualTo(9);
        assertThat(i.distinctAlertIds()).isEqualTo(4);
        assertThat(i.duplicates()).isZero();
        assertThat(i.resolvedWithoutOpen()).isZero();
        assertThat(i.neverResolved()).isZero();
    }

    @Test
    void evaluateCommandPrintsTheReportAndEnforcesRequirements(@TempDir Path dir) throws Exception {
        Path truth = dir.resolve("truth.json");
        Path labels = dir.resolve("labels.csv");
        GeneratorConfig config = GeneratorConfig.builder()
                .entities(2)
                .eventsPerEntity(500)
                .start(Instant.ofEpochMilli(T0))
                .anomaliesPerEntity(0)
                .build();
        new GroundTruth(config, Map.of(A, 500L, B, 500L), WINDOWS).write(truth);
        try (BufferedWriter w = Files.newBufferedWriter(labels)) {
            w.write("entity,timestamp,label\n");
            for (EventLabel l : labels()) {
                w.write(l.entityId() + "," + l.timestampMillis() + "," + (l.anomalous() ? 1 : 0) + "\n");
            }
        }
        assertThat(EventLabelsCsv.read(labels)).hasSize(1_000);
        Path json = dir.resolve("report.json");
        String[] common = {
            "evaluate",
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--topic",
            "alerts",
            "--truth",
            truth.toString(),
            "--labels",
            labels.toString(),
            "--idle-seconds",
            "2",
            "--json",
            json.toString()
        };

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HarnessCli.run(
                concat(common, "--require-no-duplicates", "--require-recall", "0.7"),
                new PrintWriter(out),
                new PrintWriter(err));
        assertThat(code).as("stderr: %s", err).isZero();
        assertThat(out.toString())
                .contains("3/4 detected (recall 0.750)")
                .contains("precision 0.750")
                .contains("median 5.0 events (5000 ms), p90 30.0 events (30000 ms)")
                .contains("TP 77, FP 32, FN 75, TN 816")
                .contains("10 records (1 undecodable), 4 alert ids, 0 duplicates");
        assertThat(Files.readString(json)).contains("\"recall\" : 0.75");

        StringWriter err2 = new StringWriter();
        int failed = HarnessCli.run(
                concat(common, "--require-precision", "0.9"),
                new PrintWriter(new StringWriter()),
                new PrintWriter(err2));
        assertThat(failed).isEqualTo(HarnessCli.FAILURE);
        assertThat(err2.toString()).contains("alert precision 0.750 < 0.900");
    }

    @Test
    void aMissingAlertTopicFailsTheRunAfterTheDeadline(@TempDir Path dir) {
        Path truth = dir.resolve("truth.json");
        new GroundTruth(GeneratorConfig.builder().anomaliesPerEntity(0).build(), Map.of(), List.of()).write(truth);
        StringWriter err = new StringWriter();
        int code = HarnessCli.run(
                new String[] {
                    "evaluate",
                    "--bootstrap-servers",
                    kafka.bootstrapServers(),
                    "--topic",
                    "no-such",
                    "--truth",
                    truth.toString(),
                    "--idle-seconds",
                    "1",
                    "--timeout-seconds",
                    "2"
                },
                new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertThat(code).isEqualTo(HarnessCli.FAILURE);
        assertThat(err.toString()).contains("alert topic 'no-such' does not exist");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static long t(long event) {
        return T0 + event * S;
    }

    private static AnomalyWindow window(String id, String entity, AnomalyKind kind, long first, long last) {
        return new AnomalyWindow(
                id,
                entity,
                kind,
                Instant.ofEpochMilli(t(first)),
                Instant.ofEpochMilli(t(last)),
                List.of("temperature"),
                "");
    }

    private static List<EventLabel> labels() {
        List<EventLabel> out = new ArrayList<>();
        for (String entity : List.of(A, B)) {
            for (int i = 0; i < 500; i++) {
                Instant time = Instant.ofEpochMilli(t(i));
                boolean anomalous = WINDOWS.stream().anyMatch(w -> w.entityId().equals(entity) && w.contains(time));
                out.add(new EventLabel(entity, t(i), anomalous));
            }
        }
        return out;
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "alert-evaluator-it");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Alert... alerts) {
        for (Alert a : alerts) {
            producer.send(new ProducerRecord<>(
                    "alerts", a.getEntityId().getBytes(StandardCharsets.UTF_8), WireFormat.encode(a)));
        }
    }
}

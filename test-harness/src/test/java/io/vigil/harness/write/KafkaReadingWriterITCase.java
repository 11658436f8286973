package io.vigil.harness.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.harness.HarnessCli;
import io.vigil.harness.generate.GeneratorConfig;
import io.vigil.harness.generate.LabeledReading;
import io.vigil.harness.generate.SensorStreamGenerator;
import io.vigil.harness.kafka.EmbeddedKafka;
import io.vigil.harness.truth.GroundTruth;
import io.vigil.schemas.SensorReading;
import io.vigil.schemas.WireFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readings reach a real broker in the wire format, keyed by entity, with the bad records counted exactly. */
class KafkaReadingWriterITCase {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void writesDecodableReadingsKeyedByEntityAndCountsTheGarbage() {
        kafka.createTopic("readings", 3, Map.of());
        GeneratorConfig config = GeneratorConfig.builder()
                .entities(3)
                .eventsPerEntity(1_000)
                .seed(9)
                .build();
        SensorStreamGenerator generator = new SensorStreamGenerator(config);
        KafkaReadingWriter.Report report;
        try (KafkaReadingWriter w = new KafkaReadingWriter(
                KafkaReadingWriter.Config.of(kafka.bootstrapServers(), "readings")
                        .withGarbage(0.05, 17),
                config.channels())) {
            generator.forEach(w::accept);
            report = w.finish();
        }
        assertThat(report.readings()).isEqualTo(3_000);
        assertThat(report.garbageTotal()).isEqualTo(150); // floor(3000 * 0.05), exactly
        assertThat(report.failedSends()).isZero();
        assertThat(report.garbage().values()).allMatch(n -> n > 25); // all three kinds present

        Map<KafkaReadingWriter.Garbage, Long> seen = new HashMap<>();
        List<SensorReading> good = new ArrayList<>();
        BinaryMessageDecoder<SensorReading> decoder = WireFormat.decoder(SensorReading.class);
        for (ConsumerRecord<byte[], byte[]> r : readAll("readings", 3_150)) {
            SensorReading reading;
            try {
                reading = decoder.decode(r.value());
            } catch (Exception e) {
                seen.merge(KafkaReadingWriter.Garbage.UNDECODABLE, 1L, Long::sum);
                continue;
            }
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(reading.getEntityId());
            if (reading.getValues().size() < config.channels().size()) {
                seen.merge(KafkaReadingWriter.Garbage.MISSING_CHANNEL, 1L, Long::sum);
            } else if (reading.getValues().values().stream().anyMatch(v -> v.isNaN())) {
                seen.merge(KafkaReadingWriter.Garbage.NAN_VALUE, 1L, Long::sum);
            } else {
                good.add(reading);
            }
        }
        assertThat(seen).isEqualTo(report.garbage());
        assertThat(good).hasSize(3_000);

        // The good records are the generated readings; per entity (one partition each) in order.
        LabeledReading first = generator.readings().get(0);
        SensorReading firstOnWire = good.stream()
                .filter(g -> g.getEntityId().equals(first.entityId()))
                .findFirst()
                .orElseThrow();
        assertThat(firstOnWire).isEqualTo(first.toSensorReading(config.channels()));
    }

    @Test
    void paceHoldsTheTargetRate() {
        kafka.createTopic("paced", 1, Map.of());
        GeneratorConfig config = GeneratorConfig.builder()
                .entities(2)
                .eventsPerEntity(300)
                .anomaliesPerEntity(0)
                .build();
        KafkaReadingWriter.Report report;
        try (KafkaReadingWriter w = new KafkaReadingWriter(
                KafkaReadingWriter.Config.of(kafka.bootstrapServers(), "paced").withRate(1_000), config.channels())) {
            new SensorStreamGenerator(config).forEach(w::accept);
            report = w.finish();
        }
        // 600 readings at 1000/s: at least 0.6 s less the first interval, and not much slower.
        assertThat(report.elapsedMillis()).isBetween(590L, 2_000L);
        assertThat(report.eventsPerSecond()).isBetween(300.0, 1_020.0);
    }

    @Test
    void generateCommandWritesKafkaAndFilesFromOnePass(@TempDir Path dir) throws Exception {
        kafka.createTopic("cli-readings", 2, Map.of());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HarnessCli.run(
                new String[] {
                    "generate",
                    "--entities",
                    "2",
                    "--events",
                    "1000",
                    "--seed",
                    "4",
                    "--bootstrap-servers",
                    kafka.bootstrapServers(),
                    "--topic",
                    "cli-readings",
                    "--garbage-fraction",
                    "0.01",
                    "--truth",
                    dir.resolve("truth.json").toString(),
                    "--labels",
                    dir.resolve("labels.csv").toString(),
                    "--csv",
                    dir.resolve("live.csv").toString(),
                    "--history-csv",
                    dir.resolve("history.csv").toString(),
                    "--history-events",
                    "3000"
                },
                new PrintWriter(out),
                new PrintWriter(err));
        assertThat(code).as("stderr: %s", err).isZero();
        assertThat(out.toString())
                .contains("generated 2000 readings of 2 entities")
                .contains("10 anomaly windows")
                .contains("2000 readings + 20 garbage")
                .contains("history   6000 readings");

        assertThat(readAll("cli-readings", 2_020)).hasSize(2_020);
        GroundTruth truth = GroundTruth.read(dir.resolve("truth.json"));
        assertThat(truth.windows()).hasSize(10);
        assertThat(truth.generator().seed()).isEqualTo(4);
        assertThat(Files.readAllLines(dir.resolve("labels.csv"))).hasSize(2_001);
        List<String> live = Files.readAllLines(dir.resolve("live.csv"));
        assertThat(live.get(0)).isEqualTo("timestamp,entity,temperature,pressure,vibration,power,label");
        assertThat(live).hasSize(2_001);
        List<String> history = Files.readAllLines(dir.resolve("history.csv"));
        assertThat(history).hasSize(6_001).allMatch(l -> !l.endsWith(",1"));
        // History ends just before the live stream starts.
        long lastHistory = Long.parseLong(history.get(history.size() - 1).split(",")[0]);
        long firstLive = Long.parseLong(live.get(1).split(",")[0]);
        assertThat(firstLive - lastHistory).isBetween(1L, 1_000L);
    }

    /** Reads until {@code expected} records arrived and one more poll brings nothing. */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.currentTimeMillis() + 20_000;
            boolean done = false;
            while (!done && System.currentTimeMillis() < deadline) {
                var batch = c.poll(Duration.ofMillis(300));
                batch.forEach(out::add);
                done = out.size() >= expected && batch.isEmpty();
            }
        }
        return out;
    }
}

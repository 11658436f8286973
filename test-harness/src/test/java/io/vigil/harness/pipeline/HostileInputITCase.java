package io.vigil.harness.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.harness.flink.TestClusters;
import io.vigil.harness.generate.GeneratorConfig;
import io.vigil.harness.generate.LabeledReading;
import io.vigil.harness.generate.SensorStreamGenerator;
import io.vigil.harness.kafka.CommittedRecords;
import io.vigil.harness.kafka.EmbeddedKafka;
import io.vigil.job.config.VigilOptions;
import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.KafkaIO;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.SensorReading;
import io.vigil.schemas.WireFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input at volume, through the production pipeline on a real broker: 100,000 generated bad
 * payloads of every kind (truncated Avro, unknown schema fingerprints, random bytes, length prefixes
 * claiming gigabytes, huge strings and records, thousands of channels, NaN and infinities, negative
 * and far-future times, empty entity ids, missing channels, empty values) interleaved with a valid
 * stream of ten sensors. The job (no restarts allowed: any failure fails the test) must finish, every
 * bad payload must be in the dead-letter topic with the reason its kind calls for, and every valid
 * reading must be scored exactly once.
 */
class HostileInputITCase {

    private static final int ENTITIES = 10;
    private static final int EVENTS = 1000;
    private static final int WINDOW = 8;
    private static final int HOSTILE = 100_000;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestClusters.miniCluster(2, 1);

    private static EmbeddedKafka kafka;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start(tmp.resolve("kafka"));
        kafka.createTopic("readings", 4, Map.of());
        kafka.createTopic("alerts", 2, Map.of());
        kafka.createTopic("scores", 2, Map.of());
        kafka.createTopic("dead-letter", 2, Map.of());
        kafka.createTopic("model-updates", 1, Map.of("cleanup.policy", "compact"));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void aHundredThousandBadPayloadsAreDeadLetteredWithTheirReasonAndEveryValidReadingIsScoredOnce() throws Exception {
        GeneratorConfig liveConfig = GeneratorConfig.builder()
                .entities(ENTITIES)
                .eventsPerEntity(EVENTS)
                .anomaliesPerEntity(0)
                .seed(21)
                .build();
        SensorStreamGenerator live = new SensorStreamGenerator(liveConfig);
        Path store = PipelineFixture.trainAndPublish(live, "hostile", WINDOW, tmp);

        // the valid stream, with HOSTILE / readings bad payloads after each reading
        List<LabeledReading> all = live.readings();
        Hostile hostile = new Hostile(live.entityIds(), live.channels(), liveConfig.start(), new Random(18));
        Map<String, Integer> expectedReasons = new TreeMap<>();
        int perReading = HOSTILE / all.size();
        try (KafkaProducer<byte[], byte[]> producer = PipelineFixture.producer(kafka)) {
            for (LabeledReading r : all) {
                byte[] key = r.entityId().getBytes(StandardCharsets.UTF_8);
                producer.send(
                        new ProducerRecord<>("readings", key, WireFormat.encode(r.toSensorReading(live.channels()))));
                for (int k = 0; k < perReading; k++) {
                    Hostile.Payload p = hostile.next();
                    expectedReasons.merge(p.reason(), 1, Integer::sum);
                    producer.send(new ProducerRecord<>("readings", key, p.bytes()));
                }
            }
            producer.flush();
        }

        Map<String, String> settings =
                PipelineFixture.settings(kafka, store, "hostile", "readings", "", "vigil-hostile");
        settings.put(VigilOptions.STOP_AT_END.key(), "true");
        settings.put("execution.checkpointing.interval", "1s");
        settings.put("restart-strategy.type", "none");
        JobExecutionResult result = PipelineFixture.submit(settings, "vigil-hostile-it")
                .getJobExecutionResult()
                .get(); // throws if the job failed

        Set<String> scored = new HashSet<>();
        var decoder = WireFormat.decoder(EventScore.class);
        List<ConsumerRecord<byte[], byte[]>> scores = CommittedRecords.read(kafka.bootstrapServers(), "scores");
        for (ConsumerRecord<byte[], byte[]> rec : scores) {
            EventScore s = decoder.decode(rec.value());
            scored.add(s.getEntityId() + "@" + s.getEventTime().toEpochMilli());
        }
        List<ConsumerRecord<byte[], byte[]>> dead = CommittedRecords.read(kafka.bootstrapServers(), "dead-letter");
        Map<String, Integer> reasons = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> d : dead) {
            reasons.merge(
                    new String(d.headers().lastHeader(KafkaIO.HEADER_REASON).value(), StandardCharsets.UTF_8),
                    1,
                    Integer::sum);
        }
        System.out.printf(
                "[hostile] %,d valid readings and %,d bad payloads in; job finished in %,d ms without a"
                        + " failure; scores %,d (distinct %,d) of %,d; dead-lettered %,d by reason %s%n",
                all.size(),
                perReading * all.size(),
                result.getNetRuntime(),
                scores.size(),
                scored.size(),
                (long) ENTITIES * (EVENTS - WINDOW + 1),
                dead.size(),
                reasons);

        assertThat(perReading * all.size()).isEqualTo(HOSTILE);
        assertThat(scores).hasSize(ENTITIES * (EVENTS - WINDOW + 1));
        assertThat(scored).hasSize(scores.size());
        assertThat(reasons).isEqualTo(expectedReasons);
        assertThat(expectedReasons.keySet())
                .containsAll(List.of(
                        DeadLetter.UNDECODABLE,
                        DeadLetter.UNKNOWN_SCHEMA,
                        DeadLetter.EMPTY_VALUE,
                        DeadLetter.EMPTY_ENTITY,
                        DeadLetter.BAD_TIMESTAMP,
                        DeadLetter.MISSING_CHANNEL,
                        DeadLetter.INVALID_VALUE,
                        DeadLetter.OVERSIZED));
    }

    /** Bad payloads of every kind, each with the reason the job must give it. */
    private static final class Hostile {
        record Payload(byte[] bytes, String reason) {}

        private final List<String> entities;
        private final List<String> channels;
        private final Instant start;
        private final Random r;
        private final byte[] valid;
        private int n;

        Hostile(List<String> entities, List<String> channels, Instant start, Random r) {
            this.entities = entities;
            this.channels = channels;
            this.start = start;
            this.r = r;
            this.valid = WireFormat.encode(reading(entities.get(0), start, 1.0, 0));
        }

        Payload next() {
            n++;
            if (n % 1000 == 0) { // a few huge ones: 300 KB of tag, past the record limit
                SensorReading big = reading(entity(), start, 1.0, 0);
                big.setTags(Map.of("note", "x".repeat(300 * 1024)));
                return new Payload(WireFormat.encode(big), DeadLetter.OVERSIZED);
            }
            if (n % 100 == 0) { // thousands of channels
                return new Payload(WireFormat.encode(reading(entity(), start, 1.0, 2000)), DeadLetter.OVERSIZED);
            }
            return switch (r.nextInt(12)) {
                case 0 -> new Payload(Arrays.copyOf(valid, 10 + r.nextInt(valid.length - 11)), DeadLetter.UNDECODABLE);
                case 1 -> {
                    byte[] b = valid.clone();
                    for (int i = 2; i < 10; i++) {
                        b[i] = (byte) r.nextInt(256); // a fingerprint no schema has
                    }
                    yield new Payload(b, DeadLetter.UNKNOWN_SCHEMA);
                }
                case 2 -> {
                    byte[] b = new byte[1 + r.nextInt(200)];
                    r.nextBytes(b);
                    b[0] = (byte) (b[0] == (byte) 0xC3 ? 0x42 : b[0]); // not a single-object header
                    yield new Payload(b, DeadLetter.UNDECODABLE);
                }
                case 3 -> { // the entity id's length claims a gigabyte
                    byte[] b = Arrays.copyOf(valid, 16);
                    byte[] claim = {(byte) 0x80, (byte) 0xA8, (byte) 0xD6, (byte) 0xB9, (byte) 0x07};
                    System.arraycopy(claim, 0, b, 10, claim.length);
                    yield new Payload(b, DeadLetter.UNDECODABLE);
                }
                case 4 ->
                    new Payload(WireFormat.encode(withEntity("e".repeat(257 + r.nextInt(5000)))), DeadLetter.OVERSIZED);
                case 5 ->
                    new Payload(
                            WireFormat.encode(reading(
                                    entity(),
                                    start,
                                    pick(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY),
                                    0)),
                            DeadLetter.INVALID_VALUE);
                case 6 ->
                    new Payload(
                            WireFormat.encode(
                                    reading(entity(), Instant.ofEpochMilli(-1 - r.nextInt(1_000_000)), 1.0, 0)),
                            DeadLetter.BAD_TIMESTAMP);
                case 7 ->
                    new Payload(
                            WireFormat.encode(reading(
                                    entity(), Instant.now().plus(Duration.ofDays(365L * (1 + r.nextInt(50)))), 1.0, 0)),
                            DeadLetter.BAD_TIMESTAMP);
                case 8 ->
                    new Payload(WireFormat.encode(withEntity(r.nextBoolean() ? "" : "  ")), DeadLetter.EMPTY_ENTITY);
                case 9 -> {
                    SensorReading missing = reading(entity(), start, 1.0, 0);
                    Map<String, Double> values = new HashMap<>(missing.getValues());
                    values.remove(channels.get(r.nextInt(channels.size())));
                    missing.setValues(values);
                    yield new Payload(WireFormat.encode(missing), DeadLetter.MISSING_CHANNEL);
                }
                case 10 -> new Payload(new byte[0], DeadLetter.EMPTY_VALUE);
                default -> { // a valid header, then random bytes after a negative length
                    byte[] b = Arrays.copyOf(valid, 10 + 1 + r.nextInt(40));
                    for (int i = 10; i < b.length; i++) {
                        b[i] = (byte) r.nextInt(256);
                    }
                    b[10] = (byte) 0x01; // zig-zag for -1
                    yield new Payload(b, DeadLetter.UNDECODABLE);
                }
            };
        }

        private String entity() {
            return entities.get(r.nextInt(entities.size()));
        }

        private double pick(double... options) {
            return options[r.nextInt(options.length)];
        }

        private SensorReading withEntity(String entity) {
            return reading(entity, start, 1.0, 0);
        }

        private SensorReading reading(String entity, Instant time, double v, int extraChannels) {
            Map<String, Double> values = new LinkedHashMap<>();
            channels.forEach(c -> values.put(c, v));
            for (int i = 0; i < extraChannels; i++) {
                values.put("extra-" + i, (double) i);
            }
            return SensorReading.newBuilder()
                    .setEntityId(entity)
                    .setEventTime(time)
                    .setValues(values)
                    .build();
        }
    }
}

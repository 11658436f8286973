package io.vigil.harness.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.harness.flink.TestClusters;
import io.vigil.harness.generate.GeneratorConfig;
import io.vigil.harness.generate.LabeledReading;
import io.vigil.harness.generate.SensorStreamGenerator;
import io.vigil.harness.kafka.CommittedRecords;
import io.vigil.harness.kafka.EmbeddedKafka;
import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.KafkaIO;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.SensorReading;
import io.vigil.schemas.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer moves to a newer reading schema while the job runs the older one. The job (the production
 * pipeline, unbounded, on a real broker and a MiniCluster) runs with a schema store directory; the
 * producers write the first half of every sensor's stream with the job's schema, then their team puts
 * the newer schema (the job's plus a field {@code site} with a default) in the store, and the producers
 * write the second half with it. Every reading of both halves must be scored exactly once and nothing
 * dead-lettered, except one reading written with a third schema nobody put in the store, which must be
 * dead-lettered as {@code unknown-schema} with a detail naming the store.
 */
class SchemaEvolutionITCase {

    private static final int ENTITIES = 10;
    private static final int EVENTS = 600;
    private static final int WINDOW = 8;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestClusters.miniCluster(1, 2);

    @TempDir
    static Path tmp;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void broker() {
        kafka = EmbeddedKafka.start(tmp.resolve("kafka"));
        for (String t : List.of("alerts", "scores", "dead-letter")) {
            kafka.createTopic(t, 2, Map.of());
        }
        kafka.createTopic("readings", 4, Map.of());
        kafka.createTopic("model-updates", 1, Map.of("cleanup.policy", "compact"));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void readingsOfANewerSchemaPutInTheStoreAreScoredByTheRunningJobAndAnUnpublishedOneIsDeadLettered()
            throws Exception {
        GeneratorConfig liveConfig = GeneratorConfig.builder()
                .entities(ENTITIES)
                .eventsPerEntity(EVENTS)
                .anomaliesPerEntity(1)
                .seed(55)
                .build();
        SensorStreamGenerator live = new SensorStreamGenerator(liveConfig);
        Path store = PipelineFixture.trainAndPublish(live, "evolution", WINDOW, tmp);
        Path schemas = Files.createDirectories(tmp.resolve("schemas"));

        Map<String, String> settings =
                PipelineFixture.settings(kafka, store, "evolution", "readings", "", "vigil-evolution");
        settings.put("schema.store", schemas.toString());
        settings.put("execution.checkpointing.interval", "500ms");
        settings.put("restart-strategy.type", "none");
        JobClient job = PipelineFixture.submit(settings, "vigil-schema-evolution");
        try {
            List<LabeledReading> all = live.readings();
            Map<String, Integer> seen = new LinkedHashMap<>();
            List<LabeledReading> older = new ArrayList<>();
            List<LabeledReading> newer = new ArrayList<>();
            for (LabeledReading r : all) {
                (seen.merge(r.entityId(), 1, Integer::sum) <= EVENTS / 2 ? older : newer).add(r);
            }
            long firstHalfScores = (long) ENTITIES * (EVENTS / 2 - WINDOW + 1);
            long allScores = (long) ENTITIES * (EVENTS - WINDOW + 1);

            // the producers on the job's schema
            Schema v3 = withField(SensorReading.getClassSchema(), "site", "unknown");
            Schema v4 = withField(v3, "rack", "none");
            try (KafkaProducer<byte[], byte[]> producer = PipelineFixture.producer(kafka)) {
                for (LabeledReading r : older) {
                    send(producer, r.entityId(), WireFormat.encode(r.toSensorReading(live.channels())));
                }
                producer.flush();
            }
            CommittedRecords.await(kafka.bootstrapServers(), "scores", firstHalfScores, Duration.ofMinutes(3));

            // their team puts the newer schema in the job's store (written aside, then renamed), then they move
            Path aside = schemas.resolve("SensorReading-v3.avsc.part");
            Files.writeString(aside, v3.toString(true));
            Files.move(aside, schemas.resolve("SensorReading-v3.avsc"), StandardCopyOption.ATOMIC_MOVE);
            try (KafkaProducer<byte[], byte[]> producer = PipelineFixture.producer(kafka)) {
                for (LabeledReading r : newer) {
                    send(producer, r.entityId(), encode(v3, r.entityId(), r, live.channels()));
                }
                // one producer even further ahead, whose schema nobody published
                send(producer, "rogue-1", encode(v4, "rogue-1", newer.get(0), live.channels()));
                producer.flush();
            }
            Awaitility.await("every reading scored and the rogue one dead-lettered")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> CommittedRecords.read(kafka.bootstrapServers(), "scores")
                                            .size()
                                    >= allScores
                            && !CommittedRecords.read(kafka.bootstrapServers(), "dead-letter")
                                    .isEmpty());
            Thread.sleep(3000); // three more checkpoints: anything extra would be committed by now

            Set<String> scored = new HashSet<>();
            List<ConsumerRecord<byte[], byte[]>> scores = CommittedRecords.read(kafka.bootstrapServers(), "scores");
            var decoder = WireFormat.decoder(EventScore.class);
            for (ConsumerRecord<byte[], byte[]> rec : scores) {
                EventScore s = decoder.decode(rec.value());
                scored.add(s.getEntityId() + "@" + s.getEventTime().toEpochMilli());
            }
            long newerScored = newer.stream()
                    .filter(r ->
                            scored.contains(r.entityId() + "@" + r.eventTime().toEpochMilli()))
                    .count();
            List<ConsumerRecord<byte[], byte[]>> dead = CommittedRecords.read(kafka.bootstrapServers(), "dead-letter");
            String reason = header(dead.get(0), KafkaIO.HEADER_REASON);
            String detail = header(dead.get(0), KafkaIO.HEADER_DETAIL);
            System.out.printf(
                    "[schema-evolution] %,d readings with the job's schema, %,d with the newer one (put in"
                            + " the store while the job ran), 1 with an unpublished one; scores %,d (distinct %,d) of"
                            + " %,d, of the newer readings %,d of %,d; dead-lettered %d: %s (%s)%n",
                    older.size(),
                    newer.size(),
                    scores.size(),
                    scored.size(),
                    allScores,
                    newerScored,
                    newer.size(),
                    dead.size(),
                    reason,
                    detail);

            assertThat(scores).as("one score per scored reading of both halves").hasSize((int) allScores);
            assertThat(scored).as("no reading scored twice").hasSize(scores.size());
            assertThat(newerScored).as("readings of the newer schema scored").isEqualTo(newer.size());
            assertThat(dead)
                    .as("dead letters: only the reading of the unpublished schema")
                    .hasSize(1);
            assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("rogue-1");
            assertThat(reason).isEqualTo(DeadLetter.UNKNOWN_SCHEMA);
            assertThat(detail).contains(schemas.toString());
        } finally {
            job.cancel().get();
        }
    }

    /**
     * The job upgraded while its producers stay on the older schema: the running job is stopped with a
     * savepoint, producers go on writing with the job's schema while no job runs, and the job is resumed from
     * the savepoint as its release that knows a newer schema (that schema in its store) would be. Every
     * reading before, during and after the upgrade is scored exactly once, nothing is dead-lettered, and every
     * key scores its first reading after the upgrade warm, from the state the savepoint carried.
     */
    @Test
    void theJobUpgradedFromASavepointWhileProducersStayOnTheOlderSchemaScoresEveryReadingOnce() throws Exception {
        String p = "upgrade-";
        kafka.createTopic(p + "readings", 4, Map.of());
        for (String t : List.of("alerts", "scores", "dead-letter")) {
            kafka.createTopic(p + t, 2, Map.of());
        }
        SensorStreamGenerator live = new SensorStreamGenerator(GeneratorConfig.builder()
                .entities(ENTITIES)
                .eventsPerEntity(EVENTS)
                .anomaliesPerEntity(1)
                .seed(56)
                .build());
        Path dir = Files.createDirectories(tmp.resolve("upgrade"));
        Path store = PipelineFixture.trainAndPublish(live, "upgrade", WINDOW, dir);
        Map<String, String> settings =
                PipelineFixture.settings(kafka, store, "upgrade", p + "readings", p, "vigil-upgrade");
        settings.put("execution.checkpointing.interval", "500ms");
        settings.put("restart-strategy.type", "none");
        List<List<LabeledReading>> thirds = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (LabeledReading r : live.readings()) {
            thirds.get((seen.merge(r.entityId(), 1, Integer::sum) - 1) * 3 / EVENTS)
                    .add(r);
        }
        long allScores = (long) ENTITIES * (EVENTS - WINDOW + 1);

        JobClient before = PipelineFixture.submit(settings, "vigil-before-upgrade");
        produce(p + "readings", thirds.get(0), live.channels());
        CommittedRecords.await(
                kafka.bootstrapServers(),
                p + "scores",
                (long) ENTITIES * (EVENTS / 3 - WINDOW + 1),
                Duration.ofMinutes(3));
        String savepoint = before.stopWithSavepoint(
                        false, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get();
        long scoresAtSavepoint =
                CommittedRecords.read(kafka.bootstrapServers(), p + "scores").size();

        // the producers stay on the job's schema while no job runs, and after the upgrade
        produce(p + "readings", thirds.get(1), live.channels());
        Path schemas = Files.createDirectories(dir.resolve("schemas"));
        Files.writeString(
                schemas.resolve("SensorReading-v3.avsc"),
                withField(SensorReading.getClassSchema(), "site", "unknown").toString(true));
        settings.put("schema.store", schemas.toString());
        JobClient after = PipelineFixture.submit(settings, "vigil-after-upgrade", savepoint);
        try {
            produce(p + "readings", thirds.get(2), live.channels());
            CommittedRecords.await(kafka.bootstrapServers(), p + "scores", allScores, Duration.ofMinutes(3));
            // three more checkpoints: anything scored twice would be committed by then
            Awaitility.await("no score beyond one per reading")
                    .during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> CommittedRecords.read(kafka.bootstrapServers(), p + "scores")
                                    .size()
                            == allScores);
        } finally {
            after.cancel().get();
        }

        var decoder = WireFormat.decoder(EventScore.class);
        List<EventScore> scores = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> rec : CommittedRecords.read(kafka.bootstrapServers(), p + "scores")) {
            scores.add(decoder.decode(rec.value()));
        }
        Set<String> scored = new HashSet<>();
        scores.forEach(s -> scored.add(s.getEntityId() + "@" + s.getEventTime().toEpochMilli()));
        // each key's first score of a reading written while no job ran, i.e. scored by the upgraded job
        Set<String> writtenWhileStopped = new HashSet<>();
        thirds.get(1)
                .forEach(r -> writtenWhileStopped.add(
                        r.entityId() + "@" + r.eventTime().toEpochMilli()));
        Map<String, EventScore> firstAfter = new LinkedHashMap<>();
        for (EventScore s : scores) {
            if (writtenWhileStopped.contains(
                    s.getEntityId() + "@" + s.getEventTime().toEpochMilli())) {
                firstAfter.merge(s.getEntityId(), s, (a, b) -> a.getEventTime().isBefore(b.getEventTime()) ? a : b);
            }
        }
        long coldAfter = firstAfter.values().stream().filter(s -> !s.getWarm()).count();
        int dead = CommittedRecords.read(kafka.bootstrapServers(), p + "dead-letter")
                .size();
        System.out.printf(
                "[schema-upgrade] %,d readings before the savepoint, %,d while no job ran, %,d after the upgrade,"
                        + " all on the job's older schema; scores %,d at the savepoint, %,d in all (distinct %,d) of"
                        + " %,d; keys cold at their first reading after the upgrade %d of %d; dead-lettered %d%n",
                thirds.get(0).size(),
                thirds.get(1).size(),
                thirds.get(2).size(),
                scoresAtSavepoint,
                scores.size(),
                scored.size(),
                allScores,
                coldAfter,
                firstAfter.size(),
                dead);
        assertThat(scores)
                .as("one score per scored reading, before and after the upgrade")
                .hasSize((int) allScores);
        assertThat(scored).as("no reading scored twice").hasSize(scores.size());
        assertThat(firstAfter).as("keys scored after the upgrade").hasSize(ENTITIES);
        assertThat(coldAfter)
                .as("keys that warmed up before the upgrade and score cold after it")
                .isZero();
        assertThat(dead).as("readings dead-lettered across the upgrade").isZero();
    }

    private static void produce(String topic, List<LabeledReading> readings, List<String> channels) {
        try (KafkaProducer<byte[], byte[]> producer = PipelineFixture.producer(kafka)) {
            for (LabeledReading r : readings) {
                producer.send(new ProducerRecord<>(
                        topic,
                        r.entityId().getBytes(StandardCharsets.UTF_8),
                        WireFormat.encode(r.toSensorReading(channels))));
            }
            producer.flush();
        }
    }

    /** The schema with one more string field, with a default (a compatible evolution). */
    private static Schema withField(Schema base, String name, String dflt) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field(name, Schema.create(Schema.Type.STRING), "added by a newer producer", dflt));
        return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    }

    /** The reading written by a producer on {@code schema}, as {@code entity}. */
    private static byte[] encode(Schema schema, String entity, LabeledReading r, List<String> channels)
            throws IOException {
        SensorReading current = r.toSensorReading(channels);
        String site = "site-" + entity;
        GenericRecord g = new GenericData.Record(schema);
        g.put("entityId", entity);
        g.put("eventTime", current.getEventTime().toEpochMilli());
        g.put("values", current.getValues());
        g.put("tags", Map.of("site", site));
        g.put("site", site);
        if (schema.getField("rack") != null) {
            g.put("rack", "r1");
        }
        ByteBuffer b = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(g);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String key, byte[] value) {
        producer.send(new ProducerRecord<>("readings", key.getBytes(StandardCharsets.UTF_8), value));
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}

package io.vigil.harness.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.harness.flink.TestClusters;
import io.vigil.harness.generate.GeneratorConfig;
import io.vigil.harness.generate.LabeledReading;
import io.vigil.harness.generate.SensorStreamGenerator;
import io.vigil.harness.generate.TrainingHistory;
import io.vigil.harness.kafka.CommittedRecords;
import io.vigil.harness.kafka.EmbeddedKafka;
import io.vigil.job.VigilJob;
import io.vigil.job.config.JobConfig;
import io.vigil.job.config.VigilOptions;
import io.vigil.job.io.DeadLetter;
import io.vigil.job.io.KafkaIO;
import io.vigil.schemas.Alert;
import io.vigil.schemas.AlertStatus;
import io.vigil.schemas.EventScore;
import io.vigil.schemas.ModelAnnouncement;
import io.vigil.schemas.SensorReading;
import io.vigil.schemas.WireFormat;
import io.vigil.trainer.publish.Publication;
import io.vigil.trainer.publish.PublishOptions;
import io.vigil.trainer.publish.Publisher;
import io.vigil.trainer.training.ProgressListener;
import io.vigil.trainer.training.Trainer;
import io.vigil.trainer.training.TrainingConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production pipeline against a real Kafka broker, on a MiniCluster of two TaskManagers: Avro
 * readings in, alerts and scores out through exactly-once sinks, garbage to the dead-letter topic,
 * and one TaskManager stopped mid-stream. A {@code read_committed} consumer must see every score
 * and every alert exactly once.
 */
class VigilKafkaITCase {

    private static final int ENTITIES = 4;
    private static final int EVENTS = 400;
    private static final int WINDOW = 8;
    private static final int SPIKE_FROM = 250;
    private static final int SPIKE_TO = 260;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestClusters.miniCluster(2, 1);

    private static EmbeddedKafka kafka;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void broker() throws Exception {
        kafka = EmbeddedKafka.start(tmp.resolve("kafka"));
        kafka.createTopic("readings", 2, Map.of());
        kafka.createTopic("alerts", 2, Map.of());
        kafka.createTopic("scores", 2, Map.of());
        kafka.createTopic("dead-letter", 1, Map.of());
        kafka.createTopic("model-updates", 1, Map.of("cleanup.policy", "compact"));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void exactlyOnceThroughATaskManagerFailureWithGarbageDeadLettered(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        GeneratorConfig liveConfig = GeneratorConfig.builder()
                .entities(ENTITIES)
                .eventsPerEntity(EVENTS)
                .anomaliesPerEntity(0)
                .seed(3)
                .build();
        SensorStreamGenerator live = new SensorStreamGenerator(liveConfig);
        SensorStreamGenerator history = live.history(4, liveConfig.start().minusSeconds(1200), 1200);

        // a bundle trained here, published to a store and announced on the real broker
        TrainingConfig tiny = TrainingConfig.builder()
                .modelId("it-sensors")
                .version("v1")
                .windowLength(WINDOW)
                .sequenceLength(32)
                .lstmHidden(8)
                .aeHidden(16, 4, 16)
                .maxEpochs(6)
                .patience(2)
                .batchSize(16)
                .lstmLearningRate(2e-2)
                .aeLearningRate(5e-3)
                .warmupEvents(8)
                .build();
        Path bundle = tmp.resolve("bundle");
        new Trainer(tiny, ProgressListener.silent())
                .train(TrainingHistory.of(history))
                .writeTo(bundle);
        Path store = tmp.resolve("store");
        Publication published = new Publisher(PublishOptions.toStore(store)
                        .withKafka(kafka.bootstrapServers())
                        .withTopic("model-updates"))
                .publish(bundle);
        assertThat(published.announced()).isTrue();
        List<ConsumerRecord<byte[], byte[]>> announcements = readAll("model-updates");
        assertThat(announcements).hasSize(1);
        assertThat(new String(announcements.get(0).key(), StandardCharsets.UTF_8))
                .isEqualTo("it-sensors");
        ModelAnnouncement a = WireFormat.decoder(ModelAnnouncement.class)
                .decode(announcements.get(0).value());
        assertThat(a.getManifestSha256()).isEqualTo(published.manifestSha256());

        // the real job, never-ending as in production; one TaskManager is stopped mid-stream
        Map<String, String> settings = ItJobSettings.of(kafka.bootstrapServers(), store, "vigil-it");
        settings.put(VigilOptions.MODEL_ID.key(), "it-sensors");
        settings.put(VigilOptions.TOPIC_READINGS.key(), "readings");
        settings.put(VigilOptions.TOPIC_ALERTS.key(), "alerts");
        settings.put(VigilOptions.TOPIC_SCORES.key(), "scores");
        settings.put(VigilOptions.TOPIC_DEAD_LETTER.key(), "dead-letter");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        VigilJob.wireKafka(env, JobConfig.fromMap(settings));
        JobClient job = env.executeAsync("vigil-kafka-it");

        // readings (a huge spike on sensor 0) and garbage of every kind, in two halves around the failure
        List<byte[]> garbage = new ArrayList<>();
        Map<String, Integer> expectedReasons = new HashMap<>();
        String spiked = live.entityIds().get(0);
        List<LabeledReading> all = live.readings();
        long expectedScores = (long) ENTITIES * (EVENTS - WINDOW + 1);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            Map<String, Integer> index = new HashMap<>();
            Random r = new Random(5);
            for (int n = 0; n < all.size(); n++) {
                LabeledReading reading = all.get(n);
                int i = index.merge(reading.entityId(), 1, Integer::sum) - 1;
                double[] values = reading.values();
                if (reading.entityId().equals(spiked) && i >= SPIKE_FROM && i < SPIKE_TO) {
                    values[0] += 1_000;
                }
                SensorReading sr = new LabeledReading(reading.entityId(), reading.eventTime(), values, false, null)
                        .toSensorReading(live.channels());
                send(producer, reading.entityId(), WireFormat.encode(sr));
                if (i % 100 == 50 && reading.entityId().equals(spiked)) {
                    byte[] junk = new byte[20 + r.nextInt(30)];
                    r.nextBytes(junk);
                    garbage.add(junk);
                    send(producer, "junk", junk);
                    expectedReasons.merge(DeadLetter.UNDECODABLE, 1, Integer::sum);
                }
                if (n == all.size() / 2) {
                    producer.flush();
                    awaitCommitted("scores", expectedScores / 4, Duration.ofSeconds(120));
                    cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
                    cluster.startTaskManager();
                }
            }
            byte[] nan = WireFormat.encode(reading(spiked, liveConfig.start(), Double.NaN, live.channels()));
            byte[] missing = WireFormat.encode(SensorReading.newBuilder()
                    .setEntityId(spiked)
                    .setEventTime(liveConfig.start())
                    .setValues(Map.of(live.channels().get(0), 1.0))
                    .build());
            byte[] foreign = foreignSchema();
            for (byte[] b : List.of(nan, missing, foreign)) {
                garbage.add(b);
                send(producer, spiked, b);
            }
            expectedReasons.merge(DeadLetter.INVALID_VALUE, 1, Integer::sum);
            expectedReasons.merge(DeadLetter.MISSING_CHANNEL, 1, Integer::sum);
            expectedReasons.merge(DeadLetter.UNKNOWN_SCHEMA, 1, Integer::sum);
            producer.flush();
        }
        awaitCommitted("scores", expectedScores, Duration.ofSeconds(120));
        awaitCommitted("dead-letter", garbage.size(), Duration.ofSeconds(30));
        Thread.sleep(1500); // a checkpoint more: anything duplicated would be committed by now
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        assertThat(cluster.getExecutionGraph(job.getJobID()).get().getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job restarted after the TaskManager stopped")
                .isPositive();
        job.cancel().get(30, TimeUnit.SECONDS);

        // every score once
        List<ConsumerRecord<byte[], byte[]>> scores = readAll("scores");
        Set<String> scored = new HashSet<>();
        var scoreDecoder = WireFormat.decoder(EventScore.class);
        for (ConsumerRecord<byte[], byte[]> rec : scores) {
            EventScore s = scoreDecoder.decode(rec.value());
            assertThat(scored.add(s.getEntityId() + "@" + s.getEventTime().toEpochMilli()))
                    .as("score of %s at %s seen once", s.getEntityId(), s.getEventTime())
                    .isTrue();
        }
        assertThat(scores).hasSize((int) expectedScores);

        // every alert record once; the spike opened an alert on its sensor while it lasted
        var alertDecoder = WireFormat.decoder(Alert.class);
        List<Alert> alerts = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> rec : readAll("alerts")) {
            alerts.add(alertDecoder.decode(rec.value()));
        }
        assertThat(alerts.stream().map(al -> al.getAlertId() + "/" + al.getStatus() + "/" + al.getEventTime()))
                .doesNotHaveDuplicates();
        Instant spikeStart = eventTime(live, spiked, SPIKE_FROM);
        Instant spikeEnd = eventTime(live, spiked, SPIKE_TO - 1);
        assertThat(alerts).anySatisfy(al -> {
            assertThat(al.getEntityId()).isEqualTo(spiked);
            assertThat(al.getStatus()).isEqualTo(AlertStatus.OPEN);
            assertThat(al.getEventTime()).isBetween(spikeStart, spikeEnd);
            assertThat(al.getTopFeatures()).contains(live.channels().get(0));
        });

        // garbage in the dead-letter topic, bytes unchanged, with the reason in a header
        List<ConsumerRecord<byte[], byte[]>> dead = readAll("dead-letter");
        assertThat(dead).hasSize(garbage.size());
        Map<String, Integer> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> d : dead) {
            reasons.merge(
                    new String(d.headers().lastHeader(KafkaIO.HEADER_REASON).value(), StandardCharsets.UTF_8),
                    1,
                    Integer::sum);
            assertThat(garbage).anySatisfy(g -> assertThat(d.value()).isEqualTo(g));
        }
        assertThat(reasons).isEqualTo(expectedReasons);
    }

    private static Instant eventTime(SensorStreamGenerator g, String entity, int index) {
        return g.stream()
                .filter(r -> r.entityId().equals(entity))
                .skip(index)
                .findFirst()
                .orElseThrow()
                .eventTime();
    }

    private static SensorReading reading(String entity, Instant time, double v, List<String> channels) {
        Map<String, Double> values = new LinkedHashMap<>();
        channels.forEach(c -> values.put(c, v));
        return SensorReading.newBuilder()
                .setEntityId(entity)
                .setEventTime(time)
                .setValues(values)
                .build();
    }

    private static byte[] foreignSchema() throws Exception {
        Schema other = new Schema.Parser()
                .parse("{\"type\":\"record\",\"name\":\"Elsewhere\",\"fields\":[{\"name\":\"a\",\"type\":\"long\"}]}");
        GenericRecord rec = new GenericData.Record(other);
        rec.put("a", 1L);
        var buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), other).encode(rec);
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String key, byte[] value) {
        producer.send(new ProducerRecord<>("readings", key.getBytes(StandardCharsets.UTF_8), value));
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return CommittedRecords.read(kafka.bootstrapServers(), topic);
    }

    private static void awaitCommitted(String topic, long atLeast, Duration timeout) throws InterruptedException {
        CommittedRecords.await(kafka.bootstrapServers(), topic, atLeast, timeout);
    }
}

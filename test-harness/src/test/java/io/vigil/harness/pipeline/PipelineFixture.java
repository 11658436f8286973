package io.vigil.harness.pipeline;

import io.vigil.harness.generate.SensorStreamGenerator;
import io.vigil.harness.generate.TrainingHistory;
import io.vigil.harness.kafka.EmbeddedKafka;
import io.vigil.job.VigilJob;
import io.vigil.job.config.JobConfig;
import io.vigil.job.config.VigilOptions;
import io.vigil.trainer.publish.PublishOptions;
import io.vigil.trainer.publish.Publisher;
import io.vigil.trainer.training.ProgressListener;
import io.vigil.trainer.training.Trainer;
import io.vigil.trainer.training.TrainingConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the pipeline ITCases share: a tiny model of a generated fleet, the job's settings, a raw producer. */
final class PipelineFixture {

    private PipelineFixture() {}

    /**
     * Trains a small model (window {@code window}) on history of {@code live}'s sensors, publishes it
     * to a store under {@code dir} without an announcement, and returns the store.
     */
    static Path trainAndPublish(SensorStreamGenerator live, String modelId, int window, Path dir) throws Exception {
        SensorStreamGenerator history = live.history(4, live.config().start().minusSeconds(1200), 1200);
        TrainingConfig tiny = TrainingConfig.builder()
                .modelId(modelId)
                .version("v1")
                .windowLength(window)
                .sequenceLength(32)
                .lstmHidden(8)
                .aeHidden(16, 4, 16)
                .maxEpochs(4)
                .patience(2)
                .batchSize(16)
                .warmupEvents(8)
                .build();
        Path bundle = dir.resolve("bundle");
        new Trainer(tiny, ProgressListener.silent())
                .train(TrainingHistory.of(history))
                .writeTo(bundle);
        Path store = dir.resolve("store");
        new Publisher(PublishOptions.toStore(store).withoutAnnouncement()).publish(bundle);
        return store;
    }

    /**
     * The job's settings: the input topic read from the earliest offset, the outputs to
     * {@code outputPrefix + "alerts" | "scores" | "dead-letter"}; add to them before {@link #submit}.
     */
    static Map<String, String> settings(
            EmbeddedKafka kafka,
            Path store,
            String modelId,
            String readings,
            String outputPrefix,
            String transactionalIdPrefix) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(VigilOptions.BOOTSTRAP_SERVERS.key(), kafka.bootstrapServers());
        settings.put(VigilOptions.MODEL_STORE.key(), store.toString());
        settings.put(VigilOptions.MODEL_ID.key(), modelId);
        settings.put(VigilOptions.TOPIC_READINGS.key(), readings);
        settings.put(VigilOptions.TOPIC_ALERTS.key(), outputPrefix + "alerts");
        settings.put(VigilOptions.TOPIC_SCORES.key(), outputPrefix + "scores");
        settings.put(VigilOptions.TOPIC_DEAD_LETTER.key(), outputPrefix + "dead-letter");
        settings.put(VigilOptions.TOPIC_MODEL_UPDATES.key(), "model-updates");
        settings.put(VigilOptions.STARTING_OFFSETS.key(), "earliest");
        settings.put(VigilOptions.GROUP_ID.key(), transactionalIdPrefix);
        settings.put(VigilOptions.TRANSACTIONAL_ID_PREFIX.key(), transactionalIdPrefix);
        return settings;
    }

    /** Submits the production pipeline at parallelism 2 to the test's MiniCluster, without waiting. */
    static JobClient submit(Map<String, String> settings, String name) throws Exception {
        return submit(settings, name, null);
    }

    /** {@link #submit(Map, String)}, the job's state restored from {@code savepoint} unless that is null. */
    static JobClient submit(Map<String, String> settings, String name, String savepoint) throws Exception {
        Configuration flink = new Configuration();
        if (savepoint != null) {
            flink.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(2);
        VigilJob.wireKafka(env, JobConfig.fromMap(settings));
        return env.executeAsync(name);
    }

    static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(1024 * 1024));
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        return new KafkaProducer<>(p);
    }
}

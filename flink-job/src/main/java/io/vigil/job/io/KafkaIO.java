package io.vigil.job.io;

import io.vigil.job.config.JobConfig;
import io.vigil.kafka.KafkaAccess;
import io.vigil.schemas.ModelAnnouncement;
import io.vigil.schemas.WireFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The job's Kafka sources and sinks, built from the {@link JobConfig}. */
public final class KafkaIO {

    /** Header names on dead-letter records. */
    public static final String HEADER_REASON = "vigil.reason";

    public static final String HEADER_DETAIL = "vigil.detail";
    public static final String HEADER_SOURCE = "vigil.source";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaIO.class);
    /** How long the check at submission waits for the cluster to answer. */
    static final Duration ACCESS_TIMEOUT = Duration.ofSeconds(10);

    private KafkaIO() {}

    /**
     * One request to the cluster before the job is built, with the job's client properties: credentials
     * the cluster refuses, or a certificate the client does not trust, fail the submission with their cause
     * ({@link KafkaAccess.KafkaAccessException}); a cluster that does not answer is only warned about, as it
     * may come up and the job's clients retry.
     */
    public static void checkAccess(JobConfig config) {
        LOG.info("Kafka at {}: {}", config.bootstrapServers(), KafkaAccess.describe(config.kafkaProperties()));
        String warning = KafkaAccess.check(config.bootstrapServers(), config.kafkaProperties(), ACCESS_TIMEOUT);
        if (warning != null) {
            LOG.warn("{}; the job starts anyway and its Kafka clients keep retrying", warning);
        }
    }

    /** The input topic, decoded and validated inside the source so watermarks follow event time per partition. */
    public static KafkaSource<Envelope> readings(JobConfig config, ReadingDecoder decoder) {
        return input(config, config.readingsTopic(), new ReadingDeserializer(decoder));
    }

    /**
     * An input topic of the job, read as {@link #readings} is (group, starting offsets, bounded with
     * {@code kafka.stop-at-end}, offsets committed on checkpoints), decoded by {@code deserializer}.
     */
    public static <T> KafkaSource<T> input(
            JobConfig config, String topic, KafkaRecordDeserializationSchema<T> deserializer) {
        var builder = KafkaSource.<T>builder();
        if (config.stopAtEnd()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.setBootstrapServers(config.bootstrapServers())
                .setTopics(topic)
                .setGroupId(config.groupId())
                .setStartingOffsets(startingOffsets(config.startingOffsets()))
                .setDeserializer(deserializer)
                .setProperties(clientProperties(config))
                .setProperty("commit.offsets.on.checkpoint", "true")
                .build();
    }

    /** Model announcements, read from the beginning so the newest announcement per model is always seen. */
    public static KafkaSource<ModelUpdate> modelUpdates(JobConfig config) {
        var builder = KafkaSource.<ModelUpdate>builder();
        if (config.stopAtEnd()) {
            builder.setBounded(OffsetsInitializer.latest()); // a replay ends: so must its model updates
        } else {
            builder.setProperty("partition.discovery.interval.ms", "60000");
        }
        return builder.setBootstrapServers(config.bootstrapServers())
                .setTopics(config.modelUpdatesTopic())
                .setGroupId(config.groupId() + "-model-updates")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new AnnouncementDeserializer())
                .setProperties(clientProperties(config))
                .build();
    }

    public static KafkaSink<KafkaMessage> messages(JobConfig config, String topic, String name) {
        return KafkaSink.<KafkaMessage>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setKafkaProducerConfig(producerProperties(config))
                .setRecordSerializer(new MessageSerializer(topic))
                .setDeliveryGuarantee(config.deliveryGuarantee())
                .setTransactionalIdPrefix(config.transactionalIdPrefix() + "-" + name)
                .build();
    }

    public static KafkaSink<DeadLetter> deadLetters(JobConfig config) {
        return deadLetters(config, config.deadLetterTopic(), "dead-letter");
    }

    /** A dead-letter sink to {@code topic}; {@code name} makes its transactional ids unique in the job. */
    public static KafkaSink<DeadLetter> deadLetters(JobConfig config, String topic, String name) {
        return KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(config.bootstrapServers())
                .setKafkaProducerConfig(producerProperties(config))
                .setRecordSerializer(new DeadLetterSerializer(topic))
                .setDeliveryGuarantee(config.deliveryGuarantee())
                .setTransactionalIdPrefix(config.transactionalIdPrefix() + "-" + name)
                .build();
    }

    private static OffsetsInitializer startingOffsets(String mode) {
        return switch (mode) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        };
    }

    private static Properties clientProperties(JobConfig config) {
        Properties p = new Properties();
        p.putAll(config.kafkaProperties());
        p.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    private static Properties producerProperties(JobConfig config) {
        Properties p = new Properties();
        p.putAll(config.kafkaProperties());
        p.put(
                "transaction.timeout.ms",
                String.valueOf(config.transactionTimeout().toMillis()));
        p.putIfAbsent("linger.ms", "5");
        return p;
    }

    /** Never throws: everything that is not a good reading becomes a dead letter. */
    static final class ReadingDeserializer implements KafkaRecordDeserializationSchema<Envelope> {
        private static final long serialVersionUID = 1L;
        private final ReadingDecoder decoder;

        ReadingDeserializer(ReadingDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) {}

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<Envelope> out) {
            out.collect(decoder.decode(r.key(), r.value(), r.topic(), r.partition(), r.offset(), r.timestamp()));
        }

        @Override
        public TypeInformation<Envelope> getProducedType() {
            return TypeInformation.of(Envelope.class);
        }
    }

    /** Skips (and logs) announcements it cannot decode: a bad announcement must not stop scoring. */
    static final class AnnouncementDeserializer implements KafkaRecordDeserializationSchema<ModelUpdate> {
        private static final long serialVersionUID = 1L;
        private static final Logger LOG = LoggerFactory.getLogger(AnnouncementDeserializer.class);

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<ModelUpdate> out) {
            if (r.value() == null) {
                return; // a tombstone: compaction removed the model
            }
            try {
                ModelAnnouncement a =
                        WireFormat.decoder(ModelAnnouncement.class).decode(r.value());
                out.collect(new ModelUpdate(
                        a.getModelId(),
                        a.getVersion(),
                        a.getUri(),
                        a.getManifestSha256(),
                        a.getPublishedAt().toEpochMilli()));
            } catch (Exception e) {
                LOG.warn(
                        "Ignoring an undecodable model announcement at {}-{}@{}: {}",
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        e.toString());
            }
        }

        @Override
        public TypeInformation<ModelUpdate> getProducedType() {
            return TypeInformation.of(ModelUpdate.class);
        }
    }

    static final class MessageSerializer implements KafkaRecordSerializationSchema<KafkaMessage> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        MessageSerializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(KafkaMessage m, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topic, null, m.timestamp, m.key, m.value);
        }
    }

    static final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        DeadLetterSerializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
            ProducerRecord<byte[], byte[]> r =
                    new ProducerRecord<>(topic, null, d.timestamp > 0 ? d.timestamp : null, d.key, d.value);
            r.headers().add(new RecordHeader(HEADER_REASON, d.reason.getBytes(StandardCharsets.UTF_8)));
            r.headers()
                    .add(new RecordHeader(
                            HEADER_DETAIL, String.valueOf(d.detail).getBytes(StandardCharsets.UTF_8)));
            r.headers()
                    .add(new RecordHeader(
                            HEADER_SOURCE,
                            (d.topic + "-" + d.partition + "@" + d.offset).getBytes(StandardCharsets.UTF_8)));
            return r;
        }
    }
}

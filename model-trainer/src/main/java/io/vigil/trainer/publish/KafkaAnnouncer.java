package io.vigil.trainer.publish;

import io.vigil.schemas.ModelAnnouncement;
import io.vigil.schemas.WireFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends one {@link ModelAnnouncement} (key = model id, value = Avro single-object encoding) with
 * acks=all and idempotence, after making sure the topic exists and is compacted, all within one
 * deadline so an unreachable broker fails in bounded time.
 */
final class KafkaAnnouncer {

    private static final Duration MAX_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final PublishOptions options;
    private final long deadlineNanos;

    KafkaAnnouncer(PublishOptions options) {
        this.options = options;
        this.deadlineNanos = System.nanoTime() + options.timeout().toNanos();
    }

    /** Sends the announcement; anything the operator should know about the topic is added to {@code warnings}. */
    RecordMetadata announce(ModelAnnouncement announcement, List<String> warnings)
            throws ExecutionException, InterruptedException, TimeoutException {
        ensureTopic(warnings);
        Properties p = common();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-trainer-publisher");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        long remaining = remainingMillis();
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(remaining));
        // delivery.timeout.ms must be at least linger.ms + request.timeout.ms
        p.put(
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Long.toString(Math.min(remaining, MAX_REQUEST_TIMEOUT.toMillis())));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(remaining));
        options.kafkaProperties().forEach((k, v) -> {
            if (ProducerConfig.configNames().contains(k)) {
                p.put(k, v);
            }
        });
        KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        try {
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(options.topic(), announcement.getModelId(), WireFormat.encode(announcement));
            return producer.send(record).get(remainingMillis() + 1000, TimeUnit.MILLISECONDS);
        } finally {
            producer.close(CLOSE_TIMEOUT);
        }
    }

    private void ensureTopic(List<String> warnings) throws ExecutionException, InterruptedException, TimeoutException {
        Properties p = common();
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "vigil-trainer-admin");
        long remaining = remainingMillis();
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(remaining));
        p.put(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                Long.toString(Math.min(remaining, MAX_REQUEST_TIMEOUT.toMillis())));
        options.kafkaProperties().forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                p.put(k, v);
            }
        });
        String topic = options.topic();
        try (Admin admin = Admin.create(p)) {
            try {
                admin.describeTopics(List.of(topic)).allTopicNames().get(remainingMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    create(admin, topic);
                    return;
                }
                if (e.getCause() instanceof AuthorizationException) {
                    warnings.add("Not allowed to describe topic " + topic + " ("
                            + e.getCause().getMessage()
                            + "); announcing without checking that it exists and is compacted");
                    return;
                }
                throw e;
            }
            checkCompacted(admin, topic, warnings);
        }
    }

    private void create(Admin admin, String topic) throws ExecutionException, InterruptedException, TimeoutException {
        // one partition: announcements are rare and every job reads all of them; replication: broker default
        NewTopic t = new NewTopic(topic, Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(t)).all().get(remainingMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e; // someone else creating it at the same moment is fine
            }
        }
    }

    private void checkCompacted(Admin admin, String topic, List<String> warnings)
            throws InterruptedException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(remainingMillis(), TimeUnit.MILLISECONDS)
                    .get(resource);
            ConfigEntry policy = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
            if (policy == null || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                warnings.add("Topic " + topic + " exists with cleanup.policy=" + (policy == null ? "?" : policy.value())
                        + ", not compact: old announcements expire by retention and a restarted job may miss the"
                        + " newest model. Set it with: kafka-configs --alter --entity-type topics --entity-name "
                        + topic
                        + " --add-config cleanup.policy=compact");
            }
        } catch (ExecutionException e) {
            warnings.add("Could not read the configuration of topic " + topic + ": "
                    + e.getCause().getMessage());
        }
    }

    private Properties common() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers());
        return p;
    }

    private long remainingMillis() throws TimeoutException {
        long ms = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new TimeoutException(
                    "no answer from Kafka within " + options.timeout().toMillis() + " ms");
        }
        return ms;
    }
}

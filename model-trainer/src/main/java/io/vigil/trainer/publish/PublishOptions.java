package io.vigil.trainer.publish;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where a bundle is published and how it is announced.
 *
 * @param store the model store root directory ({@code <store>/<modelId>/<version>/}, {@code LATEST})
 * @param announce whether to announce on Kafka after publishing
 * @param bootstrapServers Kafka bootstrap servers, {@code host:port[,host:port]}
 * @param topic the compacted model-updates topic (created, compacted, if it does not exist)
 * @param timeout the longest any Kafka step may block or retry (admin calls, send, delivery)
 * @param kafkaProperties extra client properties (security settings and the like), applied last
 */
public record PublishOptions(
        Path store,
        boolean announce,
        String bootstrapServers,
        String topic,
        Duration timeout,
        Map<String, String> kafkaProperties) {

    public static final String DEFAULT_TOPIC = "vigil-model-updates";
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    public PublishOptions {
        if (store == null) {
            throw new IllegalArgumentException("A model store directory is required");
        }
        kafkaProperties = kafkaProperties == null ? Map.of() : Map.copyOf(kafkaProperties);
        if (announce) {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("Announcing needs Kafka bootstrap servers (host:port)");
            }
            if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
                throw new IllegalArgumentException(
                        "Invalid Kafka topic name '" + topic + "': use 1 to 249 letters, digits, '.', '_' or '-'");
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("The Kafka timeout must be positive, is " + timeout);
            }
        }
    }

    /** Publish to {@code store} and announce with the defaults (localhost:9092, {@value #DEFAULT_TOPIC}, 30 s). */
    public static PublishOptions toStore(Path store) {
        return new PublishOptions(store, true, DEFAULT_BOOTSTRAP_SERVERS, DEFAULT_TOPIC, DEFAULT_TIMEOUT, Map.of());
    }

    public PublishOptions withoutAnnouncement() {
        return new PublishOptions(store, false, bootstrapServers, topic, timeout, kafkaProperties);
    }

    public PublishOptions withKafka(String servers) {
        return new PublishOptions(store, announce, servers, topic, timeout, kafkaProperties);
    }

    public PublishOptions withTopic(String t) {
        return new PublishOptions(store, announce, bootstrapServers, t, timeout, kafkaProperties);
    }

    public PublishOptions withTimeout(Duration d) {
        return new PublishOptions(store, announce, bootstrapServers, topic, d, kafkaProperties);
    }

    public PublishOptions withKafkaProperties(Map<String, String> p) {
        return new PublishOptions(store, announce, bootstrapServers, topic, timeout, p);
    }
}
